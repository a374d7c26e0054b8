// The Node.js check the CLI runs before it loads anything else. Kept free of imports and of syntax
// newer than Node 14, so an old Node reads this far and prints one line instead of a SyntaxError.

/** The oldest Node.js release the CLI runs on. */
export const MINIMUM_NODE = '20.16.0';

/**
 * Says why the running Node.js cannot run the CLI, or nothing when it can.
 *
 * @param version - `process.versions.node`, such as `18.20.4`.
 * @returns A one-line reason, or `undefined` when `version` is at least {@link MINIMUM_NODE}.
 */
export function nodeVersionProblem(version: unknown): string | undefined {
  const parts = typeof version === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  const need = MINIMUM_NODE.split('.').map(Number);
  const reason = `needs Node.js >= ${MINIMUM_NODE}`;
  if (parts === null) return `${reason}; could not read this runtime's version`;
  for (let i = 0; i < 3; i++) {
    const have = Number(parts[i + 1]);
    const want = need[i] ?? 0;
    if (have > want) return undefined;
    if (have < want) return `${reason}, this is Node.js ${parts[0]}: upgrade Node.js (https://nodejs.org)`;
  }
  return undefined;
}
