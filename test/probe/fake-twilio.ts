import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

// A fake Twilio on 127.0.0.1 that answers the probe's requests as Twilio documents them. Requests
// reach it through `fake.fetch`, which maps `https://<host>.twilio.com/<path>` to
// `http://127.0.0.1:<port>/<host>.twilio.com/<path>` (the CLI tests' preload, test/cli/fixtures/fake-twilio-fetch.mjs, sends the
// same shape), so the fake knows which host, and so which Region, each request was meant for.
//
// Where each answer's shape is documented:
// - Error bodies `{ code, message, more_info, status }`: https://www.twilio.com/docs/usage/twilios-response
//   ("the response includes an exception with the HTTP status, a message, and ... a Twilio-specific
//   code and more_info").
// - 20003 Permission Denied, 401 (wrong secret, deleted key, key of another Region, a Standard key on
//   /Accounts): https://www.twilio.com/docs/api/errors/20003
// - 70051 Authorization Failed, 403 (a Restricted API Key without the permission):
//   https://www.twilio.com/docs/api/errors/70051 and https://www.twilio.com/docs/iam/api-keys/restricted-api-keys
// - 20404 Not Found: https://www.twilio.com/docs/api/errors/20404
// - 429 Too Many Requests with Retry-After (20429): https://www.twilio.com/docs/api/errors/20429
// - Application list (`applications`, `page_size`, `uri`...): https://www.twilio.com/docs/usage/api/applications
// - Account (`sid`, `status`, `type`, `auth_token`...): https://www.twilio.com/docs/iam/api/account
// - Conversations Service: https://www.twilio.com/docs/conversations/api/service-resource
// - Conversations Role: https://www.twilio.com/docs/conversations/api/role-resource
// - Credential (`type` apn|gcm|fcm, `sandbox` a string): https://www.twilio.com/docs/conversations/api/credential-resource
//   and https://www.twilio.com/docs/chat/rest/credential-resource (chat v2, what Voice push uses)
// - Sync Service: https://www.twilio.com/docs/sync/api/service
// - TaskRouter Workspace and Worker: https://www.twilio.com/docs/taskrouter/api/workspace and
//   https://www.twilio.com/docs/taskrouter/api/worker
// - Regional hosts (`api.dublin.ie1.twilio.com`, `api.sydney.au1.twilio.com`; the `api.ie1` forms
//   retired): https://www.twilio.com/docs/global-infrastructure/using-the-twilio-rest-api-in-a-non-us-region

/** The account and key the probe tests use; the secret is only ever sent in Authorization headers. */
export const ACCOUNT = `AC${'a1'.repeat(16)}`;
export const KEY = `SK${'b2'.repeat(16)}`;
export const SECRET = 'q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1';
export const CREDENTIALS = { accountSid: ACCOUNT, apiKeySid: KEY, apiKeySecret: SECRET } as const;

export type Region = 'us1' | 'ie1' | 'au1';

/** An API Key the fake knows. */
export interface FakeKey {
  readonly sid: string;
  readonly secret: string;
  readonly account: string;
  readonly region: Region;
  readonly kind: 'main' | 'standard' | 'restricted';
}

/** One request as the fake saw it. */
export interface Recorded {
  readonly host: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
}

/** A scripted answer: a status, a body, headers; or 'hang' to never answer. */
export type Scripted =
  | {
      status: number;
      body?: unknown;
      /** The body's text as it is, in place of `body` as JSON (a captive portal's page, broken JSON). */
      raw?: string;
      /** Headers; a content type of `''` sends none. */
      headers?: Record<string, string>;
    }
  | 'hang';

export interface FakeTwilio {
  readonly base: string;
  /** Every request the fake received. */
  readonly requests: Recorded[];
  /** Every URL given to `fetch`, as the probe wrote it. */
  readonly urls: string[];
  keys: FakeKey[];
  /** Resources by `<region> <host> <path>`; their JSON body. */
  resources: Map<string, Record<string, unknown>>;
  /** Seconds added to the Date header. */
  clockOffset: number;
  /** Answers tried before the fake's own; `undefined` falls through. */
  script: ((r: Recorded) => Scripted | undefined) | undefined;
  /** `fetch` that maps https://*.twilio.com to the fake. */
  readonly fetch: typeof globalThis.fetch;
  reset(): void;
  close(): Promise<void>;
}

const HOST = /^([a-z]+)(\.dublin\.ie1|\.sydney\.au1)?\.twilio\.com$/;
const REGION_OF: Record<string, Region> = { '': 'us1', '.dublin.ie1': 'ie1', '.sydney.au1': 'au1' };

