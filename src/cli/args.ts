import { parseArgs } from 'node:util';

// The CLI's commands and flags, parsed with node:util parseArgs (no framework). Flag names follow
// the `twilio token:*` CLI plugin.

/** A usage mistake: exit code 2. */
export class UsageError extends Error {}

/** The commands, aliases resolved. */
export type Command = 'video' | 'voice' | 'chat' | 'sync' | 'mint' | 'decode' | 'verify' | 'doctor' | 'explain';

const COMMON = {
  identity: { type: 'string' },
  ttl: { type: 'string' },
  region: { type: 'string' },
  'env-file': { type: 'string' },
  output: { type: 'string', short: 'o' },
  demo: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const GRANT_FLAGS = {
  video: { 'room-name': { type: 'string' } },
  voice: {
    'voice-app-sid': { type: 'string' },
    'allow-incoming': { type: 'boolean' },
    'push-credential-sid': { type: 'string' },
  },
  chat: { 'chat-service-sid': { type: 'string' }, 'push-credential-sid': { type: 'string' } },
  sync: { 'sync-service-sid': { type: 'string' } },
  mint: {
    video: { type: 'boolean' },
    'room-name': { type: 'string' },
    'voice-app-sid': { type: 'string' },
    'allow-incoming': { type: 'boolean' },
    'push-credential-sid': { type: 'string' },
    'chat-service-sid': { type: 'string' },
    sync: { type: 'boolean' },
    'sync-service-sid': { type: 'string' },
  },
} as const;

const INSPECT = {
  'env-file': COMMON['env-file'],
  output: COMMON.output,
  help: COMMON.help,
  version: COMMON.version,
} as const;

const ALIASES: Record<string, Command> = { conversations: 'chat' };
const COMMANDS = ['video', 'voice', 'chat', 'conversations', 'sync', 'mint', 'decode', 'verify', 'doctor', 'explain'];
const INSPECTING: readonly string[] = ['decode', 'verify', 'doctor', 'explain'];

/** What the command line asked for. */
export interface Parsed {
  readonly command: Command | 'help' | 'version';
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** Parses argv (without node and the script). */
export function parse(argv: readonly string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { command: 'help', values: {}, positionals: rest };
  if (first === '--version' || first === '-v') return { command: 'version', values: {}, positionals: [] };
  if (!COMMANDS.includes(first)) throw new UsageError(`unknown command '${first}'. Commands: ${COMMANDS.join(', ')}`);
  const command = ALIASES[first] ?? (first as Command);
  const options = INSPECTING.includes(command)
    ? INSPECT
    : { ...COMMON, ...GRANT_FLAGS[command as keyof typeof GRANT_FLAGS] };
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options,
      strict: true,
      allowPositionals: INSPECTING.includes(command),
    });
    return { command, values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')} (see 'twilio-token ${first} --help')`,
    );
  }
}

/** Help text for the tool or one command. */
export function help(command?: string): string {
  const common = `Common flags:
  --ttl N            lifetime in seconds, 1 to 86400 (default 3600)
  --region REGION    Twilio region, such as us1, ie1 or au1
  --env-file PATH    read credentials from this file (default: ./.env when present)
  -o, --output FMT   text (the token only, default) or json ({ token, identity, ttl, expiresAt })
  --demo             sign with fixed fake credentials (Twilio rejects the token)
  -h, --help         this help
  --version          the version of twilio-token

Credentials come from TWILIO_ACCOUNT_SID (or ACCOUNT_SID), TWILIO_API_KEY_SID (or TWILIO_API_KEY,
API_KEY_SID, API_KEY) and TWILIO_API_KEY_SECRET (or TWILIO_API_SECRET, API_KEY_SECRET, API_SECRET).`;
  switch (ALIASES[command ?? ''] ?? command) {
    case 'video':
      return `Usage: twilio-token video --identity ID [--room-name NAME]\n\nMints a token with a Programmable Video grant, optionally for one room.\n\n${common}`;
    case 'voice':
      return `Usage: twilio-token voice --identity ID --voice-app-sid AP... [--allow-incoming] [--push-credential-sid CR...]\n\nMints a token with a Voice grant: outgoing calls through a TwiML App and/or incoming calls\n(--allow-incoming alone is enough for a receive-only device).\n\n${common}`;
    case 'chat':
      return `Usage: twilio-token chat --identity ID --chat-service-sid IS... [--push-credential-sid CR...]\n       twilio-token conversations ... (the same)\n\nMints a token with a Conversations/Chat grant.\n\n${common}`;
    case 'sync':
      return `Usage: twilio-token sync --identity ID [--sync-service-sid IS...]\n\nMints a token with a Sync grant.\n\n${common}`;
    case 'mint':
      return `Usage: twilio-token mint --identity ID [--video] [--room-name NAME] [--voice-app-sid AP...] [--allow-incoming]
                        [--push-credential-sid CR...] [--chat-service-sid IS...] [--sync] [--sync-service-sid IS...]

Mints one token with several grants: video (--video or --room-name), voice (--voice-app-sid and/or
--allow-incoming; --push-credential-sid goes to voice), chat (--chat-service-sid) and sync (--sync or
--sync-service-sid).

${common}`;
    case 'decode':
      return `Usage: twilio-token decode <token|->\n\nPrints the header and payload as JSON, WITHOUT checking the signature; says on stderr when the\ntoken expires. '-' reads the token from standard input.`;
    case 'doctor':
      return `Usage: twilio-token doctor <token|-> [-o json] [--env-file PATH]\n\nSays why Twilio would reject the token: each finding with its Twilio error code and what to change.\nThe signature is checked too when the API Key secret is in the environment. Exit 0 when nothing is an\nerror, 1 otherwise. Prefer '-' (standard input): a token on the command line lands in shell history.`;
    case 'explain':
      return `Usage: twilio-token explain <code>\n\nPrints the causes and fixes of a Twilio error code an Access Token can cause (20101, 20104, 31204,\n53200...). An unknown code exits 1 and points to Twilio's error page.`;
    case 'verify':
      return `Usage: twilio-token verify <token|-> [--env-file PATH]\n\nChecks the algorithm, the signature (with the API Key secret from the environment), exp and nbf,\nand says which check failed. Prints the payload as JSON on success. '-' reads standard input.`;
    default:
      return `twilio-token: mint, decode and verify Twilio Access Tokens.

Usage:
  twilio-token video  --identity ID [--room-name NAME]
  twilio-token voice  --identity ID --voice-app-sid AP... [--allow-incoming] [--push-credential-sid CR...]
  twilio-token chat   --identity ID --chat-service-sid IS...     (alias: conversations)
  twilio-token sync   --identity ID [--sync-service-sid IS...]
  twilio-token mint   --identity ID [--video] [--room-name NAME] [--voice-app-sid AP...] [--chat-service-sid IS...] ...
  twilio-token decode <token|->
  twilio-token verify <token|->
  twilio-token doctor <token|->      why Twilio would reject a token
  twilio-token explain <code>        causes and fixes of a Twilio error code
  twilio-token --version

'twilio-token COMMAND --help' shows a command's flags.

${common}`;
  }
}
