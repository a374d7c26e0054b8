import { CHAT } from './chat.js';
import type { GrantProduct } from './grant.js';
import { PLAYBACK } from './playback.js';
import type { GrantSpec } from './spec.js';
import { SYNC } from './sync.js';
import { TASK_ROUTER } from './task-router.js';
import { VIDEO } from './video.js';
import { VOICE } from './voice.js';

// Every product's table, for what reads them all: decoding, diagnose, the /twilio mapping and the
// CLI. The order is the order of messages that list them.

/**
 * Every product's table, by product, with its literal types (decode's types are derived from them):
 * the compiler checks that none is missing.
 */
export const SPECS = {
  video: VIDEO,
  chat: CHAT,
  voice: VOICE,
  sync: SYNC,
  taskRouter: TASK_ROUTER,
  playback: PLAYBACK,
} as const satisfies Readonly<Record<GrantProduct, GrantSpec>>;

/** Every product's table with its literal types, for the types derived from them (decode's). */
export type ProductTables = typeof SPECS;

/** Every product's table, in order. */
export const PRODUCTS: readonly GrantSpec[] = /* @__PURE__ */ Object.values(SPECS);

/** A product's table by its wire key (`data_sync`), own keys only: the key may come from a token. */
export const BY_KEY: ReadonlyMap<string, GrantSpec> = /* @__PURE__ */ new Map(
  /* @__PURE__ */ PRODUCTS.map((spec) => [spec.key, spec]),
);
