import { ACCESS_TOKEN_ERRORS } from '../base/error-codes.js';
import { describe } from '../base/errors.js';
import { TOKEN_FETCH_ERRORS } from '../client/fetch-error.js';
import { HTTP_ERRORS } from '../handlers/core/http-errors.js';
import { FINDINGS, type FindingInfo, PROBE_FINDINGS } from '../inspect/diagnose/finding.js';
import type { Parsed } from './args.js';
import { CODE_NOTES, type CodeNote } from './code-notes.js';
import { UsageError } from './failure.js';
import type { Io } from './io.js';
import { safeJson, shown } from './show.js';
import { errorPage, TWILIO_ERRORS } from './twilio-errors.js';

// `explain CODE`: a Twilio error number (20104), or a code of this package's four vocabularies
// (ERR_TOKEN_EXPIRED, ERR_RATE_LIMITED, TOKEN_EXPIRED, ERR_HTTP_STATUS), with cause and fix. An
// unknown code is described, never echoed: it may be a secret pasted into the wrong command.

/** Whether `code` is a key of the table, own: the lookup then needs no cast. */
function has<T extends object>(table: T, code: PropertyKey): code is keyof T {
  return Object.hasOwn(table, code);
}

/** Where a code of this package is used, one line each. */
function vocabularies(code: string): string[] {
  const where: string[] = [];
  if (has(ACCESS_TOKEN_ERRORS, code)) where.push(`AccessTokenError code: ${ACCESS_TOKEN_ERRORS[code]}`);
  if (has(HTTP_ERRORS, code))
    where.push(`token endpoint error: HTTP ${HTTP_ERRORS[code]}, {"error":{"code":"${code}"}}`);
  const finding: FindingInfo | undefined = has(FINDINGS, code)
    ? FINDINGS[code]
    : has(PROBE_FINDINGS, code)
      ? PROBE_FINDINGS[code]
      : undefined;
  if (finding !== undefined) {
    const twilio = finding.twilioError === undefined ? '' : `, Twilio error ${finding.twilioError}`;
    const by = has(PROBE_FINDINGS, code) ? 'doctor --online (probeCredentials)' : 'doctor (diagnoseAccessToken)';
    where.push(`finding of ${by}: ${finding.severity}${twilio}`);
  }
  if (has(TOKEN_FETCH_ERRORS, code))
    where.push(`TokenFetchError code of twilio-access-token/client: ${TOKEN_FETCH_ERRORS[code]}`);
  return where;
}

/** `explain <code|->`: exit 0 for a known code, 1 for an unknown one, 2 for none. */
export async function explain(parsed: Parsed, io: Io, output: string): Promise<number> {
  const [given, ...extra] = parsed.positionals;
  if (given === undefined || extra.length > 0)
    throw new UsageError(
      'explain takes one code: a Twilio error code such as 20104, or one of this package such as ERR_TOKEN_EXPIRED',
    );
  const typed = (given === '-' ? await io.stdin() : given).trim();
  if (typed === '')
    throw new UsageError(
      `no code given: ${given === '-' ? 'standard input was empty' : 'the argument is empty'} (such as 20104 or ERR_TOKEN_EXPIRED)`,
    );
  const number = Number(typed);
  const info = /^\d{5}$/.test(typed) && has(TWILIO_ERRORS, number) ? TWILIO_ERRORS[number] : undefined;
  if (info !== undefined) return twilioError(number, info, { io, output });
  const code = typed.toUpperCase();
  if (/^[A-Z0-9_]{1,40}$/.test(code) && has(CODE_NOTES, code)) {
    const note: CodeNote = CODE_NOTES[code];
    const where = vocabularies(code);
    if (output === 'json') io.stdout(`${safeJson({ code, where, ...note }, 2)}\n`);
    else io.stdout(`${code}\n${where.map((w) => `  ${w}\n`).join('')}\nCause: ${note.cause}\nFix: ${note.fix}\n`);
    return 0;
  }
  // A number may be shown (it is no secret); anything else only by its type and length.
  const what = /^\d{1,8}$/.test(typed) ? shown(typed) : describe(typed);
  const page = errorPage(/^\d{1,8}$/.test(typed) ? typed : '<code>');
  io.stderr(
    `twilio-token: no notes on ${what}; see ${page}. Known: the Twilio error codes ${Object.keys(TWILIO_ERRORS).join(', ')}, and this package's codes (ERR_..., findings such as TOKEN_EXPIRED; 'twilio-token explain --help')\n`,
  );
  return 1;
}

function twilioError(
  code: number,
  info: (typeof TWILIO_ERRORS)[number],
  { io, output }: { io: Io; output: string },
): number {
  if (output === 'json') {
    io.stdout(`${safeJson({ code, ...info, url: errorPage(code) }, 2)}\n`);
    return 0;
  }
  const list = (items: readonly string[]) => items.map((item) => `  - ${item}\n`).join('');
  io.stdout(
    `${code}: ${info.title}\n\nCauses:\n${list(info.causes)}\nFixes:\n${list(info.fixes)}\nMore: ${errorPage(code)}\n`,
  );
  return 0;
}
