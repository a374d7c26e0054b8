import { type Io, readLimited } from './io.js';
import { run } from './run.js';
import { escapeControl } from './show.js';

// The CLI on the real process: its environment, streams and warnings.

const processIo: Io = {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => readLimited(process.stdin),
};

/** One stderr line per process warning, instead of Node's several lines and `--trace-warnings` hint. */
function printWarning(warning: Error & { code?: unknown }): void {
  const code = typeof warning.code === 'string' ? ` ${warning.code}` : '';
  process.stderr.write(`twilio-token: warning${escapeControl(code)}: ${escapeControl(warning.message)}\n`);
}

/** Runs the CLI with `process.argv` and sets the exit code. */
export function main(): void {
  // Node's own listener prints a warning on several lines; a library warning (an Auth Token used as
  // the API Key secret) is one line here.
  process.removeAllListeners('warning');
  // `node --no-warnings` (or NODE_OPTIONS) silences them, as it does Node's own printing.
  if ((process as { noProcessWarnings?: boolean }).noProcessWarnings !== true) process.on('warning', printWarning);
  run(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}
