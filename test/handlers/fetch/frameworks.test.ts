import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createFetchHandler, type FetchPlatform, type TokenRequest } from '../../../src/handlers/fetch/index.js';
import { credentialsFromEnv, isAccessTokenError, verifyAccessToken, videoGrant } from '../../../src/index.js';
import { credentials, sid } from '../../helpers.js';

// The fetch handler's second argument on each framework: Next.js passes a route context `{ params }`,
// Cloudflare Workers and Hono pass the environment, Deno and Bun their own objects. Default
// credentials come from an environment only when it holds Twilio variables, else from process.env;
// a route context is never an environment.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The process.env variables of `c`, and none of the other families. */
function stubProcessEnv(c: typeof credentials | undefined): void {
  for (const name of ['TWILIO_API_KEYS', 'ACCOUNT_SID', 'API_KEY', 'API_KEY_SID', 'API_SECRET', 'API_KEY_SECRET'])
    vi.stubEnv(name, '');
  vi.stubEnv('TWILIO_ACCOUNT_SID', c?.accountSid ?? '');
  vi.stubEnv('TWILIO_API_KEY_SID', c?.apiKeySid ?? '');
  vi.stubEnv('TWILIO_API_KEY_SECRET', c?.apiKeySecret ?? '');
}

/** Another valid key, to tell which environment signed. */
const other = Object.freeze({
  accountSid: sid('AC', '1'),
  apiKeySid: sid('SK', '2'),
  apiKeySecret: 'other-secret-0123456789abcdef012',
});
const envOf = (c: typeof credentials) => ({
  TWILIO_ACCOUNT_SID: c.accountSid,
  TWILIO_API_KEY_SID: c.apiKeySid,
  TWILIO_API_KEY_SECRET: c.apiKeySecret,
});
const post = () => new Request('http://127.0.0.1/api/token', { method: 'POST' });

function handler(
  extra: { credentials?: (request: TokenRequest<FetchPlatform>) => ReturnType<typeof credentialsFromEnv> } = {},
) {
  const onError = vi.fn();
  const seen: FetchPlatform[] = [];
  const fetchHandler = createFetchHandler({
    identify: (request) => {
      seen.push(request.platform);
      return 'alice';
    },
    grants: videoGrant(),
    onError,
    ...extra,
  });
  return { fetchHandler, onError, seen };
}

/** The key that signed a 200, or the error code of a failure. */
async function signer(response: Response, onError: ReturnType<typeof vi.fn>): Promise<string> {
  const body = (await response.json()) as { token?: string; error?: { code: string } };
  if (response.status !== 200) {
    const reported = onError.mock.calls[0]?.[0];
    return `${response.status} ${body.error?.code} ${isAccessTokenError(reported) ? reported.code : String(reported)}`;
  }
  for (const c of [credentials, other]) {
    try {
      await verifyAccessToken(body.token as string, { apiKeySecret: c.apiKeySecret });
      return c.apiKeySid;
    } catch {
      // Not this key.
    }
  }
  return 'unknown key';
}

describe('createFetchHandler as a Next.js route export', () => {
  test.each([
    ['{ params: Promise }', { params: Promise.resolve({}) }],
    ['{ params: undefined } (a static route)', { params: undefined }],
    ['{ params: Promise<{ room }> }', { params: Promise.resolve({ room: 'standup' }) }],
  ])('the route context %s is not an environment: credentials come from process.env', async (_, context) => {
    stubProcessEnv(credentials);
    const { fetchHandler, onError, seen } = handler();
    expect(await signer(await fetchHandler(post(), context), onError)).toBe(credentials.apiKeySid);
    expect(seen[0]!.env).toBeUndefined();
    expect(seen[0]!.routeParams).toBe(context.params);
  });

  test('a Workers-style credentials function reads process.env under Next.js, not { params }', async () => {
    stubProcessEnv(credentials);
    const { fetchHandler, onError } = handler({ credentials: (request) => credentialsFromEnv(request.platform.env) });
    const response = await fetchHandler(post(), { params: Promise.resolve({}) });
    expect(await signer(response, onError)).toBe(credentials.apiKeySid);
  });

  test('no credentials in process.env: a 500, and onError names the missing variables', async () => {
    stubProcessEnv(undefined);
    const { fetchHandler, onError } = handler();
    const response = await fetchHandler(post(), { params: Promise.resolve({}) });
    expect(await signer(response, onError)).toBe('500 ERR_INTERNAL ERR_MISSING_CREDENTIALS');
    expect((onError.mock.calls[0]![0] as Error).message).toContain('TWILIO_ACCOUNT_SID');
  });
});

