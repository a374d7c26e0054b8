// How the CLI shows what a caller typed and what a token holds. A typed value may be a secret put in
// the wrong place, so only short ones are shown; a token may hold terminal control sequences, so
// they are escaped.

/** The longest caller-supplied string shown as it is. */
const MAX_SHOWN = 8;
/** The longest unknown name shown, and only when it is close to a known one. */
const MAX_NAMED = 24;
/** The farthest edit distance at which an unknown name gets a suggestion. */
const MAX_DISTANCE = 3;

// C0 (tab and newline included: a token must not start a line of its own), DEL, C1, the Arabic
// letter mark, LRM/RLM, the line and paragraph separators, and the bidi embeddings, overrides and
// isolates, which can make printed text read differently from what it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to escape
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// The same without C0, which JSON.stringify escapes already (and whose newlines indent its output).
const CONTROL_AFTER_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Escapes control and bidi characters as `\uXXXX`, so printed text cannot move the cursor, clear
 * the screen or reorder what the terminal shows.
 *
 * @param text - Text that may come from a token or a caller.
 * @returns The text with every such character escaped.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/**
 * `JSON.stringify` with the characters it leaves alone (DEL, C1, bidi controls, U+2028/9) escaped
 * too; the result parses to the same value.
 *
 * @param value - What to print.
 * @param indent - Spaces of indentation; none by default.
 * @returns JSON text safe to print on a terminal.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(CONTROL_AFTER_JSON, escapeOne);
}

/**
 * A caller-supplied string as a message shows it: quoted when at most 8 characters long; else
 * described by its length, and in a SID position by its first two characters when they are
 * upper-case letters.
 *
 * @param value - What the caller typed.
 * @param sid - Whether the position holds a SID.
 * @returns `"us1"`, or `a string of 34 characters starting with "AC"`.
 */
export function shown(value: string, sid = false): string {
  if (value.length <= MAX_SHOWN) return escapeControl(JSON.stringify(value));
  const start = sid && /^[A-Z]{2}/.test(value) ? ` starting with "${value.slice(0, 2)}"` : '';
  return `a string of ${value.length} characters${start}`;
}

/**
 * How messages name a path the caller typed: quoted when at most 8 characters long, else by its
 * length (a secret typed where the path belongs is never shown).
 *
 * @param flag - The flag, such as `--keys`.
 * @param path - The path typed.
 * @returns `--keys "k.json"` or `--keys (a path of 40 characters)`.
 */
export function pathLabel(flag: string, path: string): string {
  return `${flag} ${path.length <= 8 ? shown(path) : `(a path of ${path.length} characters)`}`;
}

/**
 * Names an unknown option or command only when it cannot be a secret typed in the wrong place: at
 * most 8 characters, or at most 24 and close to a known name (edit distance 3, or one starts with
 * the other). Otherwise it is described by its length.
 *
 * @param typed - The unknown name, without leading dashes.
 * @param among - `kind`: `option` or `command`; `known`: the names it could have meant; `dashes`:
 *   what precedes a name when printed (`--` for long options).
 * @returns `unknown option "--room" (did you mean "--room-name"?)`.
 */
export function unknownName(
  typed: string,
  { kind, known, dashes = '' }: { readonly kind: string; readonly known: readonly string[]; readonly dashes?: string },
): string {
  const suggestion = closest(typed, known);
  if (typed.length > MAX_SHOWN && (typed.length > MAX_NAMED || suggestion === undefined))
    return `unknown ${kind} (a name of ${typed.length} characters)`;
  const hint = suggestion === undefined ? '' : ` (did you mean "${dashes}${suggestion}"?)`;
  return `unknown ${kind} ${escapeControl(JSON.stringify(dashes + typed))}${hint}`;
}

/** The known name nearest to `typed`, when one is close enough to be a likely typo. */
function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const n = name.toLowerCase();
    const prefix = t.length >= 3 && (n.startsWith(t) || t.startsWith(n));
    const d = prefix ? 0.5 : distance(t, n);
    // A one- or two-letter name is near everything; only suggest what keeps part of what was typed.
    if (d < bestDistance && (prefix || (d <= MAX_DISTANCE && d < t.length))) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance; the strings compared are at most a few dozen characters. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      // Every index read is inside its row: `?? 0` is only for the type checker.
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
