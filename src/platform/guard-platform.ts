// What the token endpoint's guards need of a platform, declared here, below the handlers' core that
// uses it: node-guards.ts and web-guards.ts implement it without importing from handlers/.

/** A `node:diagnostics_channel` channel, as the guards use it. */
export interface Channel {
  /** Whether anyone subscribed: events are built only then. */
  readonly hasSubscribers: boolean;
  /** Sends a message to the subscribers. */
  publish(message: unknown): void;
}

/** What a platform gives the guards: a digest for `tokenId` and, on Node, the channels. */
export interface GuardPlatform {
  /** base64url SHA-256 of an ASCII string. */
  sha256(text: string): string | Promise<string>;
  /** The `issued` and `denied` channels; `undefined` where the platform has none (fetch). */
  channels(): { readonly issued: Channel; readonly denied: Channel } | undefined;
}
