/**
 * Interop with the `twilio` package, for codebases that already hold its grant objects or hand an
 * `AccessToken` instance around. Needs `twilio` installed (an optional peer dependency); the main
 * entry and `/web` never load it.
 *
 * ```ts
 * import { fromTwilioGrant, toTwilioAccessToken } from 'twilio-access-token/twilio';
 * ```
 *
 * @module twilio-access-token/twilio
 */
import { createRequire } from 'node:module';
import { types } from 'node:util';
import type AccessTokenModule from 'twilio/lib/jwt/AccessToken.js';
import { fail, isThenable } from './base/errors.js';
import { readKnownKeys } from './base/known-keys.js';
import { assertIdentity } from './base/validate.js';
import { buildGrant, optionsOf } from './grants/build.js';
import { hasBrand, madeEntry } from './grants/grant.js';
import { grantEntries } from './grants/grant-list.js';
import type { Grant } from './grants/index.js';
import { copyJsonObject } from './grants/plain-json.js';
import { BY_KEY, PRODUCTS, SPECS } from './grants/products.js';
import { resolveTokenOptions } from './token/access-token.js';
import type { AccessTokenOptions } from './token/options.js';

/** Loads twilio's AccessToken class, or fails with the one line that says how to get it. */
function loadAccessToken(): typeof AccessTokenModule {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)('twilio/lib/jwt/AccessToken.js');
  } catch (thrown) {
    const missing = thrown as { code?: unknown; message?: unknown } | null;
    // Only twilio itself missing: a dependency missing inside an installed twilio is another problem.
    if (missing?.code !== 'MODULE_NOT_FOUND' || !String(missing.message).includes("'twilio/lib/jwt/AccessToken.js'"))
      throw thrown;
    const message =
      'twilio-access-token/twilio needs the twilio package, an optional peer dependency that is not installed: npm install twilio';
    // One line where Node prints an uncaught error: the fix, not the resolver's stack and require
    // stack (a `cause` would be printed in full too).
    const error = new Error(message);
    error.stack = `Error: ${message}`;
    throw error;
  }
  // twilio 4.7 to 4.19 export the class as `exports.default`, later versions as `module.exports`.
  return hasDefault(loaded) ? loaded.default : (loaded as typeof AccessTokenModule);
}

function hasDefault(value: unknown): value is { default: typeof AccessTokenModule } {
  return typeof value === 'object' && value !== null && typeof (value as { default?: unknown }).default === 'function';
}
const AccessToken = loadAccessToken();
type AccessToken = AccessTokenModule;

/** Options of {@link toTwilioAccessToken}: those of `createAccessToken` but `algorithm`, which twilio takes in `toJwt()`. */
export type TwilioAccessTokenOptions = Omit<AccessTokenOptions, 'algorithm'>;

/**
 * The `twilio` package's grant classes, as {@link fromTwilioGrant} reads them: a `key`, and the
 * grant's camelCase fields (`room`, `serviceSid`, `incomingAllow`...) read by name.
 */
export interface TwilioGrantLike {
  /** `'video'`, `'chat'`, `'voice'`, `'data_sync'`, `'task_router'` or `'player'`. */
  readonly key: string;
}

/**
 * Builds a real `twilio` `AccessToken` with the same validated content: what `createAccessToken`
 * would sign. `toJwt()` on it equals `createAccessToken(...)` with the clock frozen.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants from this package's factories.
 * @param options - Credentials (default: the environment), ttl, nbf and region.
 * @returns A `twilio` `AccessToken` instance; sign it with `toJwt()`.
 * @throws `AccessTokenError` what `createAccessToken` throws for the same input, and
 *   `ERR_INVALID_OPTION` for `algorithm` (pass it to `toJwt(algorithm)` instead), and
 *   `ERR_INVALID_GRANT` for a grant field the installed `twilio`'s grant class does not write
 *   (it would be dropped from the token, not signed).
 *
 * @example
 * ```ts
 * import { videoGrant } from 'twilio-access-token';
 * import { toTwilioAccessToken } from 'twilio-access-token/twilio';
 *
 * const accessToken = toTwilioAccessToken('alice', videoGrant({ room: 'standup' }), { ttl: 600 });
 * const jwt = accessToken.toJwt();
 * ```
 */
export function toTwilioAccessToken(
  identity: string,
  grants: Grant | readonly Grant[],
  options?: TwilioAccessTokenOptions,
): AccessToken {
  // Read once: a getter could answer differently the second time.
  const algorithm =
    typeof options === 'object' && options !== null && 'algorithm' in options ? options.algorithm : undefined;
  if (algorithm !== undefined) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.algorithm',
      expected: 'no algorithm here: pass it to toJwt(algorithm)',
      received: algorithm,
      show: 'value',
    });
  }
  const plan = resolveTokenOptions(options);
  // This copy's grants for the list, read once: another copy's grant is refused.
  const list = grantEntries(grants).map((entry) => entry.grant as Grant);
  const { accountSid, apiKeySid, apiKeySecret } = plan.credentials;
  const { region } = plan;
  const token = new AccessToken(accountSid, apiKeySid, apiKeySecret, {
    identity: assertIdentity(identity),
    ttl: plan.ttl,
    ...(plan.nbf === undefined ? {} : { nbf: plan.nbf }),
    ...(region === undefined ? {} : { region }),
  });
  for (const grant of list) token.addGrant(toTwilioGrant(grant));
  return token;
}

