import { isPlainObject } from '../base/known-keys.js';
import type { Credentials } from '../token/credentials.js';
import { assertTwilioUrl } from './hosts.js';

// One GET to Twilio: the key as Basic auth (the one place the secret goes), a timeout, one retry
// after a 429, and the clock read from the Date header. Twilio's answer is reduced to its status,
// its error code and the few fields a check reads; nothing of it reaches a message.

/** What the probe runs with: the fetch to use, the timeout, and (for tests) the clock and the wait. */
export interface ProbeContext {
  readonly fetch: typeof globalThis.fetch;
  /** Milliseconds per request. */
  readonly timeout: number;
  /** Milliseconds the whole probe may take. */
  readonly deadline: number;
  /** When the probe's deadline passes, epoch milliseconds of {@link ProbeContext.now}. */
  readonly deadlineAt: number;
  /** Waits before the retry of a 429. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The local clock, epoch milliseconds. */
  readonly now: () => number;
  /** Twilio's clock minus this one, in seconds, from the first response with a `Date` header. */
  skew?: number;
}

/** Twilio's answer, or why there was none. */
export type Answer =
  | {
      readonly kind: 'answered';
      readonly status: number;
      /** Twilio's error code from a JSON error body, such as 20003. */
      readonly code?: number;
      /** The JSON body when it is an object (own properties only are read from it). */
      readonly body?: Record<string, unknown>;
    }
  | { readonly kind: 'failed'; readonly reason: string };

/** The longest `Retry-After` waited for; a longer one ends the check as undecided. */
export const MAX_RETRY_WAIT = 5000;
/** The most of a response body read: Twilio's answers here are a few hundred bytes. */
const MAX_BODY = 64 * 1024;

/**
 * GETs a Twilio URL with the key as Basic auth; a 429 is retried once after its `Retry-After` (at
 * most {@link MAX_RETRY_WAIT} ms).
 *
 * @throws {@link RefusedUrl} for a URL that is not one of Twilio's hosts, before any request.
 */
export async function getTwilio(ctx: ProbeContext, key: Credentials, url: string): Promise<Answer> {
  assertTwilioUrl(url);
  const first = await once(ctx, key, url);
  if (first.answer.kind !== 'answered' || first.answer.status !== 429) return first.answer;
  const wait = retryAfter(first.retryAfter, ctx.now());
  if (wait === undefined || wait > MAX_RETRY_WAIT) {
    const asked = wait === undefined ? '' : ` and asked to wait ${Math.ceil(wait / 1000)} s`;
    return { kind: 'failed', reason: `Twilio answered 429 (too many requests)${asked}; try again later` };
  }
  if (wait >= ctx.deadlineAt - ctx.now()) return pastDeadline(ctx);
  await ctx.sleep(wait);
  const second = await once(ctx, key, url);
  if (second.answer.kind === 'answered' && second.answer.status === 429)
    return { kind: 'failed', reason: 'Twilio answered 429 (too many requests) twice; try again later' };
  return second.answer;
}

type Exchange = { answer: Answer; retryAfter: string | null };

/**
 * One request within `timeout`, enforced here and not only through the signal: a fetch that ignores
 * its signal, or a body that drips a byte at a time (Node's fetch does not always fail a pending
 * read on abort), still ends as "no answer" when the time is up.
 */
async function once(ctx: ProbeContext, key: Credentials, url: string): Promise<Exchange> {
  // The whole probe's deadline bounds each request too: none is sent once it has passed.
  const left = ctx.deadlineAt - ctx.now();
  if (left <= 0) return { answer: pastDeadline(ctx), retryAfter: null };
  const limit = Math.min(ctx.timeout, left);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, limit);
  });
  const timedOut = {
    answer: (limit < ctx.timeout
      ? pastDeadline(ctx)
      : { kind: 'failed', reason: `no answer within ${ctx.timeout} ms` }) as Answer,
    retryAfter: null,
  };
  const exchanged = exchange(ctx, key, url, controller.signal);
  // Settled after the deadline, its failure has nobody to tell.
  exchanged.catch(() => undefined);
  try {
    const result = await Promise.race([exchanged, deadline]);
    return result === 'timeout' ? timedOut : result;
  } catch {
    // The error's message may quote the URL or a system detail: only what happened is said.
    if (controller.signal.aborted) return timedOut;
    const reason = 'the request failed (network error, DNS or TLS failure, or a redirect)';
    return { answer: { kind: 'failed', reason } as Answer, retryAfter: null };
  } finally {
    clearTimeout(timer);
  }
}

