// AWS Lambda behind API Gateway (REST or HTTP API), a Function URL or an ALB. Deploy with the
// bundler of your choice; set TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET.
import { syncGrant, videoGrant } from 'twilio-access-token';
import { createLambdaHandler } from 'twilio-access-token/lambda';

/** Stands in for your authorizer: API Gateway can put the verified user in a header or claims. */
function identify(request: { headers: Readonly<Record<string, string>> }): string | null {
  return request.headers['x-verified-user'] ?? null;
}

export const handler = createLambdaHandler({
  identify,
  grants: [videoGrant(), syncGrant()],
  ttl: 1800,
});