type TwilioGrantClass = new (options: object) => AccessTokenModule.Grant<unknown, unknown, unknown>;

/** twilio's grant for one of ours: its product's twilio-node class, given the payload read back into options. */
function toTwilioGrant(grant: Grant): AccessTokenModule.Grant<unknown, unknown, unknown> {
  const spec = SPECS[grant.product];
  const Class = (AccessToken as unknown as Readonly<Record<string, TwilioGrantClass>>)[spec.twilio] as TwilioGrantClass;
  const twilioGrant = new Class(optionsOf(spec, grant.payload as Readonly<Record<string, unknown>>));
  // twilio's classes write only the fields they know: a table field this twilio lacks is refused, not lost.
  if (JSON.stringify(twilioGrant.toPayload()) !== JSON.stringify(grant.payload)) {
    fail({
      code: 'ERR_INVALID_GRANT',
      path: `grants.${spec.product}`,
      expected: `fields twilio's ${spec.twilio} writes (this twilio is older than the field)`,
      receivedText: 'a field it drops',
    });
  }
  return twilioGrant;
}

const KEYS = PRODUCTS.map((spec) => `'${spec.key}'`);

/**
 * Turns a `twilio` grant instance (`VideoGrant`, `ChatGrant`, `VoiceGrant`, `SyncGrant`,
 * `TaskRouterGrant`, `PlaybackGrant`) into this package's grant, validated by the same factory, so
 * what twilio would have signed silently wrong is an error here.
 *
 * @param grant - A `twilio` grant instance (read by its `key` and camelCase fields).
 * @returns The equivalent frozen grant.
 * @throws `AccessTokenError` `ERR_INVALID_GRANT` when the grant is of an unknown kind or its
 *   fields fail validation (an `incomingAllow: "true"`, a malformed SID, an empty room...), and for a
 *   grant of another copy of this package (a grant of this copy is returned as it is).
 *
 * @example
 * ```ts
 * import twilio from 'twilio';
 * import { createAccessToken } from 'twilio-access-token';
 * import { fromTwilioGrant } from 'twilio-access-token/twilio';
 *
 * const legacy = new twilio.jwt.AccessToken.VideoGrant({ room: 'standup' });
 * const token = createAccessToken('alice', fromTwilioGrant(legacy));
 * ```
 */
export function fromTwilioGrant(grant: TwilioGrantLike): Grant {
  const own = madeEntry(grant);
  if (own !== undefined) return own.grant as Grant;
  if (typeof grant === 'object' && grant !== null && hasBrand(grant))
    fail({
      code: 'ERR_INVALID_GRANT',
      path: 'grant',
      expected: 'a twilio grant instance',
      receivedText: 'a twilio-access-token grant, made by another copy of the package (another installed version?)',
      hint: 'It is already a grant of this package and needs no conversion: make it with the factories of the copy that mints, and pass it to createAccessToken as it is',
    });
  const g = readTwilioGrant(grant);
  const spec = typeof g.key === 'string' ? BY_KEY.get(g.key) : undefined;
  if (spec === undefined) {
    return fail({
      code: 'ERR_INVALID_GRANT',
      path: 'grant.key',
      expected: `a twilio grant key: ${KEYS.slice(0, -1).join(', ')} or ${KEYS.at(-1)}`,
      received: g.key,
      show: 'value',
    });
  }
  return buildGrant<Grant>(spec, g.fields(spec.fields.map((field) => field.option)), copyJsonObject);
}

/**
 * Reads a twilio grant once, as own data properties: a getter or a Proxy could answer differently
 * when read again, so both are refused. twilio's constructors write every field, `undefined` for
 * those not given, so an `undefined` field here means not given, as twilio signs it.
 */
function readTwilioGrant(grant: unknown) {
  if (typeof grant !== 'object' || grant === null || types.isProxy(grant) || isThenable(grant))
    fail({ code: 'ERR_INVALID_GRANT', path: 'grant', expected: 'a twilio grant instance', received: grant });
  const data: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(grant))) {
    if (!('value' in d))
      fail({
        code: 'ERR_INVALID_GRANT',
        path: 'grant',
        expected: 'a twilio grant instance',
        receivedText: 'an object with a getter',
      });
    if (d.enumerable) Object.defineProperty(data, name, { value: d.value, enumerable: true });
  }
  const key = data.key;
  return {
    key,
    /** The grant's fields for a factory: only those named, and only those twilio was given. */
    fields(names: readonly string[]): Record<string, unknown> {
      const snapshot = readKnownKeys<Record<string, unknown>>(data, ['key', ...names], 'grant', 'ERR_INVALID_GRANT');
      const out: Record<string, unknown> = {};
      for (const name of names) if (snapshot[name] !== undefined) out[name] = snapshot[name];
      return out;
    },
  };
}
