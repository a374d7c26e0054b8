import twilio from 'twilio';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { parse } from '../../src/cli/args.js';
import { GRANT_FLAGS_BY_PATH } from '../../src/cli/grant-flags.js';
import { help } from '../../src/cli/help.js';
import { buildGrant } from '../../src/grants/build.js';
import { copyJsonObject } from '../../src/grants/plain-json.js';
import { BY_KEY, CLI_PRODUCTS, PRODUCTS, SPECS } from '../../src/grants/products.js';
import type { DecodedFields, FieldUnion, GrantField, GrantSpec } from '../../src/grants/spec.js';
import type { VIDEO } from '../../src/grants/video.js';
import type { VOICE } from '../../src/grants/voice.js';
import type { AccessTokenGrants, VideoGrantOptions, VoiceGrantOptions } from '../../src/index.js';
import { createAccessToken, diagnoseAccessToken } from '../../src/index.js';
import { fromTwilioGrant, toTwilioAccessToken } from '../../src/twilio.js';
import { credentials, sid } from '../helpers.js';

// Every consumer of a product's table knows every field of it: the factory, decode, diagnose, the /twilio mapping and the CLI. Iterates the tables, so a new field is
// covered here without a new test.

/** What the test reads of a twilio grant instance. */
interface TwilioGrant {
  toPayload(): unknown;
}

/** A valid value for a field. */
function valid(field: GrantField): unknown {
  if (field.kind === 'sid') return sid(field.prefix as string);
  if (field.kind === 'true') return true;
  if (field.kind === 'json' || field.kind === 'payload') return { a: 1 };
  return 'x1';
}

/** Every field of a product set to a valid value. */
const full = (spec: GrantSpec) => Object.fromEntries(spec.fields.map((f) => [f.option, valid(f)]));

const fields = CLI_PRODUCTS.flatMap((spec) =>
  spec.fields.map((field) => [spec.product, field.option, spec, field] as const),
);

describe.each(fields)('%s.%s is known to every consumer', (_product, _option, spec, field) => {
  const grant = buildGrant(spec, full(spec), copyJsonObject);
  const wire = field.wire === '' ? undefined : field.wire;

  test('the factory writes it at its wire path, and refuses a wrong value there', () => {
    const payload = grant.payload as Record<string, unknown>;
    const [outer, inner] = (wire ?? '').split('.') as [string, string | undefined];
    if (wire === undefined) expect(payload).toEqual({ a: 1 });
    else
      expect(inner === undefined ? payload[outer] : (payload[outer] as Record<string, unknown>)[inner]).toEqual(
        valid(field),
      );
    expect(() => buildGrant(spec, { ...full(spec), [field.option]: 12 }, copyJsonObject)).toThrow(
      `grants.${spec.product}.${field.option}`,
    );
  });

  test("the /twilio mapping carries it both ways, or refuses it when twilio's class does not write it", () => {
    const TwilioClass = (twilio.jwt.AccessToken as unknown as Record<string, new (o: object) => TwilioGrant>)[
      spec.twilio
    ] as new (
      o: object,
    ) => TwilioGrant;
    if (JSON.stringify(new TwilioClass(full(spec)).toPayload()) !== JSON.stringify(grant.payload)) {
      expect(() => toTwilioAccessToken('alice', grant as never, { credentials })).toThrow(
        `Invalid grants.${spec.product}: expected fields twilio's ${spec.twilio} writes`,
      );
      return;
    }
    const token = toTwilioAccessToken('alice', grant as never, { credentials });
    const back = fromTwilioGrant((token as unknown as { grants: { key: string }[] }).grants[0] as never);
    expect(back.payload).toEqual(grant.payload);
    expect(BY_KEY.get(spec.key)?.twilio).toBe(spec.twilio);
  });

  test('diagnose and decode check it: a wrong type is an INVALID_GRANT finding', () => {
    if (wire === undefined) return; // the playback payload is Twilio's object, not checked field by field
    const payload = structuredClone(grant.payload) as Record<string, Record<string, unknown> | unknown>;
    const [outer, inner] = wire.split('.') as [string, string | undefined];
    if (inner === undefined) payload[outer] = 12;
    else (payload[outer] as Record<string, unknown>)[inner] = 12;
    const token = createAccessToken('alice', grant as never, { credentials });
    const [h, p, s] = token.split('.');
    const body = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    body.grants[spec.key] = payload;
    const forged = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    const findings = diagnoseAccessToken(forged).findings;
    expect(findings.some((f) => f.path === `payload.grants.${spec.key}.${wire}` || f.code === 'MALFORMED_TOKEN')).toBe(
      true,
    );
  });

  test('the CLI has its flag on the product command', () => {
    if (field.flag === undefined || spec.command === undefined) return;
    const value = field.kind === 'true' ? [] : [String(valid(field))];
    const parsed = parse([spec.command, '--identity', 'a', `--${field.flag}`, ...value]);
    expect(parsed.values[field.flag]).toBe(field.kind === 'true' ? true : value[0]);
  });

  test("the CLI's help shows its flag and its errors name it", () => {
    if (field.flag === undefined || spec.command === undefined) return;
    expect(help(spec.command)).toContain(`--${field.flag}`);
    if (field.mint !== false) expect(help('mint')).toContain(`--${field.flag}`);
    expect(GRANT_FLAGS_BY_PATH.get(`grants.${spec.product}.${field.option}`)).toBe(`--${field.flag}`);
  });
});

