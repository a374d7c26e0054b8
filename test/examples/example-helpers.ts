import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';

// Small helpers shared by the tests of examples/: the build check, JSON requests, and a client that
// sends a huge body slowly enough to see how much of it a server read before answering.

const root = new URL('../..', import.meta.url).pathname;

/** The examples link this repository's dist/: fail early with the fix when it is missing. */
export function expectBuilt(): void {
  for (const file of ['dist/index.js', 'dist/express.js', 'dist/twilio-functions.cjs']) {
    expect(existsSync(join(root, file)), `${file} is missing: run \`npx tsup\` first`).toBe(true);
  }
}

/** POSTs `body` as JSON. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Logs in to examples/express and returns the session token. */
export async function login(base: string, username: string, password: string): Promise<string> {
  const response = await postJson(`${base}/login`, { username, password });
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return ((await response.json()) as { sessionToken: string }).sessionToken;
}

/** The lines an `npm start` child printed itself: npm's own banner and error lines removed. */
export function ownLines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '' && !/^(npm (error|ERR!|warn)|> )/.test(line));
}

/** What a huge-body request saw: the status, the headers, and how many bytes were accepted. */
export interface HugeBodyResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Bytes the client wrote before the answer came (the socket accepted them). */
  written: number;
  /** Milliseconds until the answer. */
  elapsed: number;
}

/**
 * POSTs a body that announces `declared` bytes (300 MB by default) and writes it in 64 KiB chunks
 * only as fast as the server reads them, until the answer arrives; then stops writing.
 */
export function postHugeBody(
  url: string,
  options: { headers?: Record<string, string>; declared?: number; chunked?: boolean } = {},
): Promise<HugeBodyResult> {
  const declared = options.declared ?? 300 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.chunked ? {} : { 'content-length': String(declared) }),
        ...options.headers,
      },
    });
    const pump = () => {
      while (!answered && written < declared) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    req.on('response', (res) => {
      answered = true;
      const elapsed = performance.now() - started;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (data) => (body += data));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, written, elapsed });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    pump();
  });
}

/** The pid of the `node` process that `npm start` (process group `group`) runs. */
export function serverPid(group: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const pgrp = Number(stat.slice(close + 2).split(' ')[2]);
      if (pgrp === group && comm === 'node') return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no node process in group ${group}`);
}

/** Bytes a process has read through read(2) and friends so far (its sockets included). */
export function bytesRead(pid: number): number {
  const match = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  if (match === null) throw new Error(`no rchar for ${pid}`);
  return Number(match[1]);
}
