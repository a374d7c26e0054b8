import { FINDINGS, type Finding, PROBE_FINDINGS, type ProbeFindingCode } from '../inspect/diagnose/finding.js';

// The probe's findings: the codes of PROBE_FINDINGS and the few offline ones it shares, built the
// one way diagnose builds them (severity and Twilio error from the table).

/** A finding of the online probe. */
export type ProbeFinding = Finding<ProbeFindingCode>;

/** Adds a finding: what was found and where. */
export type AddFinding = (code: ProbeFindingCode, message: string, path?: string) => void;

/** A list of findings and the function that adds to it. */
export function findingList(): { readonly findings: ProbeFinding[]; readonly add: AddFinding } {
  const findings: ProbeFinding[] = [];
  const add: AddFinding = (code, message, path) => {
    const row = Object.hasOwn(PROBE_FINDINGS, code)
      ? PROBE_FINDINGS[code as keyof typeof PROBE_FINDINGS]
      : FINDINGS[code as keyof typeof FINDINGS];
    findings.push({
      severity: row.severity,
      code,
      ...('twilioError' in row ? { twilioError: row.twilioError } : {}),
      message,
      ...(path === undefined ? {} : { path }),
    });
  };
  return { findings, add };
}
