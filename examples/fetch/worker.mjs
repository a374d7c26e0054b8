// A Cloudflare Workers module: `wrangler deploy` with TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and
// TWILIO_API_KEY_SECRET set as secrets (`wrangler secret put ...`), and DEVICE_KEYS mapping the
// app's device keys to users. Workers have no process.env: credentials come from the env argument,
// which the handler passes to the hooks as request.platform.env.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { credentialsFromEnv, voiceGrant } from 'twilio-access-token/web';

const handler = createFetchHandler({
  // Stands in for your auth: a device key issued by your app, looked up in a secret binding.
  identify: ({ headers, platform }) => {
    const key = (headers.authorization ?? '').replace(/^Bearer /, '');
    const devices = JSON.parse(platform.env?.DEVICE_KEYS ?? '{}');
    return key !== '' && Object.hasOwn(devices, key) ? devices[key] : null;
  },
  grants: ({ platform }) => voiceGrant({ outgoingApplicationSid: platform.env?.TWIML_APP_SID, incomingAllow: true }),
  credentials: ({ platform }) => credentialsFromEnv(platform.env),
  cors: { origins: ['http://127.0.0.1:5173'], allowHeaders: [] },
});

export default { fetch: handler };
