import { isoSeconds } from '../base/time.js';
import { buildGrant } from '../grants/build.js';
import type { Grant } from '../grants/index.js';
import { copyJsonObject } from '../grants/plain-json.js';
import { CLI_PRODUCTS } from '../grants/products.js';
import type { CliField, CliSpec } from '../grants/spec.js';
import { decodeAccessToken } from '../inspect/decode.js';
import { createAccessToken } from '../platform/node.js';
import type { Credentials, EnvironmentVariables } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import { envSigningSource } from '../token/keyring/env.js';
import type { Parsed } from './args.js';
import { UsageError } from './failure.js';
import { hasFlag, triggers } from './grant-flags.js';
import type { CommandRun } from './io.js';
import { keysFromFile } from './keys.js';

// The minting commands: video, voice, chat, sync and mint.

/** Clearly fake credentials for --demo: well formed, so the token decodes; Twilio rejects it. */
const DEMO: Credentials = {
  accountSid: `AC${'0'.repeat(32)}`,
  apiKeySid: `SK${'0'.repeat(32)}`,
  apiKeySecret: 'demo-secret-not-a-real-api-key!!',
};

const see = (command: string) => ` (see 'twilio-token ${command} --help')`;

/** Whether a field's flag was given: a string flag with a value, a boolean one as true. */
function given(values: Parsed['values'], field: CliField): boolean {
  const value = field.flag === undefined ? undefined : values[field.flag];
  return field.kind === 'true' ? value === true : typeof value === 'string';
}

/** A product's options from its flags (on `mint`, only those mint has); absent flags are absent keys. */
function optionsFor(spec: CliSpec, parsed: Parsed, command: string): Record<string, unknown> {
  const mint = command === 'mint';
  const fields = spec.fields.filter(hasFlag).filter((f) => !(mint && f.mint === false));
  const options: Record<string, unknown> = {};
  for (const field of fields) {
    if (given(parsed.values, field)) options[field.option] = parsed.values[field.flag];
    else if (field.required === true) throw new UsageError(`${command} needs --${field.flag}${see(command)}`);
  }
  const some = (spec.some?.options ?? []).flatMap((option) => fields.filter((f) => f.option === option));
  if (some.length > 0 && !some.some((f) => Object.hasOwn(options, f.option)))
    throw new UsageError(`${command} needs ${some.map((f) => `--${f.flag}`).join(', ')} or both${see(command)}`);
  return options;
}

function mintGrants(parsed: Parsed): Grant[] {
  const grants: Grant[] = [];
  for (const spec of CLI_PRODUCTS) {
    const asked = triggers(spec);
    if (
      (spec.mintFlag !== undefined && parsed.values[spec.mintFlag] === true) ||
      asked.some((f) => given(parsed.values, f))
    ) {
      grants.push(buildGrant<Grant>(spec, optionsFor(spec, parsed, 'mint'), copyJsonObject));
      continue;
    }
    const stray = spec.fields.find((f) => f.mint !== false && given(parsed.values, f));
    if (stray !== undefined) {
      const join = asked.every((f) => f.required === true) ? ' and ' : ' or ';
      throw new UsageError(
        `--${stray.flag} needs a ${spec.name} grant: add ${asked.map((f) => `--${f.flag}`).join(join)}`,
      );
    }
  }
  if (grants.length === 0) {
    const flags = CLI_PRODUCTS.flatMap((spec) => [
      ...(spec.mintFlag === undefined ? [] : [spec.mintFlag]),
      ...triggers(spec).map((f) => f.flag),
    ]);
    throw new UsageError(`mint needs at least one grant flag: ${flags.map((f) => `--${f}`).join(', ')}${see('mint')}`);
  }
  return grants;
}

function grantsFor(parsed: Parsed): Grant[] {
  if (parsed.command === 'mint') return mintGrants(parsed);
  const spec = CLI_PRODUCTS.find((s) => s.command === parsed.command);
  if (spec === undefined) throw new UsageError(`${parsed.command} mints no grant`);
  return [buildGrant<Grant>(spec, optionsFor(spec, parsed, parsed.command), copyJsonObject)];
}

/** Runs a minting command; returns the exit code. */
export function mint({ parsed, io, env, output }: CommandRun): number {
  const v = parsed.values;
  const identity = typeof v.identity === 'string' ? v.identity : undefined;
  if (identity === undefined)
    throw new UsageError(`${parsed.command} needs --identity (see 'twilio-token ${parsed.command} --help')`);
  const grants = grantsFor(parsed);
  const ttl = typeof v.ttl === 'string' ? numberOrText(v.ttl) : undefined;
  const nbf = typeof v.nbf === 'string' ? numberOrText(v.nbf) : undefined;
  const credentials = signingSource(v, env);
  const token = createAccessToken(identity, grants, {
    credentials,
    ...(ttl === undefined ? {} : { ttl: ttl as number }),
    ...(nbf === undefined ? {} : { nbf: nbf as number }),
    ...(typeof v.region === 'string' ? { region: v.region } : {}),
    ...(typeof v.algorithm === 'string' ? { algorithm: v.algorithm as 'HS256' } : {}),
  });
  if (output === 'json') {
    const { exp, iat } = decodeAccessToken(token).payload;
    // Minted just above, so iat is set.
    const body = { token, identity, ttl: exp - iat!, expiresAt: isoSeconds(exp) };
    io.stdout(`${JSON.stringify(body)}\n`);
  } else {
    io.stdout(`${token}\n`);
  }
  if (v.demo === true)
    io.stderr('twilio-token: signed with fake demo credentials (--demo): Twilio will reject this token.\n');
  return 0;
}

/**
 * What signs: the --demo credentials, the keyring of --keys FILE, else the environment as the
 * JavaScript default reads it (the keyring of TWILIO_API_KEYS, else the single-key variables).
 * A keyring signs with its signing key now.
 */
function signingSource(v: Parsed['values'], env: EnvironmentVariables): Credentials | Keyring {
  if (v.demo === true && v.keys !== undefined) throw new UsageError('--demo signs with fake credentials: drop --keys');
  if (v.demo === true) return DEMO;
  return typeof v.keys === 'string' ? keysFromFile(v.keys, env) : envSigningSource(env);
}

// A value that is not a number is passed on as text, so the error shows what was typed.
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}
