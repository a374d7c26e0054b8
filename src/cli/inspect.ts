import { isAccessTokenError } from '../base/errors.js';
import { decodeAccessToken } from '../inspect/decode.js';
import { ago } from '../inspect/diagnose/token-checks.js';
import { verifyAccessToken } from '../platform/node.js';
import { refuseAuthTokenSecret } from '../token/auth-token.js';
import { CREDENTIAL_VARIABLES, type EnvironmentVariables } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/keyring.js';
import type { Parsed } from './args.js';
import { UsageError } from './failure.js';
import type { CommandRun, Io } from './io.js';
import { keysFromFile } from './keys.js';
import { escapeControl, safeJson } from './show.js';

// decode and verify.

/** The token argument, or standard input for `-`, trimmed. */
export async function tokenArgument(parsed: Parsed, io: Io): Promise<string> {
  const [given, ...extra] = parsed.positionals;
  if (given === undefined)
    throw new UsageError(`${parsed.command} needs a token, or '-' to read one from standard input`);
  if (extra.length > 0) throw new UsageError(`${parsed.command} takes one token, got ${parsed.positionals.length}`);
  const token = (given === '-' ? await io.stdin() : given).trim();
  // An empty pipe (`echo "$UNSET" | twilio-token decode -`) or argument is a usage mistake, not a
  // malformed token.
  if (token === '')
    throw new UsageError(
      `no token given: ${given === '-' ? 'standard input was empty' : 'the token argument is empty'} (pass the token, or '-' and pipe it in)`,
    );
  return token;
}

/** `decode <token|->`: header and payload, and when it expires. */
export async function decode(parsed: Parsed, io: Io): Promise<number> {
  const decoded = decodeAccessToken(await tokenArgument(parsed, io));
  io.stdout(`${safeJson(decoded, 2)}\n`);
  io.stderr(
    `twilio-token: ${expiry(decoded.payload.exp)} (not verified; use 'twilio-token verify' to check the signature)\n`,
  );
  return 0;
}

/**
 * The first API Key secret variable that is set, as `verify` and `doctor` read it.
 *
 * @throws {@link AccessTokenError} `ERR_INVALID_CREDENTIALS` when `TWILIO_AUTH_TOKEN` or `AUTH_TOKEN`
 *   holds the same value, as minting does (the Auth Token cannot sign Access Tokens).
 */
export function secretVariable(env: EnvironmentVariables): string | undefined {
  const name = CREDENTIAL_VARIABLES.apiKeySecret.find((n) => typeof env[n] === 'string' && env[n] !== '');
  if (name !== undefined) refuseAuthTokenSecret((n) => env[n], name, env[name]);
  return name;
}

const CHECKS = new Map<string, string>([
  ['ERR_MALFORMED_TOKEN', 'format'],
  ['ERR_UNSUPPORTED_ALGORITHM', 'algorithm'],
  ['ERR_INVALID_SIGNATURE', 'signature'],
  ['ERR_UNKNOWN_KEY', 'key (iss and sub)'],
  ['ERR_TOKEN_EXPIRED', 'expiry (exp)'],
  ['ERR_TOKEN_NOT_YET_VALID', 'not-before (nbf)'],
  ['ERR_TOKEN_TOO_LONG', 'lifetime (exp - iat)'],
  ['ERR_KEY_RETIRED', "key schedule (iat before and exp at or before the key's retireAt)"],
]);

/** `verify <token|-> [--keys FILE]`: every check, and which one failed. */
export async function verify({ parsed, io, env }: CommandRun): Promise<number> {
  const token = await tokenArgument(parsed, io);
  const options = verifyOptions(parsed, env);
  if (options === undefined) {
    io.stderr(
      `twilio-token: ERR_MISSING_CREDENTIALS: verify needs the API Key secret: set ${CREDENTIAL_VARIABLES.apiKeySecret.join(', ')}, or give --keys FILE\n`,
    );
    return 1;
  }
  try {
    const payload = verifyAccessToken(token, options);
    io.stdout(`${safeJson(payload, 2)}\n`);
    io.stderr(`twilio-token: valid: algorithm, signature, nbf and exp check out; ${expiry(payload.exp)}\n`);
    return 0;
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
    io.stderr(
      `twilio-token: ${error.code}: invalid: the ${CHECKS.get(error.code) ?? 'input'} check failed. ${escapeControl(error.message)}\n`,
    );
    return 1;
  }
}

/**
 * What `verify` and `doctor` check the signature with: the keyring of `--keys FILE`, else the API
 * Key secret from the environment; `undefined` when neither is given.
 */
export function verifyOptions(
  parsed: Parsed,
  env: EnvironmentVariables,
): { keyring: Keyring } | { apiKeySecret: string } | undefined {
  const file = parsed.values.keys;
  if (typeof file === 'string') return { keyring: keysFromFile(file, env) };
  const name = secretVariable(env);
  return name === undefined ? undefined : { apiKeySecret: env[name] as string };
}

/** "expires in 59 min" or "expired 3 h ago". */
export function expiry(exp: number, now = Date.now() / 1000): string {
  const amount = ago(exp - now);
  return exp > now ? `expires in ${amount}` : `expired ${amount} ago`;
}
