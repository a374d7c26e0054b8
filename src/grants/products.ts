import { CHAT, CHAT_CLI, CHAT_TOOLING } from './chat.js';
import type { GrantProduct } from './grant.js';
import { PLAYBACK, PLAYBACK_TOOLING } from './playback.js';
import type { CliSpec, GrantCli, GrantSpec, GrantTable, GrantTooling } from './spec.js';
import { SYNC, SYNC_CLI, SYNC_TOOLING } from './sync.js';
import { TASK_ROUTER, TASK_ROUTER_CLI, TASK_ROUTER_TOOLING } from './task-router.js';
import { VIDEO, VIDEO_CLI, VIDEO_TOOLING } from './video.js';
import { VOICE, VOICE_CLI, VOICE_TOOLING } from './voice.js';

// Every product's table joined with its tooling, for what reads them all: decoding, diagnose, the
// probe and the /twilio mapping; and joined again with its CLI table, for the CLI. The order is the
// order of messages that list them. The factories read their own tables only, so a bundle that
// mints holds none of this.

/** A product's factory table with its tooling. */
function joined<T extends GrantTable>(table: T, tooling: GrantTooling): T & GrantTooling {
  return { ...table, ...tooling };
}

/** The factory tables with their literal types, for the types derived from them (decode's). */
export interface ProductTables {
  readonly video: typeof VIDEO;
  readonly chat: typeof CHAT;
  readonly voice: typeof VOICE;
  readonly sync: typeof SYNC;
  readonly taskRouter: typeof TASK_ROUTER;
  readonly playback: typeof PLAYBACK;
}

/**
 * Every product's table, by product, joined with its tooling, keeping the tables' literal types:
 * the compiler checks that none is missing.
 */
export const SPECS = {
  video: /* @__PURE__ */ joined(VIDEO, VIDEO_TOOLING),
  chat: /* @__PURE__ */ joined(CHAT, CHAT_TOOLING),
  voice: /* @__PURE__ */ joined(VOICE, VOICE_TOOLING),
  sync: /* @__PURE__ */ joined(SYNC, SYNC_TOOLING),
  taskRouter: /* @__PURE__ */ joined(TASK_ROUTER, TASK_ROUTER_TOOLING),
  playback: /* @__PURE__ */ joined(PLAYBACK, PLAYBACK_TOOLING),
} as const satisfies Readonly<Record<GrantProduct, GrantSpec>> & { readonly [P in GrantProduct]: ProductTables[P] };

/** Every product's table, in order. */
export const PRODUCTS: readonly GrantSpec[] = /* @__PURE__ */ Object.values(SPECS);

/** A product's table by its wire key (`data_sync`), own keys only: the key may come from a token. */
export const BY_KEY: ReadonlyMap<string, GrantSpec> = /* @__PURE__ */ new Map(
  /* @__PURE__ */ PRODUCTS.map((spec) => [spec.key, spec]),
);

const CLI: Readonly<Record<GrantProduct, GrantCli>> = {
  video: VIDEO_CLI,
  chat: CHAT_CLI,
  voice: VOICE_CLI,
  sync: SYNC_CLI,
  taskRouter: TASK_ROUTER_CLI,
  playback: {},
};

/** A product's spec with its CLI table: its command, and each field with its flag. */
function withCli(spec: GrantSpec): CliSpec {
  const { flags, ...cli } = CLI[spec.product];
  const fields = spec.fields.map((field) => ({
    ...field,
    ...(flags !== undefined && Object.hasOwn(flags, field.option) ? flags[field.option] : undefined),
  }));
  return { ...spec, ...cli, fields };
}

/** Every product's spec with its CLI command and flags, in order: what the CLI reads. */
export const CLI_PRODUCTS: readonly CliSpec[] = /* @__PURE__ */ PRODUCTS.map(withCli);
