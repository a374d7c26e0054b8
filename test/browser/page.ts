// The page the browser test loads: the built /client entry (the test bundles dist/client.js for
// this import) and the real Twilio SDKs, fed with tokens from the test's own token endpoint on
// 127.0.0.1. Bundled with esbuild for the browser.
import { Client as ConversationsClient } from '@twilio/conversations';
import { Device } from '@twilio/voice-sdk';
import { createTokenProvider } from 'twilio-access-token/client';
import { SyncClient } from 'twilio-sync';
import { Worker } from 'twilio-taskrouter';

interface Consumer {
  updateToken(token: string): unknown;
}

/** Records each token a client's real updateToken received, then calls it. */
function spy(name: string, client: Consumer, seen: Record<string, string[]>): Consumer {
  const real = client.updateToken.bind(client);
  seen[name] = [];
  client.updateToken = (token: string) => {
    seen[name]?.push(token);
    return real(token);
  };
  return client;
}

async function run(refreshes: number) {
  const provider = createTokenProvider({
    url: '/token',
    refreshAt: 0.5,
    init: { headers: { authorization: 'Bearer page' } },
  });
  const errors: string[] = [];
  provider.onError((error) => errors.push(String(error)));
  const first = await provider.getToken();
  const seen: Record<string, string[]> = {};
  const loaded: string[] = [];
  const device = new Device(first, { logLevel: 'silent' } as never);
  provider.attach(spy('voice', device, seen));
  loaded.push('voice');
  const tryClient = (name: string, make: () => Consumer) => {
    try {
      provider.attach(spy(name, make(), seen));
      loaded.push(name);
    } catch (error) {
      errors.push(`${name} did not load: ${String(error)}`);
    }
  };
  tryClient('conversations', () => new ConversationsClient(first, { logLevel: 'silent' }) as unknown as Consumer);
  tryClient('sync', () => new SyncClient(first, { logLevel: 'silent' }) as unknown as Consumer);
  tryClient(
    'taskrouter',
    () => new Worker(first, { connectActivitySid: undefined, logLevel: 'silent' } as never) as unknown as Consumer,
  );
  const tokens = [first];
  provider.subscribe((token) => tokens.push(token));
  const deadline = Date.now() + 20_000;
  while (tokens.length <= refreshes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const latest = await provider.getToken();
  provider.stop();
  return { first, latest, tokens, loaded, seen, deviceToken: (device as unknown as { token: string }).token, errors };
}

(window as unknown as { runProviderTest: typeof run }).runProviderTest = run;
