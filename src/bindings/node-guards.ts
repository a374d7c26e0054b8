import type { Channel, GuardPlatform } from '../handlers/core/guards.js';

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
    if (channels === undefined) {
      const dc = builtin<typeof import('node:diagnostics_channel')>('node:diagnostics_channel');
      // Held here, so a subscriber's `subscribe(name)` finds these very channel objects.
      channels = { issued: dc.channel(CHANNEL_NAMES.issued), denied: dc.channel(CHANNEL_NAMES.denied) };
    }
    return channels;
  },
};
