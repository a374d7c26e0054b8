import { closeSync, openSync, readSync } from 'node:fs';
import type { EnvironmentVariables } from '../token/credentials.js';
import type { Parsed } from './args.js';
import { InputError } from './failure.js';

/** Where the CLI writes, and what it reads: injectable for tests, the process's own by default. */
export interface Io {
  readonly env: EnvironmentVariables;
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input as text, at most {@link MAX_STDIN} bytes. */
  stdin(): Promise<string>;
}

/**
 * One run of a command that reads the environment: its arguments, the streams, the variables
 * (`.env` merged under the process's own) and the output format.
 */
export interface CommandRun {
  readonly parsed: Parsed;
  readonly io: Io;
  readonly env: EnvironmentVariables;
  readonly output: 'text' | 'json';
}

/** The most standard input read: a token longer than 64 KiB is refused anyway. */
export const MAX_STDIN = 64 * 1024;

/**
 * Reads a stream to its end, or stops as soon as it passes `limit` bytes (`yes | twilio-token
 * decode -` ends at once instead of filling memory).
 *
 * @param stream - Standard input, or any stream of bytes.
 * @param limit - The most bytes read.
 * @returns The bytes as UTF-8 text.
 * @throws {@link InputError} past the limit; the stream is destroyed.
 */
export async function readLimited(stream: AsyncIterable<Uint8Array | string>, limit = MAX_STDIN): Promise<string> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  // Leaving the loop early destroys the stream (the async iterator's return()).
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    length += bytes.length;
    if (length > limit)
      throw new InputError(`standard input is over ${limit / 1024} KiB; a token is at most 64 KiB: stopped reading`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The largest file the CLI reads (a .env or a --keys file): far more than either holds, and `/dev/zero` stops. */
export const MAX_FILE = 1024 * 1024;

/**
 * Reads a text file: at most 1 MiB.
 *
 * @param path - The file.
 * @param label - How messages name the file (a path typed by the caller is shown only when short).
 * @param kind - What the file should be, for the message about a file that is too large.
 * @returns Its text.
 * @throws {@link InputError} for a file over 1 MiB or one that cannot be read, naming the system's
 *   error code, never the content.
 */
export function readLimitedFile(path: string, label: string, kind: string): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_FILE + 1);
      let length = 0;
      for (let n = 1; n > 0 && length <= MAX_FILE; length += n)
        n = readSync(fd, buffer, length, buffer.length - length, null);
      if (length > MAX_FILE) throw new InputError(`${label} is over 1 MiB: is it ${kind}?`);
      return buffer.toString('utf8', 0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    throw new InputError(`${label} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}
