import { CREDENTIAL_VARIABLES } from '../token/credentials.js';
import { InputError } from './failure.js';
import { readLimitedFile } from './io.js';
import { shown } from './show.js';

// The .env file: read with a size limit and parsed here rather than with util.parseEnv, which takes
// `KEY="s3cret` (no closing quote) as the value `"s3cret` and so signs every token wrongly.

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
  const text = readLimitedFile(path, label, 'a .env file');
  return parseDotenv(text, label);
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;
const NEXT_ASSIGNMENT = new RegExp(
  `^\\s*(?:export\\s+)?(?:[A-Za-z_][A-Za-z0-9_.-]*\\s*=\\s*["'\`]|(?:${KNOWN_NAMES.join('|')})\\s*=)`,
);

/**
 * Parses .env text as dotenv does: `KEY=value`, `export KEY=value`, `#` comments, values in single,
 * double (with `\n`) or back quotes. A quoted value may span lines (a PEM key) when its closing quote
 * ends a line (only whitespace or a comment after it). Lines without `=` are ignored. One pass over
 * the text: each line is looked at once.
 *
 * @param text - The file's content.
 * @param label - How messages name the file.
 * @returns The variables; a later line wins.
 * @throws {@link InputError} for a quote that is never closed, or a secret or SID that holds a line
 *   break, naming the line, never the value.
 */
export function parseDotenv(text: string, label: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const out: Record<string, string> = Object.create(null);
  for (let i = 0; i < lines.length; i++) {
    const match = ASSIGNMENT.exec(lines[i] ?? '');
    if (match === null) continue;
    const [, key = '', raw = ''] = match;
    const quote = raw[0];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      out[key] = withoutComment(raw);
      continue;
    }
    const start = i;
    const close = raw.indexOf(quote, 1);
    let value: string;
    if (close >= 0) {
      value = raw.slice(1, close);
    } else {
      i = closingLine(lines, i, quote);
      if (i < 0)
        throw new InputError(`${where(label, start, key)} opens a ${quote} quote that is never closed${REJECT}`);
      const last = lines[i] ?? '';
      value = [raw.slice(1), ...lines.slice(start + 1, i), last.slice(0, last.indexOf(quote))].join('\n');
    }
    if (quote === '"') value = value.replace(/\\n/g, '\n');
    if (value.includes('\n') && KNOWN_NAMES.includes(key)) {
      const how = i > start ? `spans lines ${start + 1} to ${i + 1}` : 'holds a \\n line break';
      throw new InputError(`${where(label, start, key)} ${how}; a secret or SID is one line${REJECT}`);
    }
    out[key] = value;
  }
  return out;
}

const REJECT = ' (Twilio would reject every token signed with it)';

/**
 * The line that closes a quoted value opened on line `from`: the first later line holding the quote,
 * when only whitespace or a comment follows it there; -1 when none does or another assignment comes
 * first (a quote inside a comment, `# don't`, closes nothing).
 */
function closingLine(lines: readonly string[], from: number, quote: string): number {
  for (let j = from + 1; j < lines.length; j++) {
    const line = lines[j] ?? '';
    if (NEXT_ASSIGNMENT.test(line)) return -1;
    const at = line.indexOf(quote);
    if (at < 0) continue;
    const after = line.slice(at + 1).trimStart();
    return after === '' || after.startsWith('#') ? j : -1;
  }
  return -1;
}

/** An unquoted value: up to a `#` that follows whitespace, trimmed (found without backtracking). */
function withoutComment(raw: string): string {
  for (let at = raw.indexOf('#'); at >= 0; at = raw.indexOf('#', at + 1))
    if (at > 0 && /\s/.test(raw.charAt(at - 1))) return raw.slice(0, at).trim();
  return raw.trim();
}

/** The start of a message about one value: the file, the line and the variable. */
function where(label: string, line: number, key: string): string {
  return `${label}, line ${line + 1}: the value of ${variable(key)}`;
}

/** A variable's name as a message shows it: the names this package reads, or a short one. */
function variable(name: string): string {
  return KNOWN_NAMES.includes(name) ? name : `a variable named ${shown(name)}`;
}