async function exchange(ctx: ProbeContext, key: Credentials, url: string, signal: AbortSignal): Promise<Exchange> {
  const response = await ctx.fetch(url, {
    method: 'GET',
    headers: { Authorization: basic(key), Accept: 'application/json' },
    signal,
    // A redirect would carry the request, and perhaps the Authorization header, to another host.
    redirect: 'error',
  });
  readClock(ctx, response.headers.get('date'));
  const body = parseBody(await readLimited(response, signal));
  const retry = response.headers.get('retry-after');
  if (response.status === 200) {
    const reason = notTwilioJson(response, body);
    if (reason !== undefined) return { answer: { kind: 'failed', reason }, retryAfter: retry };
  }
  const code = ownNumber(body, 'code');
  const answer: Answer = {
    kind: 'answered',
    status: response.status,
    ...(code === undefined ? {} : { code }),
    ...(body === undefined ? {} : { body }),
  };
  return { answer, retryAfter: retry };
}

/** The answer of a request the probe's deadline cut short, or never sent. */
function pastDeadline(ctx: ProbeContext): Answer {
  return { kind: 'failed', reason: `the probe ran out of its ${ctx.deadline} ms deadline` };
}

/**
 * A 200 is Twilio's only when it is its JSON: `application/json` and an object. A captive portal,
 * a proxy's login page or a stub that answers 200 to everything decides nothing.
 */
function notTwilioJson(response: Response, body: Record<string, unknown> | undefined): string | undefined {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' && body !== undefined
    ? undefined
    : 'Twilio answered 200 with something other than its JSON (another content type, or a body that is not a JSON object)';
}

/** `Basic base64(sid:secret)` of the UTF-8 bytes. */
function basic(key: Credentials): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${key.apiKeySid}:${key.apiKeySecret}`))
    binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function readClock(ctx: ProbeContext, date: string | null): void {
  if (ctx.skew !== undefined || date === null) return;
  const twilio = Date.parse(date);
  if (!Number.isNaN(twilio)) ctx.skew = Math.round((twilio - ctx.now()) / 1000);
}

/** `Retry-After` in ms: delay-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function retryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body as text, at most {@link MAX_BODY} bytes; `undefined` past that. */
async function readLimited(response: Response, signal: AbortSignal): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  // At the deadline, stop reading: a body that never ends is not read on in the background.
  signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (signal.aborted) return undefined;
    length += value.length;
    if (length > MAX_BODY) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

function parseBody(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A 200 whose JSON holds what the probe reads: `fields` is asked about the body; when it says no,
 * the answer decides nothing (a "could not decide" finding, never an ok).
 */
export function withFields(answer: Answer, fields: (body: Record<string, unknown>) => boolean): Answer {
  if (answer.kind !== 'answered' || answer.status !== 200) return answer;
  if (answer.body !== undefined && fields(answer.body)) return answer;
  return { kind: 'failed', reason: 'Twilio answered 200 without the fields of its JSON that the probe reads' };
}

/** An own property of Twilio's JSON body: the body is read, never trusted. */
export function ownField(body: Record<string, unknown> | undefined, key: string): unknown {
  return body !== undefined && Object.hasOwn(body, key) ? body[key] : undefined;
}

/** An own number property of Twilio's JSON body: the body is read, never trusted. */
export function ownNumber(body: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = body !== undefined && Object.hasOwn(body, key) ? body[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}
