import { describe } from '../../base/errors.js';
import { type PushCredentialMap, type PushCredentials, pushCredentials } from '../../grants/push-credentials.js';
import { HttpError } from './response.js';

export type { ApnsCredentials, PushCredentialMap, PushCredentials } from '../../grants/push-credentials.js';
export { pushCredentials };

// The push credential for the phone that asks: its `platform` and, on iOS, its APNs environment
// come from the request; the SIDs from the server's map. Nothing from the request indexes the map:
// each value is compared with the few this endpoint knows.

/**
 * Picks the Push Credential SID for this request's device, for `voiceGrant` or `chatGrant`
 * `pushCredentialSid`: the request parameter `platform` (`ios` or `android`, query or body) and,
 * for iOS, `apnsEnvironment` (`production`, the default, or `sandbox` for development builds).
 *
 * Give it a map made once with {@link pushCredentials}, so its SIDs are checked at start-up; a map
 * literal works too, and is then checked on every call (a bad SID is a 500 and reaches `onError`).
 *
 * @param request - The token request (`params` is read).
 * @param map - The credentials by platform: from `pushCredentials`, or `{ ios?, android? }`.
 * @returns The `CR` SID for this device.
 * @throws A 400 `ERR_INVALID_REQUEST` answer naming the parameter, when `platform` is missing or
 *   not one the map has a credential for, or `apnsEnvironment` is present but not exactly `production` or (when
 *   the map has one) `sandbox` (`null` and `""` too: only an absent one means production); the handler answers it as such and tells `onDenied`.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION` for a map that {@link pushCredentials} refuses.
 *
 * @example
 * ```ts
 * import { createFetchHandler, pushCredentialFor, pushCredentials } from 'twilio-access-token/fetch';
 * import { chatGrant } from 'twilio-access-token/web';
 *
 * declare function userFromSession(cookie: string | undefined): Promise<string | null>;
 * const PUSH = pushCredentials({ ios: 'CR00000000000000000000000000000001', android: 'CR00000000000000000000000000000002' });
 * export const POST = createFetchHandler({
 *   identify: (request) => userFromSession(request.headers.cookie),
 *   grants: (request) =>
 *     chatGrant({ serviceSid: 'IS00000000000000000000000000000000', pushCredentialSid: pushCredentialFor(request, PUSH) }),
 * });
 * ```
 */
export function pushCredentialFor(
  request: { readonly params: Readonly<Record<string, unknown>> },
  map: PushCredentialMap | PushCredentials,
): string {
  const { ios, android } = pushCredentials(map);
  const params = request.params;
  const platform = param(params, 'platform');
  if (platform === 'android' && android !== undefined) return android;
  if (platform !== 'ios' || ios === undefined)
    throw invalidRequest('platform', [ios && 'ios', android && 'android'], platform);
  // Only an absent apnsEnvironment means production: a present one (null, '', 0) must name one.
  const environment = Object.hasOwn(params, 'apnsEnvironment') ? params.apnsEnvironment : 'production';
  if (environment === 'production') return ios.production;
  if (environment === 'sandbox' && ios.sandbox !== undefined) return ios.sandbox;
  throw invalidRequest('apnsEnvironment', ['production', ios.sandbox && 'sandbox'], environment);
}

/** An own parameter of the request, read once; `undefined` when absent. */
function param(params: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

/** The 400 for a parameter that is missing or not one of `allowed` (the received value is only described). */
function invalidRequest(name: string, allowed: readonly unknown[], received: unknown): HttpError {
  const expected = allowed.filter((value) => typeof value === 'string').map((value) => `"${value}"`);
  const got = received === undefined ? 'it is missing' : `received ${describe(received)}`;
  return new HttpError(
    'ERR_INVALID_REQUEST',
    `Invalid request parameter ${name}: expected ${expected.join(' or ')}; ${got}`,
  );
}
