import { describe, expectTypeOf, test } from 'vitest';
import type { TokenProvider } from '../../src/client.js';
import {
  createFetchHandler,
  type EnvFetchHandler,
  type FetchHandler,
  type RouteParams,
} from '../../src/handlers/fetch/index.js';
import { credentialsFromEnv, keyringFromEnv, videoGrant } from '../../src/index.js';
import type { AccessTokenState, TokenSource } from '../../src/react.js';

// React is not installed at the root (its tests run in the browser rig): the React entry's values
// are checked as types only.
type ReactEntry = typeof import('../../src/react.js');

// The framework forms, pinned as types: what Next.js 16's route validator demands of a route
// export, what Cloudflare Workers and Hono pass, and the React entry's signatures.

/** Next.js 16's `.next/types/validator.ts` check of an App Router route file, without Next. */
type RouteHandlerConfig<Params> = {
  // biome-ignore lint/suspicious/noConfusingVoidType: Next.js's own type, as it generates it.
  POST?: (request: Request, context: { params: Promise<Params> }) => Promise<Response | void> | Response | void;
};
/** The shape of Cloudflare Workers' `ExportedHandler<Env>['fetch']`. */
type WorkersFetch<Env> = (
  request: Request,
  env: Env,
  ctx: { waitUntil(p: Promise<unknown>): void },
) => Promise<Response>;

type Env = {
  TWILIO_ACCOUNT_SID: string;
  TWILIO_API_KEY_SID: string;
  TWILIO_API_KEY_SECRET: string;
  ROOM: string;
};

describe('/fetch', () => {
  test('a handler without a type argument is a Next.js route export, static or dynamic', () => {
    const POST = createFetchHandler({ identify: () => 'alice', grants: videoGrant() });
    expectTypeOf(POST).toEqualTypeOf<FetchHandler>();
    // biome-ignore lint/complexity/noBannedTypes: the params Next.js generates for a static route.
    expectTypeOf({ POST }).toExtend<RouteHandlerConfig<{}>>();
    expectTypeOf({ POST }).toExtend<RouteHandlerConfig<{ room: string }>>();
    expectTypeOf({ POST }).toExtend<RouteHandlerConfig<{ path: string[] }>>();
    // Deno, Bun and plain calls too.
    expectTypeOf(POST).toBeCallableWith(new Request('http://127.0.0.1/'));
  });

  test('the route params reach the hooks, and the default env is string variables or undefined', () => {
    createFetchHandler({
      identify: (request) => {
        expectTypeOf(request.platform.routeParams).toEqualTypeOf<Promise<RouteParams> | undefined>();
        expectTypeOf(request.platform.env).toEqualTypeOf<Readonly<Record<string, string | undefined>> | undefined>();
        return 'alice';
      },
      grants: videoGrant(),
      credentials: (request) => credentialsFromEnv(request.platform.env),
    });
  });

  test('createFetchHandler<Env>: a typed env reaches the hooks, and the handler requires it', () => {
    const handler = createFetchHandler<Env>({
      identify: () => 'alice',
      grants: (request) => videoGrant({ room: request.platform.env.ROOM }),
      credentials: (request) => credentialsFromEnv(request.platform.env),
    });
    expectTypeOf(handler).toEqualTypeOf<EnvFetchHandler<Env>>();
    expectTypeOf(handler).toExtend<WorkersFetch<Env>>();
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Env>();
    // The env is required: a Workers handler without it would read nothing. Checked by type only:
    // calling it here ran the handler, whose grants read env.ROOM of undefined, and the default
    // onError printed that TypeError's stack in a passing run (issue 26).
    // @ts-expect-error -- no env
    expectTypeOf(handler).toBeCallableWith(new Request('http://127.0.0.1/'));
  });
});

test('credentialsFromEnv and keyringFromEnv take a Workers `interface Env` (no index signature)', () => {
  interface WorkerEnv {
    TWILIO_ACCOUNT_SID: string;
    TWILIO_API_KEY_SID: string;
    TWILIO_API_KEY_SECRET: string;
    RATE_LIMITER: { limit(options: { key: string }): Promise<{ success: boolean }> };
  }
  createFetchHandler<WorkerEnv>({
    identify: () => 'alice',
    grants: videoGrant(),
    credentials: (request) => credentialsFromEnv(request.platform.env),
  });
  expectTypeOf(keyringFromEnv).toBeCallableWith({} as WorkerEnv);
});

describe('/react', () => {
  test('the hooks and the component', () => {
    expectTypeOf<ReactEntry['useAccessToken']>().parameter(0).toEqualTypeOf<TokenSource | undefined>();
    expectTypeOf<ReactEntry['useAccessToken']>().returns.toEqualTypeOf<AccessTokenState>();
    expectTypeOf<AccessTokenState>().toEqualTypeOf<{
      readonly token?: string;
      readonly error?: unknown;
      readonly loading: boolean;
    }>();
    expectTypeOf<ReactEntry['useTokenProvider']>().returns.toEqualTypeOf<TokenProvider>();
    expectTypeOf<ReactEntry['AccessTokenProvider']>()
      .parameter(0)
      .toHaveProperty('provider')
      .toEqualTypeOf<TokenSource>();
  });
});
