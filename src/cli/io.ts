import type { EnvironmentVariables } from '../credentials.js';

/** Where the CLI writes, and what it reads: injectable for tests, the process's own by default. */
export interface Io {
  readonly env: EnvironmentVariables;
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  stdin(): Promise<string>;
}
