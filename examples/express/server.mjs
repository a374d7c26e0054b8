// An Express 5 app whose token endpoint trusts only the app's own login. POST /login checks a
// password and returns a session token (a JWT signed with APP_JWT_SECRET, made and verified with
// jose); POST /token verifies it, sets req.user, and the handler's identify reads req.user through
// request.platform. The client never says who it is.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { jwtVerify, SignJWT } from 'jose';
import { videoGrant } from 'twilio-access-token';
import { createExpressHandler } from 'twilio-access-token/express';

// Refuse to start without a real secret: a missing one must never become a known value.
const appSecret = process.env.APP_JWT_SECRET;
if (!appSecret || appSecret.length < 32) {
  throw new Error('Set APP_JWT_SECRET to a random string of at least 32 characters (openssl rand -hex 32)');
}
const key = new TextEncoder().encode(appSecret);

// Stands in for your user store; passwords would be hashed there.
const USERS = new Map([['alice', 'wonderland']]);

export const app = express();
app.use(express.json({ limit: '16kb' }));
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
// The browser page imports the /client entry straight from the installed package (one ESM file).
const clientEntry = createRequire(import.meta.url)
  .resolve('twilio-access-token/client')
  .replace(/\.cjs$/, '.js');
app.get('/client.js', (_req, res) => res.type('text/javascript').sendFile(clientEntry));

app.post('/login', async (req, res) => {
  const { username, password } = req.body ?? {};
  if (typeof username !== 'string' || USERS.get(username) !== password) {
    res.status(401).json({ error: 'wrong username or password' });
    return;
  }
  const sessionToken = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(username)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
  res.json({ sessionToken });
});

/** Verifies the session token from `Authorization: Bearer ...` and sets req.user; no token, no user. */
async function authenticate(req, _res, next) {
  const [scheme, token] = (req.headers.authorization ?? '').split(' ');
  if (scheme === 'Bearer' && token) {
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
      req.user = { id: payload.sub };
    } catch {
      // An invalid or expired session token: no user, so the token endpoint answers 401.
    }
  }
  next();
}

app.post(
  '/token',
  authenticate,
  createExpressHandler({
    identify: ({ platform }) => /** @type {{ id: string } | undefined} */ (platform.req.user)?.id ?? null,
    // The room comes from the request; a missing one gets the lobby, never every room.
    grants: ({ params }) => videoGrant({ room: typeof params.room === 'string' ? params.room : 'lobby' }),
    ttl: 3600,
  }),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    console.log(
      `listening on http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    );
  });
}
