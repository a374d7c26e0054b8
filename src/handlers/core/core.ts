import { isThenable } from '../../base/thenable.js';
import type { GuardPlatform } from '../../platform/guard-platform.js';
import { announceDenied, type Caller } from './audit.js';
import { EMPTY, parseBody } from './body.js';
import { ALLOW, corsHeaders, preflight } from './cors.js';
import { issueToken, type TokenCall } from './issue-token.js';
import { type ResolvedOptions, resolveHandlerOptions } from './resolve-options.js';
import { errorResponse, HttpError, internalErrorResponse, requestError } from './response.js';
import type { MinterFactory } from './signing.js';
import { hookDeadline, timed } from './steps.js';
import type { CoreResponse, RawRequest, TokenHandlerOptions, TokenRequest } from './types.js';

// The platform-neutral token endpoint: a plain request in, a plain response out. The adapters
// (handlers/fetch, node-http, lambda and twilio-functions) only translate their platform's shapes.

/** What an adapter holds: the request handler and the failure path for faults outside it. */
export interface TokenEndpoint {
  /** Answers a request: synchronously when every hook is synchronous, else with a promise. */
  handle(raw: RawRequest): CoreResponse | Promise<CoreResponse>;
  /**
   * A fault the adapter met outside `handle` (a body stream error): `onError`, then the JSON 500; or
   * a refusal it met there (a body too large or too slow): its 4xx, told to `onDenied`.
   */
  fault(error: unknown, headers: Readonly<Record<string, string>>, ip?: string): CoreResponse;
  /**
   * The answer to a client that went away mid-request (its body stream failed because it aborted):
   * the JSON 500 for the platform to drop, without `onError`, since no server part failed.
   */
  gone(headers: Readonly<Record<string, string>>): CoreResponse;
  /** The validated `bodyTimeout`, in ms. */
  readonly bodyTimeout: number;
}

/**
 * Validates handler options and returns the endpoint adapters wrap. `platform` gives the audit its
 * digest and, on Node, the diagnostics channels.
 */
export function createCore<P>(
  options: TokenHandlerOptions<P>,
  minterFactory: MinterFactory,
  platform: GuardPlatform,
): TokenEndpoint {
  const o = resolveHandlerOptions(options);

  const { refuse, failed } = answers(o, platform);
  const issue = issueToken(o, minterFactory, platform);
  const identifying = hookDeadline('identify', o.hookTimeout);

  return {
    bodyTimeout: o.bodyTimeout,
    fault: (error, headers, ip) =>
      failed(error, { cors: corsHeaders(o.cors, headers.origin), caller: { headers, ip } }),
    gone: (headers) => internalErrorResponse(corsHeaders(o.cors, headers.origin)),
    handle(raw) {
      const cors = corsHeaders(o.cors, raw.headers.origin);
      let request: TokenRequest | undefined;
      let caller: Caller = raw;
      try {
        // A refused body (413, 408) is the answer on any method, a preflight or a 405 included.
        if (raw.body instanceof Error) throw raw.body;
        if (raw.method === 'OPTIONS') return preflight(o.cors, cors);
        if (raw.method !== 'GET' && raw.method !== 'POST') {
          const message = `Method ${raw.method} is not allowed; use GET or POST`;
          return refuse(new HttpError('ERR_METHOD_NOT_ALLOWED', message), {
            cors: { ...cors, allow: ALLOW },
            caller: raw,
          });
        }
        const req = tokenRequest(raw);
        request = req;
        const call: TokenCall = {
          request: req,
          env: raw.env,
          cors,
          headers: raw.headers,
          ip: raw.ip,
          identity: undefined,
        };
        caller = call;
        const identity = timed(o.identify(req), identifying);
        const result = isThenable(identity) ? identity.then((id) => issue(id, call)) : issue(identity, call);
        return isThenable(result)
          ? result.then(undefined, (error: unknown) => failed(error, { cors, caller: call, request: req }))
          : result;
      } catch (error) {
        return failed(error, { cors, caller, request });
      }
    },
  };
}

/** The request the hooks see: the body parsed, and merged over the query into `params`. */
function tokenRequest(raw: RawRequest): TokenRequest {
  const body = parseBody(raw);
  return {
    method: raw.method,
    headers: raw.headers,
    query: raw.query,
    body,
    params: body === EMPTY ? raw.query : { ...raw.query, ...body },
    ip: raw.ip,
    platform: raw.platform,
  };
}

/** Whom a failure is answered to: the CORS headers of the answer, the caller, the request once read. */
interface Answering {
  readonly cors: Readonly<Record<string, string>>;
  readonly caller: Caller;
  readonly request?: TokenRequest | undefined;
}

/** The answers to failures: `onError` for faults, `onDenied` and the denied channel for every 4xx. */
function answers(o: ResolvedOptions, platform: GuardPlatform) {
  const report = (error: unknown, request: TokenRequest | undefined) => {
    try {
      const done: unknown = o.onError(error, request);
      // An async logger that rejects must not crash the process with an unhandled rejection either.
      if (isThenable(done)) Promise.resolve(done).catch(() => undefined);
    } catch {
      // A failing logger must not turn an answer into a crash.
    }
  };
  const audience = { onDenied: o.onDenied, platform, report };
  // Every 4xx goes out through here: told to `onDenied` and the denied channel when either listens.
  const refuse = (answer: HttpError, { cors, caller, request }: Answering) => {
    announceDenied(audience, { caller, denial: answer, request });
    return errorResponse(answer, cors);
  };
  const failed = (error: unknown, at: Answering) => {
    if (error instanceof HttpError) return refuse(error, at);
    report(error, at.request);
    const answer = requestError(error);
    return answer === undefined ? internalErrorResponse(at.cors) : refuse(answer, at);
  };
  return { refuse, failed };
}
