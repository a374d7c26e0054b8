// Runs handler.mjs locally behind a small stand-in for API Gateway's HTTP API with a JWT
// authorizer: it verifies `Authorization: Bearer <id token>` (HS256 with LOCAL_ID_TOKEN_SECRET,
// where the real authorizer checks your identity provider's keys), builds a real HTTP API (v2)
// event with the verified claims, and calls the handler. POST /dev-id-token?sub=alice issues a
// token to try it with. Listens on 127.0.0.1:$PORT (default 3001). Bodies are read to 16 KiB at
// most, the handler's own limit (API Gateway's is larger): a larger one is a 413.
import { createServer } from 'node:http';
import { jwtVerify, SignJWT } from 'jose';
import { handler } from './handler.mjs';
import { readBody } from './read-body.mjs';

const secret = process.env.LOCAL_ID_TOKEN_SECRET;
if (!secret || secret.length < 32 || new Set(secret).size < 8) {
  // One line and a non-zero exit, never the value.
  console.error('Set LOCAL_ID_TOKEN_SECRET to at least 32 random characters (openssl rand -hex 32)');
  process.exit(1);
}
const key = new TextEncoder().encode(secret);

async function claimsOf(authorization) {
  const [scheme, token] = (authorization ?? '').split(' ');
  if (scheme !== 'Bearer' || !token) return undefined;
  try {
    return (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload;
  } catch {
    return undefined;
  }
}

const server = createServer(async (req, res) => {
  // Read (to the limit) before anything else, so no answer leaves a body for node:http to drain.
  const raw = await readBody(req, res);
  if (raw === undefined) return; // answered 413, or the client left
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/dev-id-token') {
    const sub = url.searchParams.get('sub') ?? 'alice';
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setExpirationTime('1h')
      .sign(key);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    return;
  }
  const body = raw.toString('utf8');
  const claims = await claimsOf(req.headers.authorization);
  // As API Gateway does: no valid token, no invocation.
  if (claims === undefined) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
    return;
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
  );
  const event = {
    version: '2.0',
    routeKey: 'POST /token',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      http: {
        method: req.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      authorizer: { jwt: { claims, scopes: null } },
      requestId: `local-${Date.now()}`,
      routeKey: 'POST /token',
      stage: '$default',
    },
    body: body === '' ? undefined : body,
    isBase64Encoded: false,
  };
  const result = await handler(event, { awsRequestId: event.requestContext.requestId });
  res.writeHead(result.statusCode, result.headers).end(result.body);
});

server.listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`);
});