describe('the product tables', () => {
  test.each(PRODUCTS.map((spec) => [spec.product, spec] as const))(
    '%s: a grant of every field mints what JSON.stringify writes',
    (_, spec) => {
      const grant = buildGrant(spec, full(spec), copyJsonObject) as unknown as { key: string; payload: object };
      const token = createAccessToken('alice', grant as never, { credentials });
      const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as {
        grants: Record<string, unknown>;
      };
      expect(JSON.stringify(payload.grants[grant.key])).toBe(JSON.stringify(grant.payload));
      expect(Object.isFrozen(grant.payload)).toBe(true);
      for (const value of Object.values(grant.payload))
        if (typeof value === 'object') expect(Object.isFrozen(value)).toBe(true);
    },
  );
});

describe('diagnose reports a field a table does not know', () => {
  test('video.rooom: a warning that names room and what its absence allows', () => {
    const token = createAccessToken('alice', buildGrant(SPECS.video, {}) as never, { credentials });
    const [h, p, s] = token.split('.');
    const body = JSON.parse(Buffer.from(p as string, 'base64url').toString());
    body.grants.video = { rooom: 'standup' };
    const forged = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
    expect(diagnoseAccessToken(forged).findings).toContainEqual({
      severity: 'warning',
      code: 'GRANT_FIELD_UNKNOWN',
      message:
        'The grants.video.rooom is a field Twilio does not read, so it is ignored; expected "room": without room the grant allows every Room',
      path: 'payload.grants.video.rooom',
    });
  });

  test.each(['constructor', '__proto__', 'toString'])(
    '%s inside voice.outgoing is unknown, never a prototype member',
    (name) => {
      const token = createAccessToken('alice', buildGrant(SPECS.voice, { incomingAllow: true }) as never, {
        credentials,
      });
      const [h, p, s] = token.split('.');
      const body = JSON.parse(Buffer.from(p as string, 'base64url').toString());
      body.grants.voice = JSON.parse(
        `{"incoming":{"allow":true},"outgoing":{"application_sid":"${sid('AP')}","${name}":1}}`,
      );
      const forged = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
      const unknown = diagnoseAccessToken(forged).findings.filter((f) => f.code === 'GRANT_FIELD_UNKNOWN');
      expect(unknown.map((f) => f.path)).toEqual([
        `payload.grants.voice.outgoing${name.length <= 8 ? `.${name}` : `[a key of ${name.length} characters]`}`,
      ]);
    },
  );
});

test('the tables name exactly the options of the public types', () => {
  expectTypeOf<(typeof VIDEO)['fields'][number]['option']>().toEqualTypeOf<keyof VideoGrantOptions>();
  expectTypeOf<(typeof VOICE)['fields'][number]['option']>().toEqualTypeOf<keyof VoiceGrantOptions>();
});

test("decode's grant types are the tables' wire fields, typed by kind", () => {
  const SAMPLE = {
    fields: [
      { option: 'a', wire: 'plain', kind: 'string' },
      { option: 'b', wire: 'nested.app_sid', kind: 'sid' },
      { option: 'c', wire: 'nested.params', kind: 'json' },
      { option: 'd', wire: 'on.allow', kind: 'true' },
    ],
  } as const;
  expectTypeOf<DecodedFields<FieldUnion<typeof SAMPLE>>>().toEqualTypeOf<{
    readonly plain?: string;
    readonly nested?: { readonly app_sid?: string; readonly params?: Readonly<Record<string, unknown>> };
    readonly on?: { readonly allow?: boolean };
  }>();
  expectTypeOf<NonNullable<AccessTokenGrants['voice']>>().toEqualTypeOf<DecodedFields<FieldUnion<typeof VOICE>>>();
  expectTypeOf<NonNullable<AccessTokenGrants['video']>>().toEqualTypeOf<DecodedFields<FieldUnion<typeof VIDEO>>>();
  expectTypeOf<NonNullable<AccessTokenGrants['player']>>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
  expectTypeOf<AccessTokenGrants['identity']>().toEqualTypeOf<string | undefined>();
});