describe('createFetchHandler with an environment argument (Cloudflare Workers, Hono)', () => {
  test('an environment holding Twilio variables signs, even where process.env holds others', async () => {
    stubProcessEnv(other);
    const { fetchHandler, onError, seen } = handler();
    const env = envOf(credentials);
    expect(await signer(await fetchHandler(post(), env), onError)).toBe(credentials.apiKeySid);
    expect(seen[0]!.env).toBe(env);
    expect(seen[0]!.routeParams).toBeUndefined();
  });

  test('an environment with only some of them fails closed: no fall-back to process.env', async () => {
    stubProcessEnv(other);
    const { fetchHandler, onError } = handler();
    const response = await fetchHandler(post(), { TWILIO_ACCOUNT_SID: credentials.accountSid });
    expect(await signer(response, onError)).toBe('500 ERR_INTERNAL ERR_MISSING_CREDENTIALS');
    const message = (onError.mock.calls[0]![0] as Error).message;
    expect(message).toContain('TWILIO_API_KEY_SID');
    expect(message).not.toContain(other.apiKeySecret.slice(0, 6));
  });

  test.each([
    ['Hono on Node ({ incoming, outgoing })', { incoming: {}, outgoing: {} }],
    ['Deno ({ remoteAddr, completed })', { remoteAddr: { hostname: '127.0.0.1' }, completed: Promise.resolve() }],
    ['a Workers env without Twilio variables', { KV: {}, OTHER: 'value' }],
    ['nothing', undefined],
  ])('%s holds no Twilio variables: process.env signs', async (_, second) => {
    stubProcessEnv(credentials);
    const { fetchHandler, onError } = handler();
    expect(await signer(await fetchHandler(post(), second as never), onError)).toBe(credentials.apiKeySid);
  });

  test('inherited variables are not read: an environment counts only its own properties', async () => {
    stubProcessEnv(credentials);
    const { fetchHandler, onError } = handler();
    const env = Object.create(envOf(other)) as Record<string, string>;
    expect(await signer(await fetchHandler(post(), env), onError)).toBe(credentials.apiKeySid);
  });

  test('an accessor is never called, and fails closed', async () => {
    stubProcessEnv(other);
    const getter = vi.fn(() => credentials.apiKeySecret);
    const env = { ...envOf(credentials) } as Record<string, string>;
    Object.defineProperty(env, 'TWILIO_API_KEY_SECRET', { get: getter, enumerable: true });
    const { fetchHandler, onError } = handler();
    expect(await signer(await fetchHandler(post(), env), onError)).toBe('500 ERR_INTERNAL ERR_MISSING_CREDENTIALS');
    expect(getter).not.toHaveBeenCalled();
  });

  test('a Proxy whose reads throw is a 500 that says so', async () => {
    stubProcessEnv(credentials);
    const env = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error('hostile');
        },
      },
    );
    const { fetchHandler, onError } = handler();
    expect(await signer(await fetchHandler(post(), env), onError)).toBe('500 ERR_INTERNAL ERR_MISSING_CREDENTIALS');
    expect((onError.mock.calls[0]![0] as Error).message).toContain('could not be read');
  });

  test('a `params` that is not a route context (a string binding) keeps the object an environment', async () => {
    stubProcessEnv(other);
    const { fetchHandler, onError, seen } = handler();
    const env = { ...envOf(credentials), params: 'a binding' };
    expect(await signer(await fetchHandler(post(), env), onError)).toBe(credentials.apiKeySid);
    expect(seen[0]!.env).toBe(env);
  });

  test('property: prototype-named and random keys beside the variables change nothing, and no secret is echoed', async () => {
    stubProcessEnv(other);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'params'), fc.string()),
          fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          { maxKeys: 5 },
        ),
        async (noise) => {
          const env = Object.assign(Object.create(null), noise, envOf(credentials));
          const { fetchHandler, onError } = handler();
          const response = await fetchHandler(post(), env);
          const text = await response.clone().text();
          expect(text).not.toContain(credentials.apiKeySecret);
          expect(await signer(response, onError)).toBe(credentials.apiKeySid);
        },
      ),
    );
  });
});
