// The React Native scenarios, run in a Node process shaped like Hermes (react-native-env.ts, first
// import) against a real token endpoint (its URL is argv[2]): /client and /react as built, real
// React with react-test-renderer (no DOM), and an AppState fake with React Native's shape. Prints
// one JSON line of results; the test asserts on them. Waits are for conditions, never for a time.

import { createElement, StrictMode } from 'react';
import { create } from 'react-test-renderer';
import { createTokenProvider, resumeOnAppState } from 'twilio-access-token/client';
import { AccessTokenProvider, useAccessToken } from 'twilio-access-token/react';
import { fakeAppState, Platform, pendingTimers, sent, sleep } from './react-native-env.js';

const url = `${process.argv[2]}/token?identity=alice`;
const HOUR = 3_600_000;

/** Resolves when `condition()` holds, checking after every turn of the event loop (at most 10 s). */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const results: Record<string, unknown> = {};

results.environment = {
  document: typeof (globalThis as { document?: unknown }).document,
  windowIsGlobal: (globalThis as { window?: unknown }).window === globalThis,
  windowAddEventListener: typeof (globalThis as { addEventListener?: unknown }).addEventListener,
  product: (globalThis as { navigator?: { product?: string } }).navigator?.product,
  missing: ['TextDecoder', 'ReadableStream', 'structuredClone', 'Buffer', 'crypto'].filter(
    (name) => (globalThis as Record<string, unknown>)[name] === undefined,
  ),
  abortSignalTimeout: typeof (AbortSignal as { timeout?: unknown }).timeout,
  abortSignalAny: typeof (AbortSignal as { any?: unknown }).any,
  responseBody: typeof (await fetch(url, { method: 'POST' })).body,
};

// /client alone: a token, then the app sleeps past the refresh point and comes back.
{
  const appState = fakeAppState();
  const before = sent.length;
  const tokens = createTokenProvider({ url, identity: 'alice', resume: resumeOnAppState(appState) });
  const first = await tokens.getToken();
  const afterFirst = sent.length - before;
  appState.change('background');
  sleep(HOUR); // the timers did not run; the clock moved
  appState.change('inactive');
  await new Promise((resolve) => setImmediate(resolve));
  const whileInactive = sent.length - before;
  appState.change('active');
  await until(() => sent.length - before === 2, 'the refresh on resume');
  const second = await tokens.getToken();
  // A resume storm: 100 changes to 'active' within a second, past the refresh point again.
  sleep(HOUR);
  const stormStart = performance.now();
  for (let i = 0; i < 100; i++) appState.change('active');
  await until(() => sent.length - before === 3, 'the one request of the storm');
  for (let i = 0; i < 100; i++) appState.change('active');
  const stormMs = performance.now() - stormStart;
  await tokens.getToken();
  const afterStorm = sent.length - before;
  tokens.stop();
  const listenersAfterStop = appState.listeners();
  sleep(HOUR);
  appState.change('active');
  results.client = {
    firstIsJwt: first.split('.').length === 3,
    afterFirst,
    whileInactive,
    refreshedOnResume: second !== first,
    afterStorm,
    stormMs,
    listenersAfterStop,
    timersAfterStop: pendingTimers(),
    afterStop: sent.length - before,
  };
}

// /react under StrictMode with react-test-renderer: one request at mount, a re-render per resume
// past the refresh point, nothing after unmount.
{
  const appState = fakeAppState();
  const before = sent.length;
  const rendered: string[] = [];
  function Status() {
    const { token, loading } = useAccessToken();
    if (token !== undefined) rendered.push(token);
    return createElement('Text', null, token === undefined ? (loading ? 'loading' : 'failed') : 'ready');
  }
  const tree = () =>
    createElement(
      StrictMode,
      null,
      createElement(
        AccessTokenProvider,
        { provider: { url, resume: resumeOnAppState(appState) } },
        createElement(Status),
      ),
    );
  // As in an app, not in a test's act(): React schedules its own work.
  const renderer = create(tree());
  await until(() => rendered.length > 0, 'the first token rendered');
  const mountRequests = sent.length - before;
  const listenersMounted = appState.listeners();
  const firstToken = rendered.at(-1);
  sleep(HOUR);
  appState.change('active');
  await until(() => rendered.at(-1) !== firstToken, 'the refreshed token rendered');
  const afterResume = sent.length - before;
  const text = renderer.toJSON();
  renderer.unmount();
  // The store stops the provider a tick after the last unsubscribe (StrictMode's remount window).
  await until(() => appState.listeners() === 0 && pendingTimers() === 0, 'the provider stopped');
  sleep(HOUR);
  appState.change('active');
  results.react = {
    mountRequests,
    listenersMounted,
    afterResume,
    rendered: (text as { children?: unknown } | null)?.children,
    afterUnmount: sent.length - before,
    timersAfterUnmount: pendingTimers(),
  };
}

// docs/mobile.md's React Native snippets as a new user wires them (tokens.ts, Voice registration
// and calls, a Conversations client), with fakes of the SDKs' token-taking methods, against the
// guide's endpoint (`/mobile-token`: identity from Authorization, push credential per platform).
{
  const appState = fakeAppState();
  const before = sent.length;
  const sessionToken = async () => 'user_42';
  const tokens = createTokenProvider({
    url: `${process.argv[2]}/mobile-token`,
    init: async () => ({
      headers: { authorization: `Bearer ${await sessionToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        platform: Platform.OS,
        apnsEnvironment: (globalThis as { __DEV__?: boolean }).__DEV__ ? 'sandbox' : 'production',
      }),
    }),
    resume: resumeOnAppState(appState),
  });
  const registered: string[] = [];
  const connected: string[] = [];
  const voice = {
    register: async (token: string) => void registered.push(token),
    connect: async (token: string, _options: { params: Record<string, string> }) => void connected.push(token),
  };
  await voice.register(await tokens.getToken());
  await voice.connect(await tokens.getToken(), { params: { To: 'bob' } });
  const updated: string[] = [];
  const aboutToExpire: (() => Promise<void>)[] = [];
  const client = {
    updateToken: async (token: string) => void updated.push(token),
    on: (_event: 'tokenAboutToExpire', listener: () => Promise<void>) => void aboutToExpire.push(listener),
  };
  tokens.attach(client);
  client.on('tokenAboutToExpire', async () => {
    await client.updateToken(await tokens.getToken());
  });
  // The app sleeps past the refresh point; back in the foreground, the new token reaches the client.
  sleep(HOUR);
  appState.change('active');
  await until(() => updated.length === 1, 'the refreshed token at client.updateToken');
  for (const listener of aboutToExpire) await listener();
  // A call after the refresh uses the refreshed token, without another request.
  await voice.connect(await tokens.getToken(), { params: { To: 'bob' } });
  tokens.stop();
  const payload = (token: string | undefined) =>
    JSON.parse(atob((token ?? '..').split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      grants: { identity?: string; voice?: { push_credential_sid?: string }; chat?: { push_credential_sid?: string } };
    };
  const grants = payload(registered[0]).grants;
  results.guide = {
    requests: sent.length - before,
    identity: grants.identity,
    voicePush: grants.voice?.push_credential_sid,
    chatPush: grants.chat?.push_credential_sid,
    registeredOnce: registered.length,
    callsWithFreshTokens: connected[0] === registered[0] && connected[1] === updated[0],
    clientUpdates: updated.length,
    updatesAreTheRefresh: updated.every((token) => token === updated[0]) && updated[0] !== registered[0],
  };
}

process.stdout.write(`${JSON.stringify(results)}\n`);
