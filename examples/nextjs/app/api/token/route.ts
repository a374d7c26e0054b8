// The token endpoint: POST /api/token. A Next.js route handler is a fetch handler, so the route
// exports the handler itself. Credentials come from process.env, which Next.js fills from
// .env.local (TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET).
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant } from 'twilio-access-token/web';

export const POST = createFetchHandler({
  // Stands in for your auth: return the signed-in user from your session (Auth.js, Clerk,
  // iron-session...), or null for a 401. Here every visitor is DEMO_IDENTITY; unset, nobody is.
  identify: () => process.env.DEMO_IDENTITY ?? null,
  grants: videoGrant({ room: 'standup' }),
  // The page calls its own origin: no CORS headers.
  cors: false,
});
