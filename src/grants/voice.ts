import { fail } from '../base/errors.js';
import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';
import { copyJsonObject } from './plain-json.js';

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

const KNOWN = [
  'outgoingApplicationSid',
  'outgoingApplicationParams',
  'incomingAllow',
  'pushCredentialSid',
  'endpointId',
] as const;

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
  const o = grantOptions<VoiceGrantOptions>(options, 'voice', { known: KNOWN, required: true });
  const code = 'ERR_INVALID_GRANT';
  const payload: {
    incoming?: { allow: true };
    outgoing?: { application_sid: string; params?: Readonly<Record<string, unknown>> };
    push_credential_sid?: string;
    endpoint_id?: string;
  } = {};
  if (o.incomingAllow !== undefined && typeof o.incomingAllow !== 'boolean') {
    fail({ code, path: 'grants.voice.incomingAllow', expected: 'a boolean', received: o.incomingAllow, show: 'value' });
  }
  if (o.incomingAllow === true) payload.incoming = Object.freeze({ allow: true as const });
  if (o.outgoingApplicationSid !== undefined) {
    const sid = assertSid(o.outgoingApplicationSid, {
      code,
      path: 'grants.voice.outgoingApplicationSid',
      prefix: 'AP',
      label: 'a TwiML App SID',
    });
    payload.outgoing = { application_sid: sid };
    if (o.outgoingApplicationParams !== undefined) {
      payload.outgoing.params = copyJsonObject(
        o.outgoingApplicationParams,
        'grants.voice.outgoingApplicationParams',
        code,
      );
    }
    Object.freeze(payload.outgoing);
  } else if (o.outgoingApplicationParams !== undefined) {
    fail({
      code,
      path: 'grants.voice.outgoingApplicationParams',
      expected: 'params only with an outgoingApplicationSid',
      receivedText: 'params without one',
    });
  }
  if (payload.incoming === undefined && payload.outgoing === undefined) {
    fail({
      code,
      path: 'grants.voice',
      expected: 'an outgoingApplicationSid and/or incomingAllow: true',
      receivedText: 'a grant that allows nothing',
    });
  }
  if (o.pushCredentialSid !== undefined) {
    payload.push_credential_sid = assertSid(o.pushCredentialSid, {
      code,
      path: 'grants.voice.pushCredentialSid',
      prefix: 'CR',
      label: 'a Push Credential SID',
    });
  }
  if (o.endpointId !== undefined) payload.endpoint_id = assertString(o.endpointId, 'grants.voice.endpointId', code);
  return makeGrant('voice', payload);
}
