import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';

/** Options of {@link syncGrant}. */
export interface SyncGrantOptions {
  /** The Sync Service SID, `IS...`; omit for the account's default service. */
  serviceSid?: string;
  /** An identifier for the device or endpoint. */
  endpointId?: string;
}

/** The wire payload of a sync grant (the token's `grants.data_sync`). */
export interface SyncGrantPayload {
  /** The Sync Service SID. */
  readonly service_sid?: string;
  /** The endpoint identifier. */
  readonly endpoint_id?: string;
}

/** A validated Sync grant, made by {@link syncGrant}. */
export type SyncGrant = GrantOf<'sync', 'data_sync', SyncGrantPayload>;

/**
 * Creates a Sync grant.
 *
 * @param options - The Sync Service SID and endpoint; both optional.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when `serviceSid` is not an `IS` SID (or is
 *   present but `undefined`: omit the key for the default service),
 *   `endpointId` is not a non-empty string, or an option is unknown.
 *
 * @example
 * ```ts
 * import { createAccessToken, syncGrant } from 'twilio-access-token';
 *
 * const token = createAccessToken('alice', syncGrant({ serviceSid: 'IS' + '0'.repeat(32) }));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function syncGrant(options?: SyncGrantOptions): SyncGrant {
  const o = grantOptions<SyncGrantOptions>(options, 'sync', {
    known: ['serviceSid', 'endpointId'],
    required: false,
    widens: { serviceSid: "the account's default Sync service" },
  });
  const code = 'ERR_INVALID_GRANT';
  const payload: { service_sid?: string; endpoint_id?: string } = {};
  if (o.serviceSid !== undefined) {
    payload.service_sid = assertSid(o.serviceSid, {
      code,
      path: 'grants.sync.serviceSid',
      prefix: 'IS',
      label: 'a Sync Service SID',
    });
  }
  if (o.endpointId !== undefined) payload.endpoint_id = assertString(o.endpointId, 'grants.sync.endpointId', code);
  return makeGrant('sync', payload);
}
