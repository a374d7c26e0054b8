import { closeSync, openSync, readSync } from 'node:fs';
import { CREDENTIAL_VARIABLES } from '../token/credentials.js';
import { InputError } from './failure.js';
import { shown } from './show.js';

// The .env file: read with a size limit and parsed here rather than with util.parseEnv, which takes
// `KEY="s3cret` (no closing quote) as the value `"s3cret` and so signs every token wrongly.

/** The largest .env file read: far more than any .env holds, and `--dotenv /dev/zero` stops. */
const MAX_BYTES = 1024 * 1024;

const KNOWN_NAMES: readonly string[] = [
  ...Object.values(CREDENTIAL_VARIABLES).flat(),
  'TWILIO_AUTH_TOKEN',
  'AUTH_TOKEN',
];

/**
 * Reads a .env file: at most 1 MiB.
 *
 * @param path - The file.
 * @param label - How messages name the file (a path typed by the caller is shown only when short).
 * @returns Its variables.
 */
export function readDotenv(path: string, label: string): Record<string, string> {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_BYTES + 1);
      let length = 0;
      for (let n = 1; n > 0 && length <= MAX_BYTES; length += n)
        n = readSync(fd, buffer, length, buffer.length - length, null);
      if (length > MAX_BYTES) throw new InputError(`${label} is over 1 MiB: is it a .env file?`);
      text = buffer.toString('utf8', 0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new InputError(`${label} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  return parseDotenv(text, label);
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const NEXT_ASSIGNMENT = new RegExp(
  `^\\s*(?:export\\s+)?(?:[A-Za-z_][A-Za-z0-9_.-]*\\s*=\\s*["'\`]|(?:${KNOWN_NAMES.join('|')})\\s*=)`,
);

/**
 * Parses .env text as dotenv does: `KEY=value`, `export KEY=value`, `#` comments, values in single,
 * double (with `\n`) or back quotes, which may span lines. Lines without `=` are ignored.
 *
 * @param text - The file's content.
 * @param label - How messages name the file.
 * @returns The variables; a later line wins.
 * @throws {@link InputError} for a quote that is never closed, naming the line, never the value.
 */
export function parseDotenv(text: string, label: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < lines.length; i++) {
    const match = ASSIGNMENT.exec(lines[i] as string);
    if (match === null) continue;
    const key = match[1] as string;
    let value = match[2] as string;
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      let rest = value.slice(1);
      const start = i;
      // A value may span lines (a PEM key); one that runs into another assignment was never closed.
      while (!rest.includes(quote) && i + 1 < lines.length && !NEXT_ASSIGNMENT.test(lines[i + 1] as string))
        rest += `\n${lines[++i]}`;
      const end = rest.indexOf(quote);
      if (end < 0)
        throw new InputError(
          `${label}, line ${start + 1}: the value of ${variable(key)} opens a ${quote} quote that is never closed (Twilio would reject every token signed with it)`,
        );
      value = rest.slice(0, end);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[key] = value;
  }
  return out;
}

/** A variable's name as a message shows it: the names this package reads, or a short one. */
function variable(name: string): string {
  return KNOWN_NAMES.includes(name) ? name : `a variable named ${shown(name)}`;
}
