import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import type { CliOf, GrantTooling, SpecOf } from './spec.js';

/** Options of {@link videoGrant}. */
export interface VideoGrantOptions {
  /** Limits the token to one Room: its unique name or its `RM` SID. Omit to allow any Room. */
  room?: string;
}

/** The wire payload of a video grant (the token's `grants.video`). */
export interface VideoGrantPayload {
  /** The one Room this token may join. */
  readonly room?: string;
}

/** A validated Programmable Video grant, made by {@link videoGrant}. */
export type VideoGrant = GrantOf<'video', 'video', VideoGrantPayload>;

/** Video's factory table: its options and wire fields. */
export const VIDEO = {
  product: 'video',
  key: 'video',
  optional: true,
  fields: [
    {
      option: 'room',
      wire: 'room',
      kind: 'string',
      label: 'a Room name or RM SID',
      widens: 'every Room',
    },
  ],
} as const satisfies SpecOf<'video', VideoGrantOptions>;

/** Video's tooling: its name, Regions and twilio-node class (products.ts joins it to VIDEO). */
export const VIDEO_TOOLING = {
  name: 'Video',
  regions: ['us1'],
  twilio: 'VideoGrant',
} as const satisfies GrantTooling;

/** Video's CLI command and flags (products.ts joins them for the CLI). */
export const VIDEO_CLI = {
  command: 'video',
  mintFlag: 'video',
  flags: {
    room: { flag: 'room-name' },
  },
} as const satisfies CliOf<VideoGrantOptions>;

/**
 * Creates a Programmable Video grant, optionally limited to one Room.
 *
 * @param options - The Room to limit the token to; omit for any Room.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when `room` is not a non-empty string (an
 *   explicit `undefined` included: omit the key to allow every Room) or an option is unknown.
 *
 * @example
 * ```ts
 * import { createAccessToken, videoGrant } from 'twilio-access-token';
 *
 * const token = createAccessToken('alice', videoGrant({ room: 'standup' }));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function videoGrant(options?: VideoGrantOptions): VideoGrant {
  return buildGrant<VideoGrant>(VIDEO, options);
}
