import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { TokenHandlerOptions } from '../../src/handlers/core/types.js';
import { createFetchHandler } from '../../src/handlers/fetch/index.js';
import { createLambdaHandler, type LambdaEvent, type LambdaResult } from '../../src/handlers/lambda/index.js';
import { createExpressHandler } from '../../src/handlers/node-http/index.js';
import { createTwilioFunction } from '../../src/handlers/twilio-functions/index.js';

// One way to send a request through every adapter, so the same matrix runs against each. HTTP
// adapters get real sockets on 127.0.0.1; Lambda gets real event shapes; fetch gets real Requests.

export interface TestRequest {
  method?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Adapter {
  name: string;
  /** Whether the platform passes the HTTP method and raw body through (Twilio Functions does not). */
  http: boolean;
  /** The keys of `TokenRequest.platform` on this adapter. */
  platform: readonly string[];
  /** `TokenRequest.ip` for a request this harness sends: the platform's trusted source, or none. */
  ip: string | undefined;
  /** Whether the adapter publishes on `node:diagnostics_channel` (the Node adapters). */
  channels: boolean;
  create(options: TokenHandlerOptions): (request: TestRequest) => Promise<TestResponse>;
}

/** What the fetch adapter passes as Workers' env and ctx, and Lambda as its context. */
export const WORKER_ENV = Object.freeze({ BINDING: 'worker-env' });
export const WORKER_CTX = Object.freeze({ waitUntil: () => undefined });
export const LAMBDA_CONTEXT = Object.freeze({ awsRequestId: 'req-1', getRemainingTimeInMillis: () => 3000 });

const servers: Server[] = [];
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
}

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function search(query: Record<string, string> | undefined): string {
  const s = new URLSearchParams(query ?? {}).toString();
  return s === '' ? '' : `?${s}`;
}

