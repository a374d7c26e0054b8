import type { ChatGrant } from './chat.js';
import type { PlaybackGrant } from './playback.js';
import type { SyncGrant } from './sync.js';
import type { TaskRouterGrant } from './task-router.js';
import type { VideoGrant } from './video.js';
import type { VoiceGrant } from './voice.js';

export * from './chat.js';
export type { GrantOf, GrantProduct } from './grant.js';
export * from './playback.js';
export * from './sync.js';
export * from './task-router.js';
export * from './video.js';
export * from './voice.js';

/** Any grant a factory returns. Pass one or an array of them to {@link createAccessToken}. */
export type Grant = VideoGrant | ChatGrant | VoiceGrant | SyncGrant | TaskRouterGrant | PlaybackGrant;
