import { existsSync } from 'node:fs';
import { isAccessTokenError } from '../base/errors.js';
import { type PushCredentials, readPushCredentials } from '../grants/push-credentials.js';
import { InputError } from './failure.js';
import { readLimitedFile } from './io.js';
import { escapeControl, pathLabel } from './show.js';

// `doctor --online --push FILE`: an app's push credentials by platform, the JSON of the map
// `pushCredentialFor` takes, for the probe to check against Twilio.

const SHAPE = '{"ios": "CR..." or {"production": "CR...", "sandbox": "CR..."}, "android": "CR..."}';

/**
 * The push credential map of a `--push FILE`.
 *
 * @param path - The file.
 * @returns The map, checked as `pushCredentials` checks it.
 * @throws {@link InputError} for a missing, unreadable, too large or unparsable file, or a map that
 *   `pushCredentials` refuses (its message names the entry, never a value that is not a SID).
 */
export function pushFromFile(path: string): PushCredentials {
  const label = pathLabel('--push', path);
  if (!existsSync(path)) throw new InputError(`${label}: no such file`);
  const text = readLimitedFile(path, label, `a JSON object of push credentials, ${SHAPE}`);
  let map: unknown;
  try {
    map = JSON.parse(text);
  } catch {
    throw new InputError(`${label} is not JSON; it holds ${SHAPE}`);
  }
  try {
    return readPushCredentials(map, 'push');
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
    throw new InputError(`${error.code}: ${label}: ${escapeControl(error.message)}`);
  }
}
