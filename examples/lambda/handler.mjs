// AWS Lambda behind an API Gateway HTTP API route with a JWT authorizer: API Gateway verifies the
// caller's ID token before the function runs and passes its claims in the event, so identify reads
// the verified `sub` from request.platform.event. Deploy with the bundler of your choice; set
// TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET on the function.
import { syncGrant, videoGrant } from 'twilio-access-token';
import { createLambdaHandler } from 'twilio-access-token/lambda';

export const handler = createLambdaHandler({
  identify: ({ platform }) => {
    const sub = platform.event.requestContext?.authorizer?.jwt?.claims?.sub;
    return typeof sub === 'string' ? sub : null;
  },
  grants: [videoGrant({ room: 'standup' }), syncGrant()],
  ttl: 1800,
});
