/**
 * Interop with the `twilio` package, for codebases that already hold its grant objects or hand an
 * `AccessToken` instance around. Needs `twilio` installed (an optional peer dependency); the main
 * entry and `/web` never load it.
 *
 * ```ts
 * import { fromTwilioGrant, toTwilioAccessToken } from 'twilio-access-token/twilio';
 * ```
 *
 * @module twilio-access-token/twilio
 */
import AccessTokenModule from 'twilio/lib/jwt/AccessToken.js';
import { resolveTokenOptions } from './access-token.js';
import { fail } from './errors.js';
import { chatGrant } from './grants/chat.js';
import { grantsJson } from './grants/grant.js';
import type { Grant } from './grants/index.js';
import { playbackGrant } from './grants/playback.js';
import { syncGrant } from './grants/sync.js';
import { taskRouterGrant } from './grants/task-router.js';
import { videoGrant } from './grants/video.js';
import { voiceGrant } from './grants/voice.js';
import type { AccessTokenOptions } from './options.js';
import { assertIdentity } from './validate.js';

// twilio 4.7 to 4.19 export the class as `exports.default`, later versions as `module.exports`;
// importing either from ESM (or this CJS build, which follows Node's rules) gives one or the other.
function hasDefault(value: unknown): value is { default: typeof AccessTokenModule } {
  return typeof value === 'object' && value !== null && typeof (value as { default?: unknown }).default === 'function';
}
const AccessToken: typeof AccessTokenModule = hasDefault(AccessTokenModule)
  ? AccessTokenModule.default
  : AccessTokenModule;
type AccessToken = AccessTokenModule;

/** Options of {@link toTwilioAccessToken}: those of `createAccessToken` but `algorithm`, which twilio takes in `toJwt()`. */
export type TwilioAccessTokenOptions = Omit<AccessTokenOptions, 'algorithm'>;

/**
 * The `twilio` package's grant classes, as {@link fromTwilioGrant} reads them: a `key`, and the
 * grant's camelCase fields (`room`, `serviceSid`, `incomingAllow`...) read by name.
 */
export interface TwilioGrantLike {
  /** `'video'`, `'chat'`, `'voice'`, `'data_sync'`, `'task_router'` or `'player'`. */
  readonly key: string;
}

/**
 * Builds a real `twilio` `AccessToken` with the same validated content: what `createAccessToken`
 * would sign. `toJwt()` on it equals `createAccessToken(...)` with the clock frozen.
 *
 * @param identity - Who the token is for.
 * @param grants - One grant or an array of grants from this package's factories.
 * @param options - Credentials (default: the environment), ttl, nbf and region.
 * @returns A `twilio` `AccessToken` instance; sign it with `toJwt()`.
 * @throws `AccessTokenError` what `createAccessToken` throws for the same input, and
 *   `ERR_INVALID_OPTION` for `algorithm` (pass it to `toJwt(algorithm)` instead).
 *
 * @example
 * ```ts
 * import { videoGrant } from 'twilio-access-token';
 * import { toTwilioAccessToken } from 'twilio-access-token/twilio';
 *
 * const accessToken = toTwilioAccessToken('alice', videoGrant({ room: 'standup' }), { ttl: 600 });
 * const jwt = accessToken.toJwt();
 * ```
 */
export function toTwilioAccessToken(
  identity: string,
  grants: Grant | readonly Grant[],
  options?: TwilioAccessTokenOptions,
): AccessToken {
  if ((options as AccessTokenOptions | undefined)?.algorithm !== undefined) {
    fail({
      code: 'ERR_INVALID_OPTION',
      path: 'options.algorithm',
      expected: 'no algorithm here: pass it to toJwt(algorithm)',
      received: (options as AccessTokenOptions).algorithm,
      show: 'value',
    });
  }
  const plan = resolveTokenOptions(options);
  const list: readonly Grant[] = Array.isArray(grants) ? grants : [grants as Grant];
  grantsJson(grants);
  const { accountSid, apiKeySid, apiKeySecret } = plan.credentials;
  const { region } = plan;
  const token = new AccessToken(accountSid, apiKeySid, apiKeySecret, {
    identity: assertIdentity(identity),
    ttl: plan.ttl,
    ...(plan.nbf === undefined ? {} : { nbf: plan.nbf }),
    ...(region === undefined ? {} : { region }),
  });
  for (const grant of list) token.addGrant(toTwilioGrant(grant));
  return token;
}

