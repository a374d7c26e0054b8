import { describe, expect, test } from 'vitest';
import { trustClientIdentity } from '../../../src/handlers/core/trust-client-identity.js';
import { createLambdaHandler } from '../../../src/handlers/lambda/index.js';
import { videoGrant } from '../../../src/index.js';
import { credentials } from '../../helpers.js';
import { albEvent, httpApiEvent } from '../adapters.js';

// What only the Lambda handler does; the matrix (handlers/core/matrix.test.ts) runs it beside the others.

describe('lambda specifics', () => {
  test('HTTP API (v2) cookies reach identify as the cookie header', async () => {
    const seen: string[] = [];
    const handler = createLambdaHandler({
      credentials,
      identify: (r) => {
        seen.push(r.headers.cookie ?? '');
        return 'a';
      },
      grants: videoGrant(),
    });
    const event = { ...httpApiEvent({ method: 'GET' }), cookies: ['session=abc', 'theme=dark'] };
    expect((await handler(event)).statusCode).toBe(200);
    expect(seen).toEqual(['session=abc; theme=dark']);
  });

  test('ALB query values arrive percent-encoded and are decoded once', async () => {
    const handler = createLambdaHandler({ credentials, identify: trustClientIdentity(), grants: videoGrant() });
    const result = await handler(albEvent({ method: 'GET', query: { identity: 'a b+c%d' } }, false));
    expect(JSON.parse(result.body).identity).toBe('a b+c%d');
    expect(result.statusDescription).toBe('200 OK');
  });
});
