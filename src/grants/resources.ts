import { CHAT_RESOURCES } from './chat.js';
import type { GrantProduct } from './grant.js';
import type { PLAYBACK } from './playback.js';
import type { ProductHost, ResourcesOf, SidResource } from './spec.js';
import { SYNC_RESOURCES } from './sync.js';
import { TASK_ROUTER_RESOURCES } from './task-router.js';
import type { VIDEO } from './video.js';
import { VOICE_RESOURCES } from './voice.js';

// Where Twilio serves what each grant names, by product: the online probe's view of the tables.
// Only twilio-access-token/probe imports this file, so the factories' bundles stay as they were.

/** Each product's SID resources by option; a product without SID fields has none (checked by the compiler). */
export const RESOURCES: Readonly<Record<GrantProduct, Readonly<Record<string, SidResource>>>> = {
  video: {} satisfies ResourcesOf<typeof VIDEO>,
  chat: CHAT_RESOURCES,
  voice: VOICE_RESOURCES,
  sync: SYNC_RESOURCES,
  taskRouter: TASK_ROUTER_RESOURCES,
  playback: {} satisfies ResourcesOf<typeof PLAYBACK>,
};

/** Every product host, in the order of Twilio's docs; `api` serves the 2010-04-01 API. */
export const PRODUCT_HOSTS: readonly ProductHost[] = ['api', 'conversations', 'sync', 'taskrouter', 'video', 'chat'];

/** Where Twilio serves a push credential (`CR`): the resource the voice table marks `push`. */
export const PUSH_CREDENTIAL_RESOURCE: SidResource = VOICE_RESOURCES.pushCredentialSid;