/** Twilio's error body. */
export function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Resource bodies as Twilio documents them (fields trimmed to the documented core). */
export const BODIES = {
  service: (sid: string, account: string) => ({
    sid,
    account_sid: account,
    friendly_name: 'fake',
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    url: `https://conversations.twilio.com/v1/Services/${sid}`,
    links: {},
  }),
  credential: (sid: string, account: string, type: 'apn' | 'fcm' | 'gcm', sandbox: string | null) => ({
    sid,
    account_sid: account,
    friendly_name: 'fake push',
    type,
    sandbox,
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    url: `https://conversations.twilio.com/v1/Credentials/${sid}`,
  }),
  application: (sid: string, account: string) => ({
    sid,
    account_sid: account,
    api_version: '2010-04-01',
    friendly_name: 'fake app',
    voice_url: 'https://example.invalid/voice',
    uri: `/2010-04-01/Accounts/${account}/Applications/${sid}.json`,
  }),
};

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const server = createServer((req, res) => answer(fake, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeTwilio = {
    base,
    requests: [],
    urls: [],
    keys: [],
    resources: new Map(),
    clockOffset: 0,
    script: undefined,
    fetch: (input, init) => {
      const url = new URL(String(input));
      if (url.protocol !== 'https:' || !url.hostname.endsWith('.twilio.com'))
        return Promise.reject(new TypeError('the fake fetch reaches only https://*.twilio.com'));
      fake.urls.push(String(input));
      return globalThis.fetch(`${base}/${url.hostname}${url.pathname}${url.search}`, init);
    },
    reset() {
      fake.requests.length = 0;
      fake.urls.length = 0;
      fake.keys = [];
      fake.resources = new Map();
      fake.clockOffset = 0;
      fake.script = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function send(
  fake: FakeTwilio,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  raw?: string,
) {
  const all: Record<string, string> = {
    'content-type': 'application/json',
    date: new Date(Date.now() + fake.clockOffset * 1000).toUTCString(),
    ...headers,
  };
  if (all['content-type'] === '') delete all['content-type'];
  res.writeHead(status, all);
  res.end(raw ?? JSON.stringify(body));
}

function answer(fake: FakeTwilio, req: IncomingMessage, res: ServerResponse) {
  const raw = req.url ?? '/';
  const slash = raw.indexOf('/', 1);
  const host = raw.slice(1, slash < 0 ? undefined : slash);
  const path = slash < 0 ? '/' : raw.slice(slash);
  const recorded: Recorded = { host, path, headers: req.headers };
  fake.requests.push(recorded);
  const scripted = fake.script?.(recorded);
  if (scripted === 'hang') return;
  if (scripted !== undefined)
    return send(fake, res, scripted.status, scripted.body ?? {}, scripted.headers, scripted.raw);
  const match = HOST.exec(host);
  if (match === null) return send(fake, res, 404, twilioError(404, 20404, 'Unknown host'));
  const product = match[1] as string;
  const region = REGION_OF[match[2] ?? ''] as Region;
  const key = authenticate(fake, req.headers.authorization, region, path);
  if (key === undefined) return send(fake, res, 401, twilioError(401, 20003, 'Authenticate'));
  route(fake, res, { key, product, region, path });
}

function authenticate(fake: FakeTwilio, header: string | undefined, region: Region, path: string) {
  const basic = /^Basic (.+)$/.exec(header ?? '');
  if (basic === null) return undefined;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [sid, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const key = fake.keys.find((k) => k.sid === sid && k.secret === secret && k.region === region);
  // A key of another account does not authenticate for this one (20003, "another account").
  const account = /^\/2010-04-01\/Accounts\/(AC\w{32})/.exec(path)?.[1];
  return key !== undefined && (account === undefined || account === key.account) ? key : undefined;
}

function route(
  fake: FakeTwilio,
  res: ServerResponse,
  r: { key: FakeKey; product: string; region: Region; path: string },
) {
  const { key, path } = r;
  const restricted = () => send(fake, res, 403, twilioError(403, 70051, 'Authorization Failed'));
  const [pathname] = path.split('?') as [string];
  if (r.product === 'api' && pathname === `/2010-04-01/Accounts/${key.account}/Applications.json`) {
    if (key.kind === 'restricted') return restricted();
    return send(fake, res, 200, {
      applications: [],
      end: 0,
      first_page_uri: `/2010-04-01/Accounts/${key.account}/Applications.json?PageSize=1&Page=0`,
      next_page_uri: null,
      page: 0,
      page_size: 1,
      previous_page_uri: null,
      start: 0,
      uri: `/2010-04-01/Accounts/${key.account}/Applications.json?PageSize=1&Page=0`,
    });
  }
  if (r.product === 'api' && pathname === `/2010-04-01/Accounts/${key.account}.json`) {
    if (key.kind === 'restricted') return restricted();
    // A Standard key may not read the Account (20003); a Main key reads it, Auth Token included.
    if (key.kind === 'standard') return send(fake, res, 401, twilioError(401, 20003, 'Authenticate'));
    return send(fake, res, 200, {
      sid: key.account,
      friendly_name: 'fake account',
      status: 'active',
      type: 'Full',
      auth_token: 'f'.repeat(32),
      uri: `/2010-04-01/Accounts/${key.account}.json`,
    });
  }
  if (key.kind === 'restricted') return restricted();
  const body = fake.resources.get(`${r.region} ${r.product} ${pathname}`);
  if (body !== undefined) return send(fake, res, 200, body);
  return send(fake, res, 404, twilioError(404, 20404, `The requested resource ${pathname} was not found`));
}

/**
 * One fake Twilio for a test file: started before its tests, closed after, reset before each test
 * with the standard key (`KEY`/`SECRET` of `ACCOUNT` in us1) and then `each(fake)`. The returned
 * object stands for the running fake (it forwards to it), so tests write `fake.resources`.
 */
export function fakeTwilioPerFile(each?: (fake: FakeTwilio) => void): FakeTwilio {
  let current: FakeTwilio | undefined;
  beforeAll(async () => {
    current = await startFakeTwilio();
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    const fake = current as FakeTwilio;
    fake.reset();
    fake.keys.push({ sid: KEY, secret: SECRET, account: ACCOUNT, region: 'us1', kind: 'standard' });
    each?.(fake);
  });
  return new Proxy({} as FakeTwilio, {
    get: (_target, key) => Reflect.get(current as FakeTwilio, key),
    set: (_target, key, value) => Reflect.set(current as FakeTwilio, key, value),
  });
}
