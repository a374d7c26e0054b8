import { createRequire } from 'node:module';
import fc from 'fast-check';
import { expect, vi } from 'vitest';
import {
  type AccessTokenErrorCode,
  type Credentials,
  chatGrant,
  type Grant,
  isAccessTokenError,
  playbackGrant,
  syncGrant,
  taskRouterGrant,
  videoGrant,
  voiceGrant,
} from '../src/index.js';
import { CREDENTIAL_VARIABLES } from '../src/token/credentials.js';

const require = createRequire(import.meta.url);
/** The reference implementation: twilio-node's AccessToken class. */
export const TwilioAccessToken = require('twilio/lib/jwt/AccessToken') as typeof import('twilio/lib/jwt/AccessToken');

/** Fake credentials: clearly not real, but well formed. */
export const credentials: Credentials = Object.freeze({
  accountSid: `AC${'a'.repeat(32)}`,
  apiKeySid: `SK${'b'.repeat(32)}`,
  apiKeySecret: 'fake-secret-0123456789abcdef0123',
});

export const sid = (prefix: string, fill = '0'): string => prefix + fill.repeat(32);

/** 2026-01-01T00:00:00.250Z: a fixed clock with a fractional second, to check flooring. */
export const FROZEN_MS = Date.UTC(2026, 0, 1, 0, 0, 0, 250);
export const FROZEN_S = Math.floor(FROZEN_MS / 1000);

export function freezeClock(ms = FROZEN_MS): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(ms);
}

/** One grant described by product and the user-level options both libraries take. */
export type GrantSpec =
  | { product: 'video'; options: { room?: string } }
  | { product: 'chat'; options: Parameters<typeof chatGrant>[0] }
  | { product: 'voice'; options: Parameters<typeof voiceGrant>[0] }
  | { product: 'sync'; options: { serviceSid?: string; endpointId?: string } }
  | { product: 'taskRouter'; options: Parameters<typeof taskRouterGrant>[0] }
  | { product: 'playback'; options: Parameters<typeof playbackGrant>[0] };

/** Our grant for a spec. */
export function ourGrant(spec: GrantSpec): Grant {
  switch (spec.product) {
    case 'video':
      return videoGrant(spec.options);
    case 'chat':
      return chatGrant(spec.options);
    case 'voice':
      return voiceGrant(spec.options);
    case 'sync':
      return syncGrant(spec.options);
    case 'taskRouter':
      return taskRouterGrant(spec.options);
    case 'playback':
      return playbackGrant(spec.options);
  }
}

/** twilio-node's grant for the same spec. */
export function twilioGrant(spec: GrantSpec) {
  const T = TwilioAccessToken;
  switch (spec.product) {
    case 'video':
      return new T.VideoGrant(spec.options);
    case 'chat':
      return new T.ChatGrant(spec.options);
    case 'voice':
      return new T.VoiceGrant(spec.options);
    case 'sync':
      return new T.SyncGrant(spec.options);
    case 'taskRouter':
      return new T.TaskRouterGrant(spec.options);
    case 'playback':
      return new T.PlaybackGrant(spec.options);
  }
}

export interface TokenSpec {
  identity: string;
  grants: GrantSpec[];
  ttl?: number;
  nbf?: number | Date;
  region?: string;
  algorithm?: 'HS256' | 'HS384' | 'HS512';
  credentials?: Credentials;
}

/** What twilio-node's AccessToken#toJwt() mints for a spec, with the current (frozen) clock. */
export function twilioToken(spec: TokenSpec): string {
  const c = spec.credentials ?? credentials;
  const nbf = spec.nbf instanceof Date ? Math.floor(spec.nbf.getTime() / 1000) : spec.nbf;
  const token = new TwilioAccessToken(c.accountSid, c.apiKeySid, c.apiKeySecret, {
    identity: spec.identity,
    ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
    ...(nbf === undefined ? {} : { nbf }),
    ...(spec.region === undefined ? {} : { region: spec.region }),
  });
  for (const g of spec.grants) token.addGrant(twilioGrant(g));
  return token.toJwt(spec.algorithm);
}

/** The options object for our createAccessToken from a spec. */
export function ourOptions(spec: TokenSpec) {
  return {
    credentials: spec.credentials ?? credentials,
    ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
    ...(spec.nbf === undefined ? {} : { nbf: spec.nbf }),
    ...(spec.region === undefined ? {} : { region: spec.region }),
    ...(spec.algorithm === undefined ? {} : { algorithm: spec.algorithm }),
  };
}

/** Decodes a base64url JSON segment without our library, for independent checks. */
export function segmentJson(token: string, index: 0 | 1): unknown {
  return JSON.parse(Buffer.from(token.split('.')[index] as string, 'base64url').toString('utf8'));
}

// ---------- fast-check arbitraries for valid inputs ----------

