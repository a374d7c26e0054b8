// A React Native-shaped global scope in a Node process (imported first by react-native-app.ts, so
// it runs before anything else in the bundle): Hermes has fetch, AbortController and timers, but
// no `document`, a `window` that is the global object without `addEventListener`,
// `navigator.product === 'ReactNative'`, a fetch Response without a `body` stream (React Native's
// fetch is whatwg-fetch over XMLHttpRequest: `text()` only), and no TextDecoder (before 0.85),
// ReadableStream, structuredClone, Buffer, crypto, AbortSignal.timeout or AbortSignal.any.

import { Buffer } from 'node:buffer';
import { request } from 'node:http';

const scope = globalThis as Record<string, unknown>;

/** Every request this process sent, for the scenarios to count. */
export const sent: string[] = [];

/** React Native's Response: status, headers and `text()`; no `body`. */
class NativeResponse {
  readonly body = undefined;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  constructor(
    readonly status: number,
    headers: Record<string, string | string[] | undefined>,
    private readonly raw: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = { get: (name) => String(headers[name.toLowerCase()] ?? '') || null };
  }
  async text(): Promise<string> {
    return this.raw;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.raw);
  }
}

// React Native's fetch is XMLHttpRequest underneath: the whole body arrives, then `text()` gives it.
// Here node:http plays the XMLHttpRequest (Node's own fetch needs the globals removed below).
scope.fetch = (input: string | URL, init?: RequestInit) => {
  sent.push(String(input));
  return new Promise((resolve, reject) => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const req = request(String(input), { method: init?.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve(new NativeResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
    req.end(typeof init?.body === 'string' ? init.body : undefined);
  });
};

for (const name of [
  'document',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
  'TextDecoder',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'structuredClone',
  'Buffer',
  'crypto',
  'Response',
  'Request',
  'Headers',
  'FormData',
]) {
  Reflect.deleteProperty(scope, name);
  if (name in scope) Object.defineProperty(scope, name, { value: undefined, configurable: true });
}
Reflect.deleteProperty(AbortSignal, 'timeout');
Reflect.deleteProperty(AbortSignal, 'any');
Object.defineProperty(scope, 'navigator', { value: { product: 'ReactNative' }, configurable: true });
scope.window = globalThis;
// react-test-renderer warns that it is deprecated, except under React Native's test environment.
scope.IS_REACT_NATIVE_TEST_ENVIRONMENT = true;

/** The clock a sleeping phone sees: Date.now moves, timers do not fire meanwhile. */
let asleepFor = 0;
const realNow = Date.now;
Date.now = () => realNow() + asleepFor;
export const sleep = (ms: number): void => {
  asleepFor += ms;
};

/** Timers the code under test holds: a stopped provider holds none, so it can never send again. */
const pending = new Set<unknown>();
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
scope.setTimeout = (handler: () => void, ms?: number) => {
  const timer = realSetTimeout(() => {
    pending.delete(timer);
    handler();
  }, ms);
  pending.add(timer);
  return timer;
};
scope.clearTimeout = (timer: ReturnType<typeof setTimeout>) => {
  pending.delete(timer);
  realClearTimeout(timer);
};
export const pendingTimers = (): number => pending.size;

/** React Native's `Platform` and `__DEV__`, as docs/mobile.md reads them: a development build on iOS. */
export const Platform = { OS: 'ios' as const };
scope.__DEV__ = true;

/** React Native's AppState: `addEventListener('change', fn)` returns `{ remove() }`. */
export function fakeAppState() {
  const listeners = new Set<(state: string) => void>();
  return {
    addEventListener(_type: 'change', listener: (state: string) => void) {
      listeners.add(listener);
      return { remove: () => void listeners.delete(listener) };
    },
    change(state: string) {
      for (const listener of [...listeners]) listener(state);
    },
    listeners: () => listeners.size,
  };
}
