import { assertString } from '../base/validate.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';

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
  const o = grantOptions<VideoGrantOptions>(options, 'video', {
    known: ['room'],
    required: false,
    widens: { room: 'every Room' },
  });
  const payload: { room?: string } = {};
  if (o.room !== undefined) payload.room = assertString(o.room, 'grants.video.room', 'ERR_INVALID_GRANT');
  return makeGrant('video', payload);
}
