import { assertSid, assertString } from '../base/validate.js';
import { type GrantOf, makeGrant } from './grant.js';
import { grantOptions } from './grant-options.js';

/** Options of {@link chatGrant} and {@link conversationsGrant}. */
export interface ChatGrantOptions {
  /** The Conversations (or Chat) Service SID, `IS...`. Required. */
  serviceSid: string;
  /** An identifier for the device or endpoint. */
  endpointId?: string;
  /** The role given to the user in the service, a Role SID `RL...`. */
  deploymentRoleSid?: string;
  /** The Push Credential for notifications, `CR...`. */
  pushCredentialSid?: string;
}

/** The wire payload of a chat grant (the token's `grants.chat`). */
export interface ChatGrantPayload {
  /** The Conversations (or Chat) Service SID. */
  readonly service_sid: string;
  /** The endpoint identifier. */
  readonly endpoint_id?: string;
  /** The Role SID. */
  readonly deployment_role_sid?: string;
  /** The Push Credential SID. */
  readonly push_credential_sid?: string;
}

/** A validated Conversations / Chat grant, made by {@link chatGrant} or {@link conversationsGrant}. */
export type ChatGrant = GrantOf<'chat', 'chat', ChatGrantPayload>;

const KNOWN = ['serviceSid', 'endpointId', 'deploymentRoleSid', 'pushCredentialSid'] as const;

/**
 * Creates a Conversations / Chat grant for one service. Conversations uses the chat grant, so
 * {@link conversationsGrant} is this same function.
 *
 * @param options - The service SID (required) and optional endpoint, role and push credential.
 * @returns A frozen grant for {@link createAccessToken}.
 * @throws {@link AccessTokenError} `ERR_INVALID_GRANT` when `serviceSid` is missing or not an `IS`
 *   SID, another field is malformed, or an option is unknown.
 *
 * @example
 * ```ts
 * import { chatGrant, createAccessToken } from 'twilio-access-token';
 *
 * const token = createAccessToken('alice', chatGrant({ serviceSid: process.env.CONVERSATIONS_SERVICE_SID! }));
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function chatGrant(options: ChatGrantOptions): ChatGrant {
  const o = grantOptions<ChatGrantOptions>(options, 'chat', { known: KNOWN, required: true });
  const code = 'ERR_INVALID_GRANT';
  const payload: {
    service_sid: string;
    endpoint_id?: string;
    deployment_role_sid?: string;
    push_credential_sid?: string;
  } = {
    service_sid: assertSid(o.serviceSid, {
      code,
      path: 'grants.chat.serviceSid',
      prefix: 'IS',
      label: 'a Conversations Service SID',
    }),
  };
  if (o.endpointId !== undefined) payload.endpoint_id = assertString(o.endpointId, 'grants.chat.endpointId', code);
  if (o.deploymentRoleSid !== undefined) {
    payload.deployment_role_sid = assertSid(o.deploymentRoleSid, {
      code,
      path: 'grants.chat.deploymentRoleSid',
      prefix: 'RL',
      label: 'a Role SID',
    });
  }
  if (o.pushCredentialSid !== undefined) {
    payload.push_credential_sid = assertSid(o.pushCredentialSid, {
      code,
      path: 'grants.chat.pushCredentialSid',
      prefix: 'CR',
      label: 'a Push Credential SID',
    });
  }
  return makeGrant('chat', payload);
}

/**
 * Creates a Conversations grant: the same function as {@link chatGrant}, since Twilio
 * Conversations authorizes with the chat grant.
 *
 * @example
 * ```ts
 * import { conversationsGrant, createAccessToken } from 'twilio-access-token';
 *
 * const token = createAccessToken('alice', conversationsGrant({ serviceSid: 'IS' + '0'.repeat(32) }));
 * ```
 */
export const conversationsGrant: typeof chatGrant = chatGrant;
