import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import { copyJsonObject } from './plain-json.js';
import type { GrantTooling, SpecOf } from './spec.js';

/** Options of {@link playbackGrant}. */
export interface PlaybackGrantOptions {
  /** The PlaybackGrant object Twilio's Live API returned for a PlayerStreamer, as given. */
  grant: Readonly<Record<string, unknown>>;
}

/** The wire payload of a playback grant (the token's `grants.player`): Twilio's object as given. */
export type PlaybackGrantPayload = Readonly<Record<string, unknown>>;

/** A validated Twilio Live playback grant, made by {@link playbackGrant}. */
export type PlaybackGrant = GrantOf<'playback', 'player', PlaybackGrantPayload>;

/** Live playback's table: one option, Twilio's object, which is the whole payload. */
export const PLAYBACK = {
  product: 'playback',
  key: 'player',
  optional: false,
  fields: [
    {
      option: 'grant',
      wire: '',
      kind: 'payload',
      label: 'the non-empty PlaybackGrant object from Twilio',
      required: true,
    },
  ],
} as const satisfies SpecOf<'playback', PlaybackGrantOptions>;

/** Live playback's tooling: its name, Regions and twilio-node class and why it is legacy (products.ts joins it to PLAYBACK). */
export const PLAYBACK_TOOLING = {
  name: 'Live playback',
  regions: ['us1'],
  twilio: 'PlaybackGrant',
  legacy: 'The player grant is for Twilio Live, which reached end of life on 2023-11-30',
} as const satisfies GrantTooling;

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
  return buildGrant<PlaybackGrant>(PLAYBACK, options, copyJsonObject);
}
