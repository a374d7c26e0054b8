// GET or POST /token with the passcode in an X-Passcode header or a `passcode` parameter, and the
// user's `identity` and optional `room` as parameters. Answers { token, identity, ttl, expiresAt }.
// Deployed Functions pass request headers in event.request; the local twilio-run does not, so
// locally send the passcode as a parameter.
const { createHash, timingSafeEqual } = require('node:crypto');
const { createTwilioFunction } = require('twilio-access-token/twilio-functions');
const { chatGrant, videoGrant, voiceGrant } = require('twilio-access-token');

// Hashing first gives both sides one length, so the comparison leaks neither length nor content.
// An empty passcode never matches, whatever is configured.
function sameSecret(given, expected) {
  const digest = (value) => createHash('sha256').update(value).digest();
  return (
    typeof given === 'string' &&
    given !== '' &&
    typeof expected === 'string' &&
    timingSafeEqual(digest(given), digest(expected))
  );
}

// .env.example ships `PASSCODE=` empty: with no passcode configured the service refuses every
// request (500, and one line in the log for the operator) instead of letting anyone in.
function passcodeNotSet() {
  const error = new Error(
    'PASSCODE is not set: every token request is refused. Set it in .env locally, or in the environment variables of the deployed service.',
  );
  error.name = 'ConfigurationError';
  error.stack = ''; // the message says what to fix: one log line, no stack
  return error;
}

/** The service's environment variables, as the runtime puts them on `context`. */
const variables = (context) =>
  /** @type {{ PASSCODE?: string, CONVERSATIONS_SERVICE_SID: string, TWIML_APP_SID: string }} */ (context);

// Credentials come from the service's environment (context): ACCOUNT_SID, API_KEY, API_SECRET.
exports.handler = createTwilioFunction({
  // The tutorial's passcode gates the endpoint. A real app would verify its own session or ID
  // token here and derive the identity from it, not from a request parameter.
  identify: ({ headers, params, platform }) => {
    const expected = variables(platform.context).PASSCODE;
    if (typeof expected !== 'string' || expected.trim() === '') throw passcodeNotSet();
    const passcode = headers['x-passcode'] ?? params.passcode;
    if (!sameSecret(passcode, expected)) return null;
    return typeof params.identity === 'string' ? params.identity : null;
  },
  grants: ({ params, platform }) => [
    // A missing room gets the lobby, never every room.
    videoGrant({ room: typeof params.room === 'string' ? params.room : 'lobby' }),
    chatGrant({ serviceSid: variables(platform.context).CONVERSATIONS_SERVICE_SID }),
    voiceGrant({ outgoingApplicationSid: variables(platform.context).TWIML_APP_SID, incomingAllow: true }),
  ],
  cors: { origins: '*', allowHeaders: ['X-Passcode'] },
  ttl: 3600,
});
