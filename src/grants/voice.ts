import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import { copyJsonObject } from './plain-json.js';
import type { CliOf, GrantTooling, ResourcesOf, SpecOf } from './spec.js';

/** Options of {@link voiceGrant}. At least one of `outgoingApplicationSid` and `incomingAllow: true`. */
export interface VoiceGrantOptions {
  /** The TwiML App (`AP...`) whose Voice URL handles calls this device places. */
  outgoingApplicationSid?: string;
  /** Parameters passed to the TwiML App on outgoing calls: a plain JSON object. Needs `outgoingApplicationSid`. */
  outgoingApplicationParams?: Readonly<Record<string, unknown>>;
  /** Lets this device receive calls to the token's identity. Must be a real boolean. */
  incomingAllow?: boolean;
  /** The Push Credential (`CR...`) for incoming-call notifications on mobile. */
  pushCredentialSid?: string;
  /** An identifier for this device, to tell one identity's devices apart. */
  endpointId?: string;
}

/** `grants.voice.incoming`: present only when incoming calls are allowed. */
export interface VoiceIncomingPayload {
  /** Always `true`. */
  readonly allow: true;
}

/** `grants.voice.outgoing`: the TwiML App for outgoing calls. */
export interface VoiceOutgoingPayload {
  /** The TwiML App SID. */
  readonly application_sid: string;
  /** Parameters passed to the TwiML App. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The wire payload of a voice grant (the token's `grants.voice`). */
export interface VoiceGrantPayload {
  /** Present, as `{ allow: true }`, when incoming calls are allowed. */
  readonly incoming?: VoiceIncomingPayload;
  /** The outgoing TwiML App and its parameters. */
  readonly outgoing?: VoiceOutgoingPayload;
  /** The Push Credential SID. */
  readonly push_credential_sid?: string;
  /** The endpoint identifier. */
  readonly endpoint_id?: string;
}

/** A validated Programmable Voice grant, made by {@link voiceGrant}. */
export type VoiceGrant = GrantOf<'voice', 'voice', VoiceGrantPayload>;

/**
 * Voice's factory table: its options and wire fields (incoming and outgoing are nested objects).
 * Fields are in twilio-node's order, so the JSON is byte-identical.
 */
export const VOICE = {
  product: 'voice',
  key: 'voice',
  optional: false,
  fields: [
    { option: 'incomingAllow', wire: 'incoming.allow', kind: 'true' },
    {
      option: 'outgoingApplicationSid',
      wire: 'outgoing.application_sid',
      kind: 'sid',
      prefix: 'AP',
      label: 'a TwiML App SID',
    },
    { option: 'outgoingApplicationParams', wire: 'outgoing.params', kind: 'json', needs: 'outgoingApplicationSid' },
    {
      option: 'pushCredentialSid',
      wire: 'push_credential_sid',
      kind: 'sid',
      prefix: 'CR',
      label: 'a Push Credential SID',
    },
    { option: 'endpointId', wire: 'endpoint_id', kind: 'string' },
  ],
  some: {
    options: ['outgoingApplicationSid', 'incomingAllow'],
    nothing: 'allows neither incoming calls nor outgoing calls through a TwiML App',
  },
} as const satisfies SpecOf<'voice', VoiceGrantOptions>;

/** Voice's tooling: its name, Regions and twilio-node class (products.ts joins it to VOICE). */
export const VOICE_TOOLING = {
  name: 'Voice',
  regions: ['us1', 'ie1', 'au1'],
  twilio: 'VoiceGrant',
} as const satisfies GrantTooling;

/** Voice's CLI command and flags (products.ts joins them for the CLI). */
export const VOICE_CLI = {
  command: 'voice',
  flags: {
    incomingAllow: { flag: 'allow-incoming' },
    outgoingApplicationSid: { flag: 'voice-app-sid' },
    pushCredentialSid: { flag: 'push-credential-sid' },
    endpointId: { flag: 'endpoint-id', mint: false },
  },
} as const satisfies CliOf<VoiceGrantOptions>;

/**
 * Where Twilio serves each SID of a voice grant (read by `twilio-access-token/probe`, not by the
 * factory). Voice push credentials are the Chat API's Credentials (Twilio's Voice quickstarts create
 * them with `twilio api:chat:v2:credentials:create`).
 */
export const VOICE_RESOURCES = {
  outgoingApplicationSid: {
    host: 'api',
    path: '/2010-04-01/Accounts/{account}/Applications/{sid}.json',
    name: 'TwiML App',
  },
  pushCredentialSid: { host: 'chat', path: '/v2/Credentials/{sid}', name: 'Push Credential', push: true },
} as const satisfies ResourcesOf<typeof VOICE>;

/**
 * Creates a Programmable Voice grant: outgoing calls through a TwiML App, incoming calls, or both.
 *
 * Unlike twilio-node, a string `"true"` for `incomingAllow` is an error rather than silently
 * dropped, and a grant that allows nothing is refused.
 *
 * @param options - The outgoing TwiML App and/or `incomingAllow: true`, plus optional fields.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when a SID is malformed, `incomingAllow` is
 *   not a boolean, params are given without an application SID or are not a plain JSON object, the
 *   grant would allow nothing, or an option is unknown.
 *
 * @example
 * ```ts
 * import { createAccessToken, voiceGrant } from 'twilio-access-token';
 *
 * const token = createAccessToken(
 *   'alice',
 *   voiceGrant({ outgoingApplicationSid: process.env.TWIML_APP_SID!, incomingAllow: true }),
 * );
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function voiceGrant(options: VoiceGrantOptions): VoiceGrant {
  return buildGrant<VoiceGrant>(VOICE, options, copyJsonObject);
}
