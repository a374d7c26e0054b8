// GET or POST /token with the passcode in an X-Passcode header (deployed Functions pass headers in
// event.request; the local twilio-run does not) or a `passcode` parameter, and the user's
// `identity` and optional `room` as parameters. Answers { token, identity, ttl, expiresAt }.
const { createHash, timingSafeEqual } = require('node:crypto');
const { createTwilioFunction } = require('twilio-access-token/twilio-functions');
const { chatGrant, videoGrant, voiceGrant } = require('twilio-access-token');

// Hashing first gives both sides one length, so the comparison leaks neither length nor content.
function sameSecret(given, expected) {
  const digest = (value) => createHash('sha256').update(String(value)).digest();
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}

let handler;

exports.handler = (context, event, callback) => {
  // Built once per warm container, from the service's environment (context).
  handler ??= createTwilioFunction({
    // A passcode shared with your app gates the endpoint. A real app would check its own session
    // or ID token here and derive the identity from it, not from a request parameter.
    identify: (request) => {
      const passcode = request.headers['x-passcode'] ?? request.params.passcode;
      if (!context.PASSCODE || !sameSecret(passcode, context.PASSCODE)) return null;
      return typeof request.params.identity === 'string' ? request.params.identity : null;
    },
    grants: (request) => [
      videoGrant(typeof request.params.room === 'string' ? { room: request.params.room } : {}),
      chatGrant({ serviceSid: context.CONVERSATIONS_SERVICE_SID }),
      voiceGrant({ outgoingApplicationSid: context.TWIML_APP_SID, incomingAllow: true }),
    ],
    ttl: 3600,
  });
  handler(context, event, callback);
};
