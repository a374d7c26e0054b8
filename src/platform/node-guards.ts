import type { Channel, GuardPlatform } from './guard-platform.js';

// The guards' Node side: `tokenId` digests with node:crypto, and the audit events published on
// `node:diagnostics_channel`, so OpenTelemetry and loggers subscribe without a dependency here.
// Both modules are loaded on first use (as the signer loads node:crypto), not at import.

type NodeBuiltins = {
  getBuiltinModule?: ((id: 'node:crypto') => typeof import('node:crypto')) &
    ((id: 'node:diagnostics_channel') => typeof import('node:diagnostics_channel'));
};

function builtin<T>(id: string): T {
  const node = (globalThis as { process?: NodeBuiltins }).process;
  if (typeof node?.getBuiltinModule !== 'function') throw new Error(`${id} is not available in this runtime`);
  return (node.getBuiltinModule as (id: string) => T)(id);
}

let crypto: typeof import('node:crypto') | undefined;
let dc: typeof import('node:diagnostics_channel') | undefined;
let channels: { readonly issued: Channel; readonly denied: Channel } | undefined;

/** The diagnostics channel names, one per event. */
export const CHANNEL_NAMES = {
  issued: 'twilio-access-token:issued',
  denied: 'twilio-access-token:denied',
} as const;

/** node:crypto's SHA-256 and `node:diagnostics_channel`, for the Node adapters. */
export const nodeGuards: GuardPlatform = {
  sha256(text) {
    crypto ??= builtin<typeof import('node:crypto')>('node:crypto');
    return crypto.createHash('sha256').update(text).digest('base64url');
  },
  channels() {
    dc ??= builtin<typeof import('node:diagnostics_channel')>('node:diagnostics_channel');
    // Looked up on every call, not only once: Node keeps channels in a map of weak references whose
    // cleanup deletes by name, so a collected channel of an earlier copy of this module (a test
    // runner or a hot reload re-evaluating it) can remove the entry of the live one; a channel
    // object cached here would then be one no later `subscribe(name)` reaches.
    const issued = dc.channel(CHANNEL_NAMES.issued);
    const denied = dc.channel(CHANNEL_NAMES.denied);
    if (channels?.issued !== issued || channels.denied !== denied) channels = { issued, denied };
    return channels;
  },
};
