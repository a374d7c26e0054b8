/**
 * A token endpoint as a Twilio Function: `exports.handler = createTwilioFunction({...})`.
 *
 * ```ts
 * import { createTwilioFunction } from 'twilio-access-token/twilio-functions';
 * ```
 *
 * @module twilio-access-token/twilio-functions
 */

import { isThenable } from '../../base/thenable.js';
import { nodeGuards } from '../../platform/node-guards.js';
import { nodeMinter } from '../../platform/node-minter.js';
import type { EnvironmentVariables } from '../../token/credentials.js';
import { createCore } from '../core/core.js';
import { normalizeHeaders } from '../core/headers.js';
import { internalErrorResponse } from '../core/response.js';
import type { CoreResponse, TokenHandlerOptions } from '../core/types.js';

export * from '../core/endpoint-helpers.js';
export type {
  DeniedEvent,
  GrantsResult,
  IssuedEvent,
  RateLimitSubject,
  RateLimitVerdict,
  TokenHandlerOptions,
  TokenRequest,
} from '../core/types.js';

/** `TokenRequest.platform` on Twilio Functions: the function's `context` and `event` as given. */
export interface TwilioFunctionPlatform {
  /** The function's context: environment variables, `getTwilioClient`, `DOMAIN_NAME`. */
  readonly context: TwilioFunctionContext;
  /** The event: parameters, and `request` with headers and cookies where the runtime passes them. */
  readonly event: TwilioFunctionEvent;
}

/** The Twilio Functions `context`: environment variables, among other things. */
export type TwilioFunctionContext = Readonly<Record<string, unknown>>;

/** The Twilio Functions `event`: query and body parameters merged, plus `request`. */
export interface TwilioFunctionEvent {
  /** Request headers and cookies, when the runtime passes them. */
  request?: TwilioFunctionRequest;
  /** Query and body parameters. */
  [param: string]: unknown;
}

/** `event.request`: what deployed Twilio Functions pass of the HTTP request. */
export interface TwilioFunctionRequest {
  /** Request headers. */
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Request cookies. */
  cookies?: unknown;
}

/** The runtime's callback: called exactly once with the response. */
export type TwilioFunctionCallback = (error: unknown, response?: unknown) => void;

interface TwilioResponse {
  setStatusCode(status: number): unknown;
  appendHeader(name: string, value: string): unknown;
  setBody(body: unknown): unknown;
}

/**
 * Creates a Twilio Function handler. Credentials default to the function's `context` (its
 * environment variables: `ACCOUNT_SID`, `API_KEY`, `API_SECRET` or the `TWILIO_` names). The
 * runtime merges query and body into `event` and hides the method, so the request's `method` is
 * `'POST'`, `query` is `{}`, and `body` and `params` are `event` without `request`. `callback` is
 * called exactly once; a `callback` or `Twilio.Response` that throws goes to `onError`, never to an
 * unhandled rejection. `request.ip` is `undefined`: the runtime passes no address it vouches for.
 * Each token issued and each refusal is published on the `node:diagnostics_channel` channels
 * `twilio-access-token:issued` and `twilio-access-token:denied` while someone subscribes.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts, onError,
 *   and the guards `rateLimit`, `onIssued` and `onDenied`.
 * @returns `(context, event, callback) => void`, replying with a `Twilio.Response` when the
 *   runtime provides one and a plain `{ statusCode, headers, body }` otherwise.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * // functions/token.js in a Twilio Functions service
 * import { createTwilioFunction } from 'twilio-access-token/twilio-functions';
 * import { videoGrant } from 'twilio-access-token';
 *
 * export const handler = createTwilioFunction({
 *   identify: ({ params, platform }) =>
 *     params.passcode === platform.context.PASSCODE && typeof params.identity === 'string' ? params.identity : null,
 *   grants: videoGrant({ room: 'standup' }),
 * });
 * ```
 */
export function createTwilioFunction(
  options: TokenHandlerOptions<TwilioFunctionPlatform>,
): (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => void {
  // No `ip`: the runtime passes no client address it vouches for.
  const core = createCore(options, nodeMinter, nodeGuards);
  return (context, event, callback) => {
    let called = false;
    const reply = (response: CoreResponse) => {
      if (called) return;
      called = true;
      let message: unknown;
      try {
        message = toTwilioResponse(response);
      } catch (error) {
        core.fault(error, {});
        message = plain(internalErrorResponse(response.headers));
      }
      try {
        callback(null, message);
      } catch (error) {
        // The runtime's callback failed after we answered: tell the operator, do not call it again.
        core.fault(error, {});
      }
    };
    let headers: Record<string, string> = {};
    try {
      const { request, ...params } = event ?? {};
      headers = normalizeHeaders(request?.headers);
      const response = core.handle({
        method: 'POST',
        headers,
        query: {},
        body: params,
        env: envOf(context),
        platform: { context, event },
      });
      if (isThenable(response)) response.then(reply, (error: unknown) => reply(core.fault(error, headers)));
      else reply(response);
    } catch (error) {
      reply(core.fault(error, headers));
    }
  };
}

function envOf(context: TwilioFunctionContext | undefined): EnvironmentVariables {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context ?? {})) if (typeof value === 'string') env[name] = value;
  return env;
}

function plain(response: CoreResponse): { statusCode: number; headers: Record<string, string>; body: string } {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}

function toTwilioResponse(response: CoreResponse): unknown {
  const Response = (globalThis as { Twilio?: { Response?: new () => TwilioResponse } }).Twilio?.Response;
  if (Response === undefined) return plain(response);
  const reply = new Response();
  reply.setStatusCode(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.appendHeader(name, value);
  reply.setBody(response.body);
  return reply;
}
