import type { Diagnosis } from '../inspect/diagnose/diagnose.js';
import type { Finding } from '../inspect/diagnose/finding.js';
import { type ProbeReport, runProbe, SYSTEM_CLOCK } from '../probe/probe.js';
import type { Credentials, EnvironmentVariables } from '../token/credentials.js';
import type { Keyring } from '../token/keyring/core.js';
import { envSigningSource } from '../token/keyring/env.js';
import type { Parsed } from './args.js';
import { UsageError } from './failure.js';
import { tokenArgument } from './inspect.js';
import type { CommandRun, Io } from './io.js';
import { keysFromFile } from './keys.js';
import { pushFromFile } from './push-file.js';
import { escapeControl, safeJson, shown } from './show.js';

// `doctor --online [token|-]`: the offline doctor (when a token is given), then the online probe.
// The only command that uses the network: it asks Twilio with the runtime's own fetch.

/** Prints findings as the doctor does: severity, code, Twilio error and path, then the message. */
export function printFindings(io: Io, findings: readonly Finding<string>[]): void {
  for (const f of findings) {
    // Paths and messages quote what the token holds: its control characters are escaped.
    const twilio = f.twilioError === undefined ? '' : ` (Twilio ${f.twilioError})`;
    const at = f.path === undefined ? '' : ` at ${escapeControl(f.path)}`;
    io.stdout(`${f.severity.padEnd(7)} ${escapeControl(f.code)}${twilio}${at}\n        ${escapeControl(f.message)}\n`);
  }
}

/** "1 error, 2 warnings". */
export function counts(findings: readonly Finding<string>[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  return `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`;
}

/** `doctor --online [token|-]`: exit 0 when the token (if any) and the probe are both ok. */
export async function doctorOnline(
  { parsed, io, env, output }: CommandRun,
  offline: (token: string) => { readonly diagnosis: Diagnosis; print(): void },
): Promise<number> {
  if (parsed.positionals.length > 1) throw new UsageError(`doctor takes one token, got ${parsed.positionals.length}`);
  const token = parsed.positionals.length === 1 ? await tokenArgument(parsed, io) : undefined;
  const source = probeSource(parsed, env);
  const checked = token === undefined ? undefined : offline(token);
  const diagnosis = checked?.diagnosis;
  const file = parsed.values.push;
  const expectPush = typeof file === 'string' ? pushFromFile(file) : undefined;
  const timeout = timeoutFlag(parsed);
  // The runtime's own fetch, with no override: the secret goes only to Twilio's hosts (section 14).
  // Tests point it at a fake Twilio with a preload (test/cli/fixtures/fake-twilio-fetch.mjs).
  const options = {
    fetch: globalThis.fetch,
    ...(timeout === undefined ? {} : { timeout }),
    ...(token === undefined ? {} : { token }),
    ...(expectPush === undefined ? {} : { expectPush }),
  };
  const report = await runProbe(source, options, SYSTEM_CLOCK);
  const ok = report.ok && (diagnosis?.ok ?? true);
  if (output === 'json') {
    io.stdout(
      `${safeJson(diagnosis === undefined ? { online: report } : { offline: diagnosis, online: report }, 2)}\n`,
    );
    return ok ? 0 : 1;
  }
  checked?.print();
  printFindings(io, report.findings);
  for (const push of report.pushCredentials ?? [])
    io.stdout(
      `push    ${escapeControl(push.path)}: ${push.sid} is ${push.type}${push.type === 'apn' ? (push.sandbox ? ' (sandbox)' : ' (production)') : ''}\n`,
    );
  io.stdout(`${summary(report)}\n`);
  return ok ? 0 : 1;
}

/** `--timeout MS`: milliseconds per request, 100 to 60000. */
function timeoutFlag(parsed: Parsed): number | undefined {
  const value = parsed.values.timeout;
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' && /^\d{3,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms >= 100 && ms <= 60_000))
    throw new UsageError(
      `--timeout takes milliseconds per request, a whole number from 100 to 60000 (such as 5000); received ${shown(String(value))}`,
    );
  return ms;
}

function summary(report: ProbeReport): string {
  const clock = report.clockSkewSeconds === undefined ? '' : `; clock ${report.clockSkewSeconds} s off Twilio's`;
  const key = report.region === undefined ? '' : `key in ${report.region.toUpperCase()}`;
  const kind = report.keyType === undefined ? '' : ` (${report.keyType} key)`;
  if (report.findings.length === 0) return `online ok: Twilio accepts the ${key}${kind}${clock}`;
  const found = key === '' ? '' : `; ${key}${kind}`;
  return `online ${report.ok ? 'ok' : 'not ok'}: ${counts(report.findings)}${found}${clock}`;
}

/** The keyring of --keys FILE, else TWILIO_API_KEYS, else the single-key variables. */
function probeSource(parsed: Parsed, env: EnvironmentVariables): Credentials | Keyring {
  const file = parsed.values.keys;
  return typeof file === 'string' ? keysFromFile(file, env) : envSigningSource(env);
}
