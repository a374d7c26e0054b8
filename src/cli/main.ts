import { nodeVersionProblem } from './node-version.js';

// The `twilio-token` (and `twilio-access-token`) executable. It checks the Node.js version before
// it loads the rest: the CLI imports APIs that older releases lack, and a static import of one fails
// at link time with a SyntaxError, before any code of the CLI runs.

const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  import('./process-main.js').then((cli) => cli.main());
} else {
  process.stderr.write(`twilio-token: ${problem}\n`);
  process.exitCode = 1;
}
