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
import { createDetailedMinter } from '../create-access-token.js';
import { parseQuery } from './body.js';
import { type CoreResponse, createCore, type TokenHandlerOptions } from './core.js';

export * from './public.js';

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
  };
  /** ALB only: its presence marks an ALB event. */
  elb?: unknown;
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
  413: 'Payload Too Large',
  500: 'Internal Server Error',
};

/**
 * Creates an AWS Lambda handler for API Gateway REST (v1), HTTP API (v2), Function URL and ALB
 * events, base64 bodies included.
 *
 * @param options - `identify`, `grants`, and optionally credentials, ttl, region, cors and onError.
 * @returns `(event) => Promise<result>` in the event's own response shape.
 * @throws `AccessTokenError` `ERR_INVALID_OPTION`, `ERR_INVALID_CREDENTIALS` or a grant error
 *   at creation for bad static configuration.
 *
 * @example
 * ```ts
 * import { createLambdaHandler } from 'twilio-access-token/lambda';
 * import { chatGrant } from 'twilio-access-token';
 *
 * declare function userFromJwt(authorization: string | undefined): Promise<string | null>;
 * export const handler = createLambdaHandler({
 *   identify: (request) => userFromJwt(request.headers.authorization),
 *   grants: chatGrant({ serviceSid: process.env.CONVERSATIONS_SERVICE_SID! }),
 * });
 * ```
 */
export function createLambdaHandler(options: TokenHandlerOptions): (event: LambdaEvent) => Promise<LambdaResult> {
  const core = createCore(options, createDetailedMinter);
  return async (event) => {
    const alb = event.requestContext?.elb !== undefined;
    const multi = event.multiValueHeaders !== undefined && event.multiValueHeaders !== null;
    const response = await core({
      method: (event.requestContext?.http?.method ?? event.httpMethod ?? 'GET').toUpperCase(),
      headers: headersOf(event),
      query: queryOf(event, alb),
      body:
        event.body === undefined || event.body === null
          ? undefined
          : event.isBase64Encoded
            ? new Uint8Array(Buffer.from(event.body, 'base64'))
            : event.body,
    });
    return resultFor(response, alb, multi && alb);
  };
}

function headersOf(event: LambdaEvent): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values !== undefined) headers[name.toLowerCase()] = values.join(', ');
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !(name.toLowerCase() in headers)) headers[name.toLowerCase()] = value;
  }
  // HTTP API (v2) moves the Cookie header into `cookies`; a session-based identify needs it back.
  if (event.cookies && event.cookies.length > 0 && headers.cookie === undefined)
    headers.cookie = event.cookies.join('; ');
  return headers;
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
