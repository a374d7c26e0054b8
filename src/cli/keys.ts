import { existsSync } from 'node:fs';
import { isAccessTokenError } from '../base/errors.js';
import type { EnvironmentVariables } from '../token/credentials.js';
import { type Keyring, keyringFromEnv } from '../token/keyring/keyring.js';
import { InputError } from './failure.js';
import { type CommandRun, readLimitedFile } from './io.js';
import { escapeControl, pathLabel, safeJson } from './show.js';

// `keys` (the keyring of TWILIO_API_KEYS and when each key signs or may be deleted) and the
// `--keys FILE` of verify and doctor. Neither ever prints a secret: only SIDs, roles and times.

/** The variable whose JSON a `--keys` file holds. */
const KEYS_VARIABLE = 'TWILIO_API_KEYS';

/**
 * The keyring of a `--keys FILE` (the JSON of `TWILIO_API_KEYS`), with the account SID from the
 * environment.
 *
 * @param path - The file.
 * @param env - The environment (and .env) the account SID and `TWILIO_AUTH_TOKEN` come from.
 * @returns The keyring.
 * @throws {@link InputError} for a missing, unreadable, empty or too large file, or keys the
 *   keyring refuses (its code and message, which never hold a secret); never the file's content.
 */
export function keysFromFile(path: string, env: EnvironmentVariables): Keyring {
  const label = pathLabel('--keys', path);
  if (!existsSync(path)) throw new InputError(`${label}: no such file`);
  const text = readLimitedFile(path, label, `a JSON array of keys (${KEYS_VARIABLE})`);
  // An empty variable counts as unset, and the keyring would fall back to the single-key variables.
  if (text.trim() === '')
    throw new InputError(`${label} is empty; it holds the JSON of ${KEYS_VARIABLE}: [{"sid", "secret", "signFrom"?}]`);
  // No prototype: a variable named __proto__ in the environment is a variable like any other.
  const withKeys: Record<string, string | undefined> = Object.assign(Object.create(null), env);
  withKeys[KEYS_VARIABLE] = text;
  try {
    return keyringFromEnv(withKeys);
  } catch (error) {
    if (!isAccessTokenError(error) || error.code === 'ERR_MISSING_CREDENTIALS') throw error;
    throw new InputError(`${error.code}: ${label} (the JSON of ${KEYS_VARIABLE}): ${escapeControl(error.message)}`);
  }
}

/** `keys`: one line per key of the keyring from the environment: SID, role, signFrom, retireAt. */
export function keys({ io, env, output }: CommandRun): number {
  const described = keyringFromEnv(env).describe();
  if (output === 'json') {
    io.stdout(`${safeJson(described, 2)}\n`);
    return 0;
  }
  const width = Math.max(...described.map((d) => d.role.length));
  for (const d of described) {
    const times = [
      d.signFrom === undefined ? '' : `  signFrom ${d.signFrom.toISOString()}`,
      d.retireAt === undefined ? '' : `  retireAt ${d.retireAt.toISOString()}`,
    ].join('');
    io.stdout(`${`${d.apiKeySid}  ${d.role.padEnd(width)}${times}`.trimEnd()}\n`);
  }
  return 0;
}