const hex = fc.constantFrom(...'0123456789abcdefABCDEF'.split(''));
export const arbSid = (prefix: string) => fc.string({ unit: hex, minLength: 32, maxLength: 32 }).map((h) => prefix + h);

// biome-ignore lint/suspicious/noControlCharactersInRegex: valid identities exclude exactly these
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Valid identities: any UTF-16 (emoji, lone surrogates, quotes) without control characters. */
export const arbIdentity = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '\\', '😀', '👩‍💻', ' ', "'"),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.length >= 1 && s.length <= 256 && !CONTROL.test(s));

const arbText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
const arbJsonObject = fc
  .dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    minKeys: 1,
    maxKeys: 4,
  })
  .map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);

function optional<T>(arb: fc.Arbitrary<T>) {
  return fc.option(arb, { nil: undefined });
}
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const arbGrantSpec: fc.Arbitrary<GrantSpec> = fc.oneof(
  fc.record({ product: fc.constant('video' as const), options: fc.record({ room: optional(arbText) }).map(defined) }),
  fc.record({
    product: fc.constant('chat' as const),
    options: fc
      .record({
        serviceSid: arbSid('IS'),
        endpointId: optional(arbText),
        deploymentRoleSid: optional(arbSid('RL')),
        pushCredentialSid: optional(arbSid('CR')),
      })
      .map(defined),
  }),
  fc.record({
    product: fc.constant('voice' as const),
    options: fc
      .record({
        outgoingApplicationSid: optional(arbSid('AP')),
        incomingAllow: optional(fc.boolean()),
        pushCredentialSid: optional(arbSid('CR')),
        endpointId: optional(arbText),
        params: optional(arbJsonObject),
      })
      .filter((o) => o.outgoingApplicationSid !== undefined || o.incomingAllow === true)
      .map(({ params, ...o }) =>
        defined({ ...o, outgoingApplicationParams: o.outgoingApplicationSid === undefined ? undefined : params }),
      ),
  }),
  fc.record({
    product: fc.constant('sync' as const),
    options: fc.record({ serviceSid: optional(arbSid('IS')), endpointId: optional(arbText) }).map(defined),
  }),
  fc.record({
    product: fc.constant('taskRouter' as const),
    options: fc.record({ workspaceSid: arbSid('WS'), workerSid: arbSid('WK'), role: optional(arbText) }).map(defined),
  }),
  fc.record({ product: fc.constant('playback' as const), options: fc.record({ grant: arbJsonObject }) }),
);

/** One to six grants with distinct wire keys, in random order. */
export const arbGrantSpecs = fc.uniqueArray(arbGrantSpec, {
  minLength: 1,
  maxLength: 6,
  selector: (g) => (g.product === 'chat' ? 'chat' : g.product),
});

export const arbTokenSpec: fc.Arbitrary<TokenSpec> = fc
  .record({
    identity: arbIdentity,
    grants: arbGrantSpecs,
    ttl: optional(fc.integer({ min: 1, max: 86_400 })),
    nbf: optional(fc.integer({ min: 0, max: FROZEN_S })),
    region: optional(fc.stringMatching(/^[a-z]{2}[0-9]$/)),
    algorithm: optional(fc.constantFrom('HS256' as const, 'HS384' as const, 'HS512' as const)),
    credentials: fc.record({
      accountSid: arbSid('AC'),
      apiKeySid: arbSid('SK'),
      // Any non-empty string without surrounding whitespace: the secrets Twilio issues, and more.
      apiKeySecret: fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s),
    }),
  })
  .map(defined);

/** Runs `fn`, expecting an AccessTokenError with this code, path and message. */
export function expectError(
  fn: () => unknown,
  code: AccessTokenErrorCode,
  path: string | undefined,
  message: string | RegExp,
) {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isAccessTokenError(thrown), `expected an AccessTokenError, got ${String(thrown)}`).toBe(true);
  const error = thrown as { code: string; path?: string; message: string };
  expect(error.code).toBe(code);
  expect(error.path).toBe(path);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

/** Blanks every credential variable the library reads (empty counts as unset); undo with vi.unstubAllEnvs(). */
export function clearCredentialEnv(): void {
  for (const name of Object.values(CREDENTIAL_VARIABLES).flat()) vi.stubEnv(name, '');
}

/**
 * A random API Key secret made of letters and digits that spell no word of any message, so a
 * 6-character window of it can appear in an error only if the secret leaked; never starts like a SID.
 */
export const arbSecret = (minLength = 16, maxLength = 48) =>
  fc.string({ unit: fc.constantFrom(...'qxzjkvwy23456789'.split('')), minLength, maxLength });

/** Every 6-character window of a secret: none may appear in anything the library says. */
export function secretWindows(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= secret.length; i++) out.push(secret.slice(i, i + 6));
  return out;
}
