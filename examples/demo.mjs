// `npm run demo`: mint a token with clearly fake credentials and print it, decoded.
// Twilio will reject this token: the SIDs and secret are made up. Use your own API Key for real ones.
import { createAccessToken, decodeAccessToken, verifyAccessToken, videoGrant, voiceGrant } from 'twilio-access-token';

const credentials = {
  accountSid: `AC${'0'.repeat(32)}`,
  apiKeySid: `SK${'0'.repeat(32)}`,
  apiKeySecret: 'demo-secret-not-a-real-api-key!!',
};
const token = createAccessToken(
  'alice',
  [videoGrant({ room: 'standup' }), voiceGrant({ outgoingApplicationSid: `AP${'0'.repeat(32)}`, incomingAllow: true })],
  { credentials, ttl: 3600 },
);
console.log(token);
console.log(JSON.stringify(decodeAccessToken(token), null, 2));
verifyAccessToken(token, { apiKeySecret: credentials.apiKeySecret });
console.error('\nSigned with fake demo credentials: the signature verifies here, but Twilio will reject this token.');
