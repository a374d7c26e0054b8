import { fail } from '../base/errors.js';
import { assertKnownKeys } from '../base/known-keys.js';
import { assertSid } from '../base/validate.js';

// A phone app's push credentials, one per platform and, for iOS, per APNs environment: the map a
// token endpoint picks `pushCredentialSid` from (pushCredentialFor) and the online probe checks
// against Twilio (expectPush). Read and checked here, once, for both.

/**
 * The Push Credential SIDs (`CR...`) of an app, by platform: an FCM credential for Android, and an
 * APNs credential for iOS (a string: production only; or one per APNs environment).
 */
export interface PushCredentialMap {
  /** The APNs credential, or `{ production, sandbox? }` (a sandbox credential for development builds). */
  readonly ios?: string | ApnsCredentials;
  /** The FCM credential. */
  readonly android?: string;
}

/** An app's APNs credentials by environment. */
export interface ApnsCredentials {
  /** For TestFlight and App Store builds: an APNs credential without sandbox. */
  readonly production: string;
  /** For builds run from Xcode: a sandbox APNs credential. */
  readonly sandbox?: string;
}

/** A {@link PushCredentialMap} whose SIDs were checked, from {@link pushCredentials}; frozen. */
export interface PushCredentials {
  /** The APNs credentials by environment. */
  readonly ios?: ApnsCredentials;
  /** The FCM credential. */
  readonly android?: string;
}

const CHECKED = new WeakSet<object>();
const SID = { code: 'ERR_INVALID_OPTION', prefix: 'CR', label: 'a Push Credential SID' } as const;

/**
 * Checks an app's push credentials once, when the endpoint is set up, so a wrong SID fails at
 * start-up and not at the first phone that asks: every SID a `CR` SID, only the keys `ios` and
 * `android` (`ios` also `{ production, sandbox }`), at least one platform, and distinct production
 * and sandbox credentials (an APNs credential is for one environment).
 *
 * @param map - `{ ios?, android? }`.
 * @returns The map, normalised (`ios` always `{ production, sandbox? }`) and frozen.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` at the wrong entry (`push.ios.production`), for
 *   a SID that is not a `CR` SID, an unknown key (`IOS`, `__proto__`), a key present with the value
 *   `undefined`, no platform, or one SID for both APNs environments.
 *
 * @example
 * ```ts
 * import { createFetchHandler, pushCredentialFor, pushCredentials } from 'twilio-access-token/fetch';
 * import { voiceGrant } from 'twilio-access-token/web';
 *
 * declare function userFromSession(cookie: string | undefined): Promise<string | null>;
 * const PUSH = pushCredentials({
 *   ios: { production: 'CR00000000000000000000000000000001', sandbox: 'CR00000000000000000000000000000002' },
 *   android: 'CR00000000000000000000000000000003',
 * });
 * export const POST = createFetchHandler({
 *   identify: (request) => userFromSession(request.headers.cookie),
 *   grants: (request) =>
 *     voiceGrant({
 *       outgoingApplicationSid: 'AP00000000000000000000000000000000',
 *       incomingAllow: true,
 *       pushCredentialSid: pushCredentialFor(request, PUSH),
 *     }),
 * });
 * ```
 */
export function pushCredentials(map: PushCredentialMap): PushCredentials {
  return readPushCredentials(map, 'push');
}

/** {@link pushCredentials} with the map's path for messages (the probe's `options.expectPush`). */
export function readPushCredentials(map: unknown, path: string): PushCredentials {
  if (typeof map === 'object' && map !== null && CHECKED.has(map)) return map as PushCredentials;
  const given = assertKnownKeys<PushCredentialMap>(map, ['ios', 'android'], path);
  if (given.ios === undefined && given.android === undefined)
    fail({ code: 'ERR_INVALID_OPTION', path, expected: 'a credential for ios, android or both', receivedText: 'none' });
  const android =
    given.android === undefined ? undefined : assertSid(given.android, { ...SID, path: `${path}.android` });
  const ios = given.ios === undefined ? undefined : readIos(given.ios, `${path}.ios`);
  const checked: PushCredentials = Object.freeze({
    ...(ios === undefined ? {} : { ios }),
    ...(android === undefined ? {} : { android }),
  });
  CHECKED.add(checked);
  return checked;
}

function readIos(value: unknown, path: string): ApnsCredentials {
  if (typeof value === 'string') return Object.freeze({ production: assertSid(value, { ...SID, path }) });
  const given = assertKnownKeys<{ production: string; sandbox: string }>(value, ['production', 'sandbox'], path);
  const production = assertSid(given.production, { ...SID, path: `${path}.production` });
  if (given.sandbox === undefined) return Object.freeze({ production });
  const sandbox = assertSid(given.sandbox, { ...SID, path: `${path}.sandbox` });
  if (sandbox.toUpperCase() === production.toUpperCase())
    fail({
      code: 'ERR_INVALID_OPTION',
      path: `${path}.sandbox`,
      expected: 'another credential than production',
      receivedText: 'the same SID',
      hint: 'An APNs credential is for one environment: create a sandbox one for development builds',
    });
  return Object.freeze({ production, sandbox });
}
