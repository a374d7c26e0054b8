// A fetch-style route handler: a Next.js App Router route (app/api/token/route.ts), a Hono route
// (app.all('/token', (c) => handler(c.req.raw))), Bun.serve({ fetch: handler }), Deno.serve(handler)
// or a Cloudflare Worker ({ fetch: handler }). Signs with WebCrypto, so it runs on edge runtimes.
import { createFetchHandler } from 'twilio-access-token/fetch';
import { videoGrant, voiceGrant } from 'twilio-access-token/web';

/** Stands in for your session check; here, a bearer token from the environment. */
function identify(request: { headers: Readonly<Record<string, string>> }): string | null {
  const expected = globalThis.process?.env?.DEMO_BEARER_TOKEN;
  return expected !== undefined && request.headers.authorization === `Bearer ${expected}` ? 'alice' : null;
}

export const handler = createFetchHandler({
  identify,
  grants: () => [
    videoGrant(),
    voiceGrant({ outgoingApplicationSid: globalThis.process?.env?.TWIML_APP_SID ?? '', incomingAllow: true }),
  ],
});

// Next.js App Router names:
export { handler as GET, handler as OPTIONS, handler as POST };
