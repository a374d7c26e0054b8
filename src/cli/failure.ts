// The two ways a CLI command fails before or beside the library's own AccessTokenError. Their
// messages are written to show nothing a caller typed beyond what the show.ts rules allow.

/** A usage mistake (unknown command or flag, a missing required flag): exit code 2. */
export class UsageError extends Error {}

/** Input the CLI cannot use (a .env file, standard input): exit code 1. */
export class InputError extends Error {}
