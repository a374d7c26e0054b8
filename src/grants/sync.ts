import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import type { CliOf, GrantTooling, ResourcesOf, SpecOf } from './spec.js';

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

/** Sync's factory table: its options and wire fields. */
export const SYNC = {
  product: 'sync',
  key: 'data_sync',
  optional: true,
  fields: [
    {
      option: 'serviceSid',
      wire: 'service_sid',
      kind: 'sid',
      prefix: 'IS',
      label: 'a Sync Service SID',
      widens: "the account's default Sync service",
    },
    { option: 'endpointId', wire: 'endpoint_id', kind: 'string' },
  ],
} as const satisfies SpecOf<'sync', SyncGrantOptions>;

/** Sync's tooling: its name, Regions and twilio-node class (products.ts joins it to SYNC). */
export const SYNC_TOOLING = {
  name: 'Sync',
  regions: ['us1'],
  twilio: 'SyncGrant',
} as const satisfies GrantTooling;

/** Sync's CLI command and flags (products.ts joins them for the CLI). */
export const SYNC_CLI = {
  command: 'sync',
  mintFlag: 'sync',
  flags: {
    serviceSid: { flag: 'sync-service-sid' },
    endpointId: { flag: 'endpoint-id', mint: false },
  },
} as const satisfies CliOf<SyncGrantOptions>;

/** Where Twilio serves each SID of a sync grant (read by `twilio-access-token/probe`, not by the factory). */
export const SYNC_RESOURCES = {
  serviceSid: { host: 'sync', path: '/v1/Services/{sid}', name: 'Sync Service' },
} as const satisfies ResourcesOf<typeof SYNC>;

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
  return buildGrant<SyncGrant>(SYNC, options);
}
