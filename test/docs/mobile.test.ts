import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createFetchHandler, pushCredentialFor, pushCredentials } from '../../src/handlers/fetch/index.js';
import { decodeAccessToken, voiceGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// docs/mobile.md's Swift and Kotlin snippets against a real handler: the fields they decode are
// exactly the keys of the endpoint's 200 body, and the parameters they send are the ones
// pushCredentialFor reads, accepted by an endpoint built as the guide shows.

const guide = readFileSync(new URL('../../docs/mobile.md', import.meta.url), 'utf8');

/** The fenced blocks of one language. */
const blocks = (language: string) =>
  [...guide.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1] as string);

const swift = blocks('swift').join('\n');
const kotlin = blocks('kotlin').join('\n');

const CR = (n: number) => `CR${n.toString(16).padStart(32, '0')}`;
const PUSH = pushCredentials({ ios: { production: CR(1), sandbox: CR(2) }, android: CR(3) });
const handler = createFetchHandler({
  credentials,
  identify: () => 'user_42',
  grants: (request) => voiceGrant({ incomingAllow: true, pushCredentialSid: pushCredentialFor(request, PUSH) }),
});

/** POSTs a JSON body to the handler as the app would. */
async function post(body: Record<string, string>) {
  const response = await handler(
    new Request('https://api.example.com/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer session' },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('docs/mobile.md', () => {
  test('the Swift TokenResponse decodes exactly the keys of a real 200', async () => {
    const struct = /struct TokenResponse: Decodable \{([\s\S]*?)\n\}/.exec(swift)?.[1] ?? '';
    const fields = [...struct.matchAll(/let (\w+): (\w+)/g)].map((m) => [m[1], m[2]]);
    const { status, json } = await post({ platform: 'ios' });
    expect(status).toBe(200);
    expect(fields.map(([name]) => name)).toEqual(Object.keys(json));
    // Swift's types match the JSON's: Int for the number, String for the rest.
    for (const [name, type] of fields) expect(type).toBe(typeof json[name as string] === 'number' ? 'Int' : 'String');
  });

  test('the Kotlin TokenResponse decodes exactly the keys of a real 200', async () => {
    const data = /data class TokenResponse\(([^)]*)\)/.exec(kotlin)?.[1] ?? '';
    const fields = [...data.matchAll(/val (\w+): (\w+)/g)].map((m) => [m[1], m[2]]);
    const { status, json } = await post({ platform: 'android' });
    expect(status).toBe(200);
    expect(fields.map(([name]) => name)).toEqual(Object.keys(json));
    for (const [name, type] of fields) expect(type).toBe(typeof json[name as string] === 'number' ? 'Int' : 'String');
  });

  test("the Swift request's parameters pick the APNs credential of each build", async () => {
    const line = /JSONEncoder\(\)\.encode\(\[(.*)\]\)/.exec(swift)?.[1] ?? '';
    const keys = [...line.matchAll(/"(\w+)":/g)].map((m) => m[1] as string);
    expect(keys).toEqual(['platform', 'apnsEnvironment']);
    expect(line).toContain('"platform": "ios"');
    const environments = [...swift.matchAll(/let apnsEnvironment = "(\w+)"/g)].map((m) => m[1] as string);
    expect(environments.sort()).toEqual(['production', 'sandbox']);
    for (const [environment, sid] of [
      ['production', CR(1)],
      ['sandbox', CR(2)],
    ] as const) {
      const { status, json } = await post({ platform: 'ios', apnsEnvironment: environment });
      expect(status).toBe(200);
      expect(decodeAccessToken(json.token as string).payload.grants.voice?.push_credential_sid).toBe(sid);
    }
  });

  test("the Kotlin request's parameters pick the FCM credential", async () => {
    const puts = [...kotlin.matchAll(/\.put\("(\w+)", "(\w+)"\)/g)].map((m) => [m[1] as string, m[2] as string]);
    expect(puts).toEqual([['platform', 'android']]);
    const { status, json } = await post(Object.fromEntries(puts));
    expect(status).toBe(200);
    expect(decodeAccessToken(json.token as string).payload.grants.voice?.push_credential_sid).toBe(CR(3));
  });

  test('both refresh after 80% of ttl, not from expiresAt', () => {
    expect(swift).toContain('Double(current.ttl) * 0.8');
    expect(kotlin).toContain('it.ttl * 800L');
    expect(`${swift}${kotlin}`).not.toMatch(/expiresAt\)|\.expiresAt/);
  });
});
