/**
 * A token endpoint for AWS Lambda behind API Gateway REST (v1), HTTP API (v2), a Function URL, or
 * an Application Load Balancer.
 *
 * ```ts
 * import { createLambdaHandler } from 'twilio-access-token/lambda';
 * ```
 *
 * @module twilio-access-token/lambda
 */

import { nodeGuards } from '../../platform/node-guards.js';
import { nodeMinter } from '../../platform/node-minter.js';
import { parseQuery } from '../core/body.js';
import { createCore } from '../core/core.js';
import { normalizeHeaders } from '../core/headers.js';
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

/** `TokenRequest.platform` on Lambda: the event and the invocation context, as Lambda passed them. */
export interface LambdaPlatform {
  /** The event: `event.requestContext.authorizer` holds what an API Gateway authorizer established. */
  readonly event: LambdaEvent;
  /** The Lambda context object (`awsRequestId`, `getRemainingTimeInMillis`), or `undefined`. */
  readonly context: unknown;
}

/**
 * The fields of the Lambda proxy event shapes the handler reads: API Gateway REST (v1), HTTP API
 * and Function URLs (v2), and ALB. Structural, so no `@types/aws-lambda` is needed.
 */
export interface LambdaEvent {
  /** v2 and Function URLs: `'2.0'`. */
  version?: string;
  /** v1 and ALB: the method. */
  httpMethod?: string;
  /** v1 and ALB: headers (names in any case); v2: lower-case, repeated values comma-joined. */
  headers?: Record<string, string | undefined> | null;
  /** v1, and ALB with multi-value headers on. */
  multiValueHeaders?: Record<string, readonly string[] | undefined> | null;
  /** v1, v2: decoded; ALB: still percent-encoded. */
  queryStringParameters?: Record<string, string | undefined> | null;
  /** v1, and ALB with multi-value headers on. */
  multiValueQueryStringParameters?: Record<string, readonly string[] | undefined> | null;
  /** v2: the raw query string. */
  rawQueryString?: string;
  /** v2 and Function URLs: the Cookie header, split into `name=value` strings. */
  cookies?: readonly string[] | null;
  /** The body: text, or base64 when `isBase64Encoded`. */
  body?: string | null;
  /** Whether `body` is base64. */
  isBase64Encoded?: boolean;
  /** v2: `http.method`; ALB: `elb`. */
  requestContext?: LambdaRequestContext | null;
}

/** The part of a Lambda event's `requestContext` the handler reads. */
export interface LambdaRequestContext {
  /** HTTP API (v2) and Function URLs: the request's method. */
  http?: {
    /** The HTTP method. */
    method?: string;
    /** The client's address, as API Gateway or the Function URL saw it: `TokenRequest.ip`. */
    sourceIp?: string;
  };
  /** REST API (v1): the caller, `sourceIp` its address (`TokenRequest.ip`). */
  identity?: {
    /** The client's address, as API Gateway saw it. */
    sourceIp?: string;
  } | null;
  /** ALB only: its presence marks an ALB event. */
  elb?: unknown;
  /**
   * What an API Gateway authorizer established: REST (v1) Cognito and Lambda authorizers put
   * `claims` or their context here; HTTP API (v2) JWT authorizers put `jwt.claims`, and Lambda
   * authorizers `lambda`. Only set when the route has an authorizer.
   */
  authorizer?: LambdaAuthorizer | null;
}

/** `requestContext.authorizer`: its shape depends on the authorizer type. */
export interface LambdaAuthorizer {
  /** HTTP API (v2) JWT authorizer: the verified token's claims and scopes. */
  jwt?: {
    /** The verified JWT's claims, such as `sub`. */
    claims?: Record<string, string | number | boolean | readonly string[]>;
    /** The token's scopes. */
    scopes?: readonly string[] | null;
  };
  /** REST (v1) Cognito user pool authorizer: the claims. */
  claims?: Record<string, string>;
  /** HTTP API (v2) Lambda authorizer: the context it returned. */
  lambda?: Record<string, unknown> | null;
  /**
   * REST (v1) Lambda authorizer: the principal it returned. Its context values are flattened into
   * this object too; read them as `(authorizer as Record<string, unknown>).yourKey`. (No index
   * signature here, so that `@types/aws-lambda`'s Cognito event stays assignable.)
   */
  principalId?: string;
}

