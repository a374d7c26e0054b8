import { buildGrant } from './build.js';
import type { GrantOf } from './grant.js';
import type { CliOf, GrantTooling, ResourcesOf, SpecOf } from './spec.js';

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

/** Conversations / Chat's factory table: its options and wire fields. */
export const CHAT = {
  product: 'chat',
  key: 'chat',
  optional: false,
  fields: [
    {
      option: 'serviceSid',
      wire: 'service_sid',
      kind: 'sid',
      prefix: 'IS',
      label: 'a Conversations Service SID',
      required: true,
    },
    { option: 'endpointId', wire: 'endpoint_id', kind: 'string' },
    { option: 'deploymentRoleSid', wire: 'deployment_role_sid', kind: 'sid', prefix: 'RL', label: 'a Role SID' },
    {
      option: 'pushCredentialSid',
      wire: 'push_credential_sid',
      kind: 'sid',
      prefix: 'CR',
      label: 'a Push Credential SID',
    },
  ],
} as const satisfies SpecOf<'chat', ChatGrantOptions>;

/** Conversations / Chat's tooling: its name, Regions and twilio-node class (products.ts joins it to CHAT). */
export const CHAT_TOOLING = {
  name: 'Conversations (chat)',
  regions: ['us1', 'ie1'],
  twilio: 'ChatGrant',
} as const satisfies GrantTooling;

/** Conversations / Chat's CLI command and flags (products.ts joins them for the CLI). */
export const CHAT_CLI = {
  command: 'chat',
  flags: {
    serviceSid: { flag: 'chat-service-sid' },
    endpointId: { flag: 'endpoint-id', mint: false },
    pushCredentialSid: { flag: 'push-credential-sid', mint: false },
  },
} as const satisfies CliOf<ChatGrantOptions>;

/** Where Twilio serves each SID of a chat grant (read by `twilio-access-token/probe`, not by the factory). */
export const CHAT_RESOURCES = {
  serviceSid: { host: 'conversations', path: '/v1/Services/{sid}', name: 'Conversations Service' },
  deploymentRoleSid: { host: 'conversations', path: '/v1/Services/{service_sid}/Roles/{sid}', name: 'Role' },
  pushCredentialSid: { host: 'conversations', path: '/v1/Credentials/{sid}', name: 'Push Credential', push: true },
} as const satisfies ResourcesOf<typeof CHAT>;

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
  return buildGrant<ChatGrant>(CHAT, options);
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
