import { afterAll, describe, expect, test, vi } from 'vitest';
import { pushCredentialFor, pushCredentials, trustClientIdentity } from '../../../src/handlers/fetch/index.js';
import { decodeAccessToken, voiceGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { adapters, closeServers } from '../adapters.js';

// pushCredentialFor through every adapter: the device's platform and APNs environment arrive as
// request parameters (query or body, or the Twilio Functions event), and a bad one is a 400
// ERR_INVALID_REQUEST told to onDenied, not a 500 and not onError.

afterAll(closeServers);

const CR = (n: number) => `CR${n.toString(16).padStart(32, '0')}`;
const PUSH = pushCredentials({ ios: { production: CR(1), sandbox: CR(2) }, android: CR(3) });
const APP = `AP${'0'.repeat(32)}`;

describe.each(adapters)('$name', (adapter) => {
  const onError = vi.fn();
  const onDenied = vi.fn();
  const handler = adapter.create({
    credentials,
    identify: trustClientIdentity(),
    grants: (request) =>
      voiceGrant({
        outgoingApplicationSid: APP,
        incomingAllow: true,
        pushCredentialSid: pushCredentialFor(request, PUSH),
      }),
    onError,
    onDenied,
  });
  const call = (query: Record<string, string>) => handler({ method: 'POST', query: { identity: 'alice', ...query } });

  test.each([
    [{ platform: 'ios' }, CR(1)],
    [{ platform: 'ios', apnsEnvironment: 'sandbox' }, CR(2)],
    [{ platform: 'android' }, CR(3)],
  ])('%o gets a token with push_credential_sid %s', async (query, sid) => {
    const response = await call(query);
    expect(response.status).toBe(200);
    const { token } = JSON.parse(response.body) as { token: string };
    expect(decodeAccessToken(token).payload.grants.voice?.push_credential_sid).toBe(sid);
  });

  test.each([
    [{}, 'platform'],
    [{ platform: 'IOS' }, 'platform'],
    [{ platform: '__proto__' }, 'platform'],
    [{ platform: 'constructor' }, 'platform'],
    [{ platform: 'ios', apnsEnvironment: 'development' }, 'apnsEnvironment'],
  ])('%o is a 400 ERR_INVALID_REQUEST naming %s, told to onDenied and not onError', async (query, name) => {
    onError.mockClear();
    onDenied.mockClear();
    const response = await call(query);
    expect(response.status).toBe(400);
    const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(error.code).toBe('ERR_INVALID_REQUEST');
    expect(error.message).toContain(`parameter ${name}:`);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(onError).not.toHaveBeenCalled();
    expect(onDenied).toHaveBeenCalledWith(expect.objectContaining({ status: 400, code: 'ERR_INVALID_REQUEST' }));
  });
});

describe.each(adapters)(
  '$name: a present apnsEnvironment must be exactly production or sandbox (issue 26, third attack A5)',
  (adapter) => {
    const handler = adapter.create({
      credentials,
      identify: trustClientIdentity(),
      grants: (request) => voiceGrant({ incomingAllow: true, pushCredentialSid: pushCredentialFor(request, PUSH) }),
    });
    const expect400 = async (response: { status: number; body: string }) => {
      expect(response.status, response.body).toBe(400);
      const { error } = JSON.parse(response.body) as { error: { code: string; message: string } };
      expect(error.code).toBe('ERR_INVALID_REQUEST');
      expect(error.message).toContain('parameter apnsEnvironment:');
    };
    const json = (body: unknown) =>
      handler({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: 'alice', platform: 'ios', ...(body as object) }),
      });

    test.each([null, '', 0, false, [], {}, 'Production', 'production ', 'SANDBOX'])(
      'JSON body apnsEnvironment %j is a 400, not the production SID',
      async (value) => {
        await expect400(await json({ apnsEnvironment: value }));
      },
    );

    test.each(['', 'Production', 'null', 'sandbox\u0000'])('query apnsEnvironment %j is a 400', async (value) => {
      await expect400(
        await handler({ method: 'POST', query: { identity: 'alice', platform: 'ios', apnsEnvironment: value } }),
      );
    });

    test.each(['', 'null', 'Sandbox'])('form apnsEnvironment %j is a 400', async (value) => {
      const form = new URLSearchParams({ identity: 'alice', platform: 'ios', apnsEnvironment: value }).toString();
      await expect400(
        await handler({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        }),
      );
    });

    test('absent is production; exactly sandbox is sandbox (JSON body)', async () => {
      for (const [body, sid] of [
        [{}, CR(1)],
        [{ apnsEnvironment: 'sandbox' }, CR(2)],
        [{ apnsEnvironment: 'production' }, CR(1)],
      ] as const) {
        const response = await json(body);
        expect(response.status, response.body).toBe(200);
        const { token } = JSON.parse(response.body) as { token: string };
        expect(decodeAccessToken(token).payload.grants.voice?.push_credential_sid).toBe(sid);
      }
    });
  },
);

describe('a map literal with a bad SID', () => {
  test('is a 500 that reaches onError (a server fault, fail closed)', async () => {
    const onError = vi.fn();
    const handler = adapters[0]!.create({
      credentials,
      identify: trustClientIdentity(),
      grants: (request) =>
        voiceGrant({ incomingAllow: true, pushCredentialSid: pushCredentialFor(request, { android: 'CR-not-a-sid' }) }),
      onError,
    });
    const response = await handler({ method: 'POST', query: { identity: 'alice', platform: 'android' } });
    expect(response.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }), expect.anything());
  });
});
