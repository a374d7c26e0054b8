// An Express 5 app whose token endpoint trusts only the app's own login. POST /login checks a
// password (rate-limited) and returns a session token (a JWT signed with APP_JWT_SECRET, made and
// verified with jose); POST /token verifies it, sets req.user, and the handler's identify reads
// req.user through request.platform; each user gets at most TOKEN_LIMIT tokens a minute (Redis when
// REDIS_URL is set, memory otherwise). The Video room comes from the user's record on the server: a
// client may pick one of its own rooms with ?room=, never another. The client never says who it is.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { jwtVerify, SignJWT } from 'jose';
import { videoGrant } from 'twilio-access-token';
import { createExpressHandler } from 'twilio-access-token/express';
import { ConfigError, readConfig } from './config.mjs';
import { tokenLimit } from './limiter.mjs';
import { checkPassword, roomsOf } from './users.mjs';

// Fail at startup, with one line and no secret, rather than on the first request.
let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const { credentials, sessionKey } = config;
// Tokens per user per minute, shared through Redis when REDIS_URL is set (see limiter.mjs).
const tokenLimiter = await tokenLimit(process.env);

/** Answers a JSON error that no cache keeps. */
const fail = (res, status, code, message) =>
  res.status(status).set('Cache-Control', 'no-store').json({ error: { code, message } });

export const app = express();
app.disable('x-powered-by');
// Behind a proxy or load balancer, set `app.set('trust proxy', 1)` (the number of proxies) so that
// req.ip, which the login limit counts by, is the client's address and not the proxy's.
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
// The browser page imports the /client entry straight from the installed package (one ESM file).
const clientEntry = createRequire(import.meta.url)
  .resolve('twilio-access-token/client')
  .replace(/\.cjs$/, '.js');
app.get('/client.js', (_req, res) => res.type('text/javascript').sendFile(clientEntry));

// Ten failed logins per address per 15 minutes; a successful one does not count. The limit comes
// before the body is even parsed, so a blocked client costs no scrypt.
const loginLimit = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  skipSuccessfulRequests: true,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
  handler: (_req, res) => fail(res, 429, 'ERR_RATE_LIMITED', 'Too many failed logins; try again later'),
});

app.post('/login', loginLimit, express.json({ limit: '16kb' }), async (req, res) => {
  const { username, password } = req.body ?? {};
  const user = await checkPassword(username, password);
  if (user === undefined) {
    fail(res, 401, 'ERR_UNAUTHORIZED', 'Wrong username or password');
    return;
  }
  const sessionToken = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(sessionKey);
  res.set('Cache-Control', 'no-store').json({ sessionToken });
});

/** Verifies the session token from `Authorization: Bearer ...` and sets req.user; no token, no user. */
async function authenticate(req, _res, next) {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme === 'Bearer' && token) {
    try {
      const { payload } = await jwtVerify(token, sessionKey, { algorithms: ['HS256'] });
      if (typeof payload.sub === 'string') req.user = { id: payload.sub };
    } catch {
      // An invalid or expired session token: no user, so the token endpoint answers 401.
    }
  }
  next();
}

/**
 * Picks the room on the server: the user's first room, or the one asked for with `?room=` when it
 * is one of the user's. Anything else is refused before a token is made.
 */
function chooseRoom(req, res, next) {
  if (req.user === undefined) return next(); // the handler answers 401
  const rooms = roomsOf(req.user.id);
  const asked = req.query.room;
  if (asked !== undefined && typeof asked !== 'string') return fail(res, 400, 'ERR_BAD_REQUEST', 'room: one name');
  const room = asked ?? rooms[0];
  if (room === undefined || !rooms.includes(room)) {
    return fail(res, 403, 'ERR_FORBIDDEN', 'That room is not one of yours');
  }
  req.user.room = room;
  next();
}

app.post(
  '/token',
  authenticate,
  chooseRoom,
  createExpressHandler({
    identify: ({ platform }) => /** @type {{ id: string } | undefined} */ (platform.req.user)?.id ?? null,
    grants: ({ platform }) => videoGrant({ room: /** @type {{ room: string }} */ (platform.req.user).room }),
    credentials,
    ttl: 3600,
    rateLimit: tokenLimiter.rateLimit,
  }),
);

// Unknown routes and body errors (malformed JSON, a body over 16 KiB) answer JSON, never Express's
// HTML page with a stack trace.
app.use((_req, res) => fail(res, 404, 'ERR_NOT_FOUND', 'Not found'));
app.use((error, _req, res, _next) => {
  const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error(`unexpected error: ${error?.name ?? typeof error}`);
  if (status === 413) {
    res.set('Connection', 'close');
    return fail(res, 413, 'ERR_PAYLOAD_TOO_LARGE', 'Request body over 16 KiB');
  }
  if (status === 500) return fail(res, 500, 'ERR_INTERNAL', 'Internal error');
  fail(res, status, 'ERR_BAD_REQUEST', 'Malformed request body');
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    console.log(
      `listening on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port} (token limit in ${tokenLimiter.store})`,
    );
  });
}
