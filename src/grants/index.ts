// The grant factories and their public types (the products' tables stay internal).
import type { ChatGrant } from './chat.js';
import type { PlaybackGrant } from './playback.js';
import type { SyncGrant } from './sync.js';
import type { TaskRouterGrant } from './task-router.js';
import type { VideoGrant } from './video.js';
import type { VoiceGrant } from './voice.js';

export { type ChatGrant, type ChatGrantOptions, type ChatGrantPayload, chatGrant, conversationsGrant } from './chat.js';
export type { GrantOf, GrantProduct } from './grant.js';
export { type PlaybackGrant, type PlaybackGrantOptions, type PlaybackGrantPayload, playbackGrant } from './playback.js';
export { type SyncGrant, type SyncGrantOptions, type SyncGrantPayload, syncGrant } from './sync.js';
export {
  type TaskRouterGrant,
  type TaskRouterGrantOptions,
  type TaskRouterGrantPayload,
  taskRouterGrant,
} from './task-router.js';
export { type VideoGrant, type VideoGrantOptions, type VideoGrantPayload, videoGrant } from './video.js';
export {
  type VoiceGrant,
  type VoiceGrantOptions,
  type VoiceGrantPayload,
  type VoiceIncomingPayload,
  type VoiceOutgoingPayload,
  voiceGrant,
} from './voice.js';

/** Any grant a factory returns. Pass one or an array of them to {@link createAccessToken}. */
export type Grant = VideoGrant | ChatGrant | VoiceGrant | SyncGrant | TaskRouterGrant | PlaybackGrant;