async function overSocket(base: Promise<string>, path: string, r: TestRequest): Promise<TestResponse> {
  const response = await fetch(`${await base}${path}${search(r.query)}`, {
    method: r.method ?? 'GET',
    headers: r.headers ?? {},
    ...(r.body === undefined ? {} : { body: typeof r.body === 'string' ? r.body : new Uint8Array(r.body) }),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

function lower(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function fromLambda(result: LambdaResult): TestResponse {
  const headers =
    result.headers ??
    Object.fromEntries(Object.entries(result.multiValueHeaders ?? {}).map(([k, v]) => [k, v.join(', ')]));
  return { status: result.statusCode, headers: lower(headers), body: result.body };
}

function bodyOf(r: TestRequest): { body: string | null; isBase64Encoded: boolean } {
  if (r.body === undefined) return { body: null, isBase64Encoded: false };
  // API Gateway base64-encodes bodies it treats as binary; exercise that path with every Buffer.
  return Buffer.isBuffer(r.body)
    ? { body: r.body.toString('base64'), isBase64Encoded: true }
    : { body: r.body, isBase64Encoded: false };
}

/** A REST API (v1) proxy event, as API Gateway sends it: mixed-case headers, multi-value maps. */
export function restEvent(r: TestRequest): LambdaEvent {
  const headers = { Host: 'abc123.execute-api.us-east-1.amazonaws.com', 'X-Forwarded-Proto': 'https', ...r.headers };
  const query = r.query ?? {};
  return {
    resource: '/token',
    path: '/token',
    httpMethod: r.method ?? 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters:
      Object.keys(query).length > 0 ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourcePath: '/token',
      httpMethod: r.method ?? 'GET',
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      identity: { sourceIp: '198.51.100.9', userAgent: 'test' },
    },
    ...bodyOf(r),
  } as unknown as LambdaEvent;
}

/** An HTTP API (v2) event; a Function URL event has the same shape with another domain. */
export function httpApiEvent(r: TestRequest, domain = 'abc123.execute-api.us-east-1.amazonaws.com'): LambdaEvent {
  const method = r.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/token',
    rawQueryString: new URLSearchParams(r.query ?? {}).toString(),
    headers: { host: domain, 'x-forwarded-proto': 'https', ...lower(r.headers) },
    ...(r.query && Object.keys(r.query).length > 0 ? { queryStringParameters: r.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: domain,
      http: { method, path: '/token', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:19:00:00 +0000',
      timeEpoch: 1795892400000,
    },
    ...bodyOf(r),
  } as unknown as LambdaEvent;
}

/** An ALB event: query values still percent-encoded; multi-value maps when that setting is on. */
export function albEvent(r: TestRequest, multiValue: boolean): LambdaEvent {
  const headers = { host: 'token-alb-123.us-east-1.elb.amazonaws.com', ...lower(r.headers) };
  const query = Object.fromEntries(
    Object.entries(r.query ?? {}).map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]),
  );
  return {
    requestContext: {
      elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/token/abc' },
    },
    httpMethod: r.method ?? 'GET',
    path: '/token',
    ...(multiValue
      ? {
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          multiValueQueryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
        }
      : { headers, queryStringParameters: query }),
    ...bodyOf(r),
  } as unknown as LambdaEvent;
}

/** What the Twilio Functions runtime hands a function: parameters merged into event. */
function twilioEvent(r: TestRequest): Record<string, unknown> {
  const type = (lower(r.headers)['content-type'] ?? '').split(';')[0];
  const text = r.body === undefined ? '' : r.body.toString();
  let body: Record<string, unknown> = {};
  if (type === 'application/json' && text !== '') body = JSON.parse(text);
  if (type === 'application/x-www-form-urlencoded') body = Object.fromEntries(new URLSearchParams(text));
  return { ...r.query, ...body, request: { headers: lower(r.headers), cookies: {} } };
}

export const adapters: Adapter[] = [
  {
    name: 'fetch (Request -> Response)',
    ip: undefined,
    channels: false,
    http: true,
    platform: ['request', 'env', 'ctx', 'routeParams'],
    create(options) {
      const handler = createFetchHandler(options);
      return async (r) => {
        const request = new Request(`http://127.0.0.1/api/token${search(r.query)}`, {
          method: r.method ?? 'GET',
          headers: r.headers ?? {},
          ...(r.body === undefined ? {} : { body: typeof r.body === 'string' ? r.body : new Uint8Array(r.body) }),
        });
        // As Cloudflare Workers call it: fetch(request, env, ctx).
        const response = await handler(request, WORKER_ENV, WORKER_CTX);
        return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
      };
    },
  },
  {
    name: 'express handler as a bare node:http listener',
    ip: '127.0.0.1',
    channels: true,
    http: true,
    platform: ['req', 'res'],
    create(options) {
      const base = listen(createServer(createExpressHandler(options)));
      return (r) => overSocket(base, '/', r);
    },
  },
  {
    name: 'express handler in an Express 5 app',
    ip: '127.0.0.1',
    channels: true,
    http: true,
    platform: ['req', 'res'],
    create(options) {
      const app = express();
      app.all('/token', createExpressHandler(options));
      const base = listen(createServer(app));
      return (r) => overSocket(base, '/token', r);
    },
  },
  {
    name: 'lambda, API Gateway REST (v1)',
    ip: '198.51.100.9',
    channels: true,
    http: true,
    platform: ['event', 'context'],
    create(options) {
      const handler = createLambdaHandler(options);
      return async (r) => fromLambda(await handler(restEvent(r), LAMBDA_CONTEXT));
    },
  },
  {
    name: 'lambda, HTTP API (v2)',
    ip: '203.0.113.7',
    channels: true,
    http: true,
    platform: ['event', 'context'],
    create(options) {
      const handler = createLambdaHandler(options);
      return async (r) => fromLambda(await handler(httpApiEvent(r), LAMBDA_CONTEXT));
    },
  },
  {
    name: 'lambda, Function URL',
    ip: '203.0.113.7',
    channels: true,
    http: true,
    platform: ['event', 'context'],
    create(options) {
      const handler = createLambdaHandler(options);
      return async (r) =>
        fromLambda(await handler(httpApiEvent(r, 'abcdefg.lambda-url.us-east-1.on.aws'), LAMBDA_CONTEXT));
    },
  },
  {
    name: 'lambda, ALB',
    ip: undefined,
    channels: true,
    http: true,
    platform: ['event', 'context'],
    create(options) {
      const handler = createLambdaHandler(options);
      return async (r) => fromLambda(await handler(albEvent(r, false), LAMBDA_CONTEXT));
    },
  },
  {
    name: 'lambda, ALB with multi-value headers',
    ip: undefined,
    channels: true,
    http: true,
    platform: ['event', 'context'],
    create(options) {
      const handler = createLambdaHandler(options);
      return async (r) => fromLambda(await handler(albEvent(r, true), LAMBDA_CONTEXT));
    },
  },
  {
    name: 'twilio functions (plain object reply)',
    ip: undefined,
    channels: true,
    http: false,
    platform: ['context', 'event'],
    create(options) {
      const handler = createTwilioFunction(options);
      return (r) =>
        new Promise((resolve, reject) => {
          // The runtime's context carries the service's environment variables.
          handler({ ...process.env, DOMAIN_NAME: 'localhost:3000' }, twilioEvent(r), (error, response) => {
            if (error) reject(error);
            const { statusCode, headers, body } = response as {
              statusCode: number;
              headers: Record<string, string>;
              body: string;
            };
            resolve({ status: statusCode, headers: lower(headers), body });
          });
        });
    },
  },
];
