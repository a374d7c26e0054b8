import { fail } from '../base/errors.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';
import { copyJsonObject } from './plain-json.js';

/** Options of {@link playbackGrant}. */
export interface PlaybackGrantOptions {
  /** The PlaybackGrant object Twilio's Live API returned for a PlayerStreamer, as given. */
  grant: Readonly<Record<string, unknown>>;
}

/** The wire payload of a playback grant (the token's `grants.player`): Twilio's object as given. */
export type PlaybackGrantPayload = Readonly<Record<string, unknown>>;

/** A validated Twilio Live playback grant, made by {@link playbackGrant}. */
export type PlaybackGrant = GrantOf<'playback', 'player', PlaybackGrantPayload>;

/**
 * Creates a Twilio Live playback grant from the PlaybackGrant Twilio's API returned.
 *
 * @param options - `grant`: the non-empty plain JSON object from Twilio's API; it is copied.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when `grant` is not a non-empty plain JSON
 *   object or an option is unknown.
 *
 * @example
 * ```ts
 * import { createAccessToken, playbackGrant } from 'twilio-access-token';
 *
 * const fromTwilio = { playbackUrl: 'https://example.invalid/live', playerStreamerSid: 'VJ' + '0'.repeat(32) };
 * const token = createAccessToken('viewer-1', playbackGrant({ grant: fromTwilio }));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function playbackGrant(options: PlaybackGrantOptions): PlaybackGrant {
  const o = grantOptions<PlaybackGrantOptions>(options, 'playback', { known: ['grant'], required: true });
  const grant = copyJsonObject(o.grant, 'grants.playback.grant', 'ERR_INVALID_GRANT');
  if (Object.keys(grant).length === 0) {
    fail({
      code: 'ERR_INVALID_GRANT',
      path: 'grants.playback.grant',
      expected: 'the non-empty PlaybackGrant object from Twilio',
      received: grant,
    });
  }
  return makeGrant('playback', grant);
}