/** The proxy result: `headers` for v1, v2 and ALB, `multiValueHeaders` for ALB with them on. */
export interface LambdaResult {
  /** The HTTP status. */
  statusCode: number;
  /** ALB: the status line text, such as `'200 OK'`. */
  statusDescription?: string;
  /** Response headers. */
  headers?: Record<string, string>;
  /** Response headers, for an ALB with multi-value headers on. */
  multiValueHeaders?: Record<string, string[]>;
  /** The JSON body. */
  body: string;
  /** Always `false`. */
  isBase64Encoded: boolean;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * Creates an AWS Lambda handler for API Gateway REST (v1), HTTP API (v2), Function URL and ALB
 * events, base64 bodies included. `request.ip` is the event's `sourceIp` (none behind an ALB). Each
 * token issued and each refusal is published on the `node:diagnostics_channel` channels
 * `twilio-access-token:issued` and `twilio-access-token:denied` while someone subscribes.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors, timeouts, onError,
 *   and the guards `rateLimit`, `onIssued` and `onDenied`.
 * @returns `(event, context?) => Promise<result>` in the event's own response shape.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * import { createLambdaHandler } from 'twilio-access-token/lambda';
 * import { chatGrant } from 'twilio-access-token';
 *
 * // Behind an HTTP API JWT authorizer: API Gateway verified the caller's token already.
 * export const handler = createLambdaHandler({
 *   identify: (request) => {
 *     const sub = request.platform.event.requestContext?.authorizer?.jwt?.claims?.sub;
 *     return typeof sub === 'string' ? sub : null;
 *   },
 *   grants: chatGrant({ serviceSid: process.env.CONVERSATIONS_SERVICE_SID! }),
 * });
 * ```
 */
export function createLambdaHandler(
  options: TokenHandlerOptions<LambdaPlatform>,
): (event: LambdaEvent, context?: unknown) => Promise<LambdaResult> {
  const core = createCore(options, nodeMinter, nodeGuards);
  return async (event, context) => {
    const alb = event?.requestContext?.elb !== undefined;
    const multi = event?.multiValueHeaders !== undefined && event?.multiValueHeaders !== null;
    let headers: Record<string, string> = {};
    let response: CoreResponse;
    try {
      headers = headersOf(event);
      response = await core.handle({
        method: (event.requestContext?.http?.method ?? event.httpMethod ?? 'GET').toUpperCase(),
        headers,
        query: queryOf(event, alb),
        body:
          event.body === undefined || event.body === null
            ? undefined
            : event.isBase64Encoded
              ? new Uint8Array(Buffer.from(event.body, 'base64'))
              : event.body,
        platform: { event, context },
        ip: sourceIp(event),
      });
    } catch (error) {
      response = core.fault(error, headers);
    }
    return resultFor(response, alb, multi && alb);
  };
}

/** API Gateway's and Function URLs' `sourceIp`; an ALB passes none (only `X-Forwarded-For`). */
function sourceIp(event: LambdaEvent): string | undefined {
  const context = event.requestContext;
  const ip = context?.http?.sourceIp ?? context?.identity?.sourceIp;
  return typeof ip === 'string' ? ip : undefined;
}

function headersOf(event: LambdaEvent): Record<string, string> {
  // HTTP API (v2) moves the Cookie header into `cookies`; a session-based identify needs it back.
  const cookies = event.cookies && event.cookies.length > 0 ? { cookie: event.cookies.join('; ') } : undefined;
  return normalizeHeaders(event.multiValueHeaders, event.headers, cookies);
}

function queryOf(event: LambdaEvent, alb: boolean): Record<string, string> {
  if (event.rawQueryString !== undefined) return parseQuery(event.rawQueryString);
  const query: Record<string, string> = {};
  const multi = event.multiValueQueryStringParameters ?? {};
  const single = event.queryStringParameters ?? {};
  for (const [name, value] of [
    ...Object.entries(single).map(([k, v]) => [k, v] as const),
    ...Object.entries(multi).map(([k, v]) => [k, v?.[v.length - 1]] as const),
  ]) {
    if (value === undefined) continue;
    // ALB passes the query as it arrived, still percent-encoded; API Gateway decodes it.
    if (alb) Object.assign(query, parseQuery(`${name}=${value}`));
    else query[name] = value;
  }
  return query;
}

function resultFor(response: CoreResponse, alb: boolean, multiValue: boolean): LambdaResult {
  const result: LambdaResult = { statusCode: response.status, body: response.body, isBase64Encoded: false };
  if (alb) result.statusDescription = `${response.status} ${REASONS[response.status] ?? ''}`.trim();
  if (multiValue)
    result.multiValueHeaders = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, [v]]));
  else result.headers = response.headers;
  return result;
}