function toTwilioGrant(grant: Grant): AccessTokenModule.Grant<unknown, unknown, unknown> {
  switch (grant.product) {
    case 'video':
      return new AccessToken.VideoGrant({ ...(grant.payload.room === undefined ? {} : { room: grant.payload.room }) });
    case 'chat': {
      const p = grant.payload;
      return new AccessToken.ChatGrant(
        defined({
          serviceSid: p.service_sid,
          endpointId: p.endpoint_id,
          deploymentRoleSid: p.deployment_role_sid,
          pushCredentialSid: p.push_credential_sid,
        }),
      );
    }
    case 'voice': {
      const p = grant.payload;
      return new AccessToken.VoiceGrant(
        defined({
          incomingAllow: p.incoming === undefined ? undefined : true,
          outgoingApplicationSid: p.outgoing?.application_sid,
          outgoingApplicationParams: p.outgoing?.params,
          pushCredentialSid: p.push_credential_sid,
          endpointId: p.endpoint_id,
        }),
      );
    }
    case 'sync':
      return new AccessToken.SyncGrant(
        defined({ serviceSid: grant.payload.service_sid, endpointId: grant.payload.endpoint_id }),
      );
    case 'taskRouter': {
      const p = grant.payload;
      return new AccessToken.TaskRouterGrant(
        defined({ workspaceSid: p.workspace_sid, workerSid: p.worker_sid, role: p.role }),
      );
    }
    case 'playback':
      return new AccessToken.PlaybackGrant({ grant: grant.payload });
  }
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Turns a `twilio` grant instance (`VideoGrant`, `ChatGrant`, `VoiceGrant`, `SyncGrant`,
 * `TaskRouterGrant`, `PlaybackGrant`) into this package's grant, validated by the same factory, so
 * what twilio would have signed silently wrong is an error here.
 *
 * @param grant - A `twilio` grant instance (read by its `key` and camelCase fields).
 * @returns The equivalent frozen grant.
 * @throws `AccessTokenError` `ERR_INVALID_GRANT` when the grant is of an unknown kind or its
 *   fields fail validation (an `incomingAllow: "true"`, a malformed SID, an empty room...).
 *
 * @example
 * ```ts
 * import twilio from 'twilio';
 * import { createAccessToken } from 'twilio-access-token';
 * import { fromTwilioGrant } from 'twilio-access-token/twilio';
 *
 * const legacy = new twilio.jwt.AccessToken.VideoGrant({ room: 'standup' });
 * const token = createAccessToken('alice', fromTwilioGrant(legacy));
 * ```
 */
export function fromTwilioGrant(grant: TwilioGrantLike): Grant {
  if (typeof grant !== 'object' || grant === null)
    fail({ code: 'ERR_INVALID_GRANT', path: 'grant', expected: 'a twilio grant instance', received: grant });
  // Values go to the factories unchecked on purpose: validating them is what the factories do.
  const g = (field: string) => Reflect.get(grant, field) as never;
  switch (grant.key) {
    case 'video':
      return videoGrant(defined({ room: g('room') }));
    case 'chat':
      return chatGrant(
        defined({
          serviceSid: g('serviceSid'),
          endpointId: g('endpointId'),
          deploymentRoleSid: g('deploymentRoleSid'),
          pushCredentialSid: g('pushCredentialSid'),
        }),
      );
    case 'voice':
      return voiceGrant(
        defined({
          incomingAllow: g('incomingAllow'),
          outgoingApplicationSid: g('outgoingApplicationSid'),
          outgoingApplicationParams: g('outgoingApplicationParams'),
          pushCredentialSid: g('pushCredentialSid'),
          endpointId: g('endpointId'),
        }),
      );
    case 'data_sync':
      return syncGrant(defined({ serviceSid: g('serviceSid'), endpointId: g('endpointId') }));
    case 'task_router':
      return taskRouterGrant(defined({ workspaceSid: g('workspaceSid'), workerSid: g('workerSid'), role: g('role') }));
    case 'player':
      return playbackGrant({ grant: g('grant') });
    default:
      return fail({
        code: 'ERR_INVALID_GRANT',
        path: 'grant.key',
        expected: "a twilio grant key: 'video', 'chat', 'voice', 'data_sync', 'task_router' or 'player'",
        received: grant.key,
      });
  }
}
