import type { Diagnosis } from '../inspect/diagnose/diagnose.js';
import { diagnoseAccessToken } from '../platform/node.js';
import type { EnvironmentVariables } from '../token/credentials.js';
import { counts, doctorOnline, printFindings } from './doctor-online.js';
import { UsageError } from './failure.js';
import { secretVariable, tokenArgument, verifyOptions } from './inspect.js';
import type { CommandRun, Io } from './io.js';
import { safeJson } from './show.js';

// doctor: why Twilio would reject a token.

/**
 * `doctor <token|->`: the findings; exit 0 when ok. The secret comes from the environment when set.
 * With `--online`, the online probe follows (see doctor-online.ts), and the token is optional.
 */
export async function doctor(run: CommandRun): Promise<number> {
  const { parsed, io, env, output } = run;
  const options = verifyOptions(parsed, env);
  const offline = (token: string) => {
    const diagnosis = diagnoseAccessToken(token, options ?? {});
    return { diagnosis, print: () => printDiagnosis(io, diagnosis, signatureNote(options, env)) };
  };
  if (parsed.values.online === true) return doctorOnline(run, offline);
  if (parsed.values.push !== undefined)
    throw new UsageError('--push FILE needs --online: it asks Twilio about each push credential');
  if (parsed.values.timeout !== undefined) throw new UsageError('--timeout is for doctor --online only');
  const { diagnosis, print } = offline(await tokenArgument(parsed, io));
  if (output === 'json') io.stdout(`${safeJson(diagnosis, 2)}\n`);
  else print();
  return diagnosis.ok ? 0 : 1;
}

function signatureNote(options: ReturnType<typeof verifyOptions>, env: EnvironmentVariables): string {
  if (options === undefined) return 'signature not checked: set TWILIO_API_KEY_SECRET or give --keys FILE to check it';
  return 'keyring' in options
    ? 'signature checked with the key of --keys that iss names'
    : `signature checked with ${secretVariable(env)}`;
}

function printDiagnosis(io: Io, diagnosis: Diagnosis, signature: string): void {
  printFindings(io, diagnosis.findings);
  io.stdout(
    diagnosis.findings.length === 0
      ? `ok: nothing Twilio would reject (${signature})\n`
      : `${diagnosis.ok ? 'ok' : 'not ok'}: ${counts(diagnosis.findings)} (${signature})\n`,
  );
}
