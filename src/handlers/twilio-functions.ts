/**
 * A token endpoint as a Twilio Function: `exports.handler = createTwilioFunction({...})`.
 *
 * ```ts
 * import { createTwilioFunction } from 'twilio-access-token/twilio-functions';
 * ```
 *
 * @module twilio-access-token/twilio-functions
 */
import { createDetailedMinter } from '../create-access-token.js';
import type { EnvironmentVariables } from '../credentials.js';
import { type CoreResponse, createCore, type TokenHandlerOptions } from './core.js';

export * from './public.js';

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
 * `'POST'`, `query` is `{}`, and `body` and `params` are `event` without `request`.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors and onError.
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
 *   identify: (request) => (request.headers['x-passcode'] === process.env.PASSCODE ? String(request.params.identity) : null),
 *   grants: videoGrant(),
 * });
 * ```
 */
export function createTwilioFunction(
  options: TokenHandlerOptions,
): (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => void {
  const core = createCore(options, createDetailedMinter);
  return (context, event, callback) => {
    const { request, ...params } = event ?? {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request?.headers ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
    }
    Promise.resolve(core({ method: 'POST', headers, query: {}, body: params, env: envOf(context) })).then(
      (response) => callback(null, toTwilioResponse(response)),
      (error: unknown) => callback(error),
    );
  };
}

function envOf(context: TwilioFunctionContext | undefined): EnvironmentVariables {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context ?? {})) if (typeof value === 'string') env[name] = value;
  return env;
}

function toTwilioResponse(response: CoreResponse): unknown {
  const Response = (globalThis as { Twilio?: { Response?: new () => TwilioResponse } }).Twilio?.Response;
  if (Response === undefined) return { statusCode: response.status, headers: response.headers, body: response.body };
  const reply = new Response();
  reply.setStatusCode(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.appendHeader(name, value);
  reply.setBody(response.body);
  return reply;
}
