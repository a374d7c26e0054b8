// An Express 5 app with a token endpoint: `app.listen(3000)` in your server's entry file.
// The identity comes from your own authentication, never from the client.
import express from 'express';
import { chatGrant, videoGrant } from 'twilio-access-token';
import { createExpressHandler } from 'twilio-access-token/express';

/** Stands in for your session lookup (cookie session, passport, an ID token check...). */
export function userFromAuthorization(authorization: string | undefined): string | null {
  return authorization === `Bearer ${process.env.DEMO_BEARER_TOKEN}` ? 'alice' : null;
}

export const app = express();

app.all(
  '/token',
  createExpressHandler({
    identify: (request) => userFromAuthorization(request.headers.authorization),
    grants: (request) => [
      videoGrant(typeof request.params.room === 'string' ? { room: request.params.room } : {}),
      chatGrant({ serviceSid: process.env.CONVERSATIONS_SERVICE_SID ?? '' }),
    ],
    cors: { origins: ['https://app.example.com'], credentials: true },
  }),
);
