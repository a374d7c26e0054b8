import { CLI_PRODUCTS } from '../grants/products.js';
import type { CliSpec } from '../grants/spec.js';
import { ALIASES, commandName } from './args.js';
import { askedBy, flagFields, flagUsage, triggers, usageOf } from './grant-flags.js';

// The help texts: `twilio-token --help` and `twilio-token COMMAND --help`.

/** The flags every minting command takes, and where credentials come from. */
const COMMON = `Common flags:
  --ttl N            lifetime in seconds, 1 to 86400 (default 3600)
  --nbf SECONDS      not valid before this time, epoch seconds
  --region REGION    Twilio region, such as us1, ie1 or au1 (the API Key's region)
  --algorithm ALG    HS256 (default, what Twilio documents), HS384 or HS512
  --dotenv PATH      read credentials from this file (default: ./.env when present)
  --keys FILE        sign with the signing key of this keyring (the JSON of TWILIO_API_KEYS)
  -o, --output FMT   text (the token only, default) or json ({ token, identity, ttl, expiresAt })
  --demo             sign with fixed fake credentials (Twilio rejects the token)
  -h, --help         this help
  --version          the version of twilio-token

Without installing: npx twilio-access-token COMMAND ... (the same CLI, under the package's name;
both twilio-token and twilio-access-token are installed).

Credentials come from --keys FILE, else the keyring of TWILIO_API_KEYS (its signing key now, as the
JavaScript default), else TWILIO_ACCOUNT_SID (or ACCOUNT_SID), TWILIO_API_KEY_SID (or TWILIO_API_KEY,
API_KEY_SID, API_KEY) and TWILIO_API_KEY_SECRET (or TWILIO_API_SECRET, API_KEY_SECRET, API_SECRET).`;

/** The --keys flag of verify and doctor. */
const KEYS_FILE = `--keys FILE: a JSON file holding what TWILIO_API_KEYS holds, [{"sid", "secret", "signFrom"?}]
(at most 1 MiB); the Account SID comes from TWILIO_ACCOUNT_SID (or ACCOUNT_SID). Errors name the
file only when its path is at most 8 characters long, and never show its content.`;

/** The products with a command of their own, in the tables' order. */
const MINTING = CLI_PRODUCTS.filter((spec): spec is CliSpec & { command: string } => spec.command !== undefined);

/** A product command's usage, flags and rules, from its table. */
function productHelp(spec: CliSpec & { command: string }): string {
  const fields = flagFields(spec, spec.command);
  const aliases = [...ALIASES].filter(([, to]) => to === spec.command).map(([alias]) => alias);
  const some = spec.some?.options.flatMap((option) => fields.filter((f) => f.option === option)) ?? [];
  const rules = [
    `Mints a token with a ${spec.name} grant.`,
    ...(some.length > 1 ? [`At least one of ${some.map((f) => `--${f.flag}`).join(' and ')}.`] : []),
    ...fields.flatMap((f) => [
      ...(f.widens === undefined ? [] : [`Without --${f.flag} the grant allows ${f.widens}.`]),
      ...(f.kind === 'true' ? [`--${f.flag} also takes =true or =false (which leaves it off).`] : []),
    ]),
  ];
  return [
    wrap([`Usage: twilio-token ${spec.command} --identity ID`, ...fields.map(usageOf)], 7),
    ...aliases.map((alias) => `       twilio-token ${alias} ... (the same)`),
    '',
    rules.join('\n'),
    '',
    COMMON,
  ].join('\n');
}

/** Words joined into lines of at most 100 characters, each after the first indented by `indent`. */
function wrap(words: readonly string[], indent: number): string {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= 100 - (last === 0 ? 0 : indent)) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** mint's usage: every product's switch and the fields' flags mint takes. */
function mintHelp(): string {
  const flags = MINTING.flatMap((spec) => [
    ...(spec.mintFlag === undefined ? [] : [`[--${spec.mintFlag}]`]),
    ...flagFields(spec, 'mint').map((f) => `[${flagUsage(f)}]`),
  ]);
  const asks = MINTING.map((spec) => `${spec.command} (${askedBy(spec)})`);
  const what = `Mints one token with several grants: ${asks.slice(0, -1).join(', ')} and ${asks.at(-1)}. The other flags go to the grant that has them.`;
  return [
    wrap(['Usage: twilio-token mint --identity ID', ...flags], 24),
    '',
    wrap(what.split(' '), 0),
    '',
    COMMON,
  ].join('\n');
}

/** Each command's help, by command name. */
const COMMANDS: ReadonlyMap<string, string> = new Map([
  ...MINTING.map((spec) => [spec.command, productHelp(spec)] as const),
  ['mint', mintHelp()],
  [
    'decode',
    `Usage: twilio-token decode <token|->\n\nPrints the header and payload as JSON, WITHOUT checking the signature; says on stderr when the\ntoken expires. Prefer '-' (standard input): a token on the command line lands in shell history.`,
  ],
  [
    'doctor',
    `Usage: twilio-token doctor <token|-> [-o json] [--dotenv PATH] [--keys FILE]\n       twilio-token doctor --online [token|-] [-o json] [--dotenv PATH] [--keys FILE] [--timeout MS] [--push FILE]\n\nSays why Twilio would reject the token: each finding with its Twilio error code and what to change.\nThe signature is checked too when the API Key secret is in the environment, or with the key the\ntoken's iss names from --keys FILE (then also: a key the file lacks, a key past its retireAt, another\naccount). Exit 0 when nothing is an error, 1 otherwise. Prefer '-' (standard input): a token on the\ncommand line lands in shell history.\n\n--online then asks Twilio (the only command that uses the network): whether the API Key and its\nsecret authenticate, in which Region, whether it is a Main, Standard or Restricted key, how far this\nclock is off, and, with a token, whether its region matches the key's and every SID its grants name\nexists. The key comes from --keys FILE, TWILIO_API_KEYS or the single-key variables; requests go\nonly to Twilio's API hosts. --timeout MS bounds each request (default 5000 ms); the whole probe ends\nwithin 30 s, and a request without an answer by then is reported as 'could not decide'. -o json prints\n{"offline": Diagnosis, "online": ProbeReport}.\n\n--push FILE (with --online): a JSON file of an app's push credentials, {"ios": "CR..." or\n{"production": "CR...", "sandbox": "CR..."}, "android": "CR..."}; each is fetched from Twilio, and one of\nthe wrong kind for its place (APNs under android, FCM under ios, sandbox under production) is an\nerror at its path (push.ios.production).\n\n${KEYS_FILE}`,
  ],
  [
    'explain',
    `Usage: twilio-token explain <code|->\n\nPrints the causes and fixes of a Twilio error code an Access Token can cause (20101, 20104, 31204,\n53200...), or of a code of this package: an AccessTokenError code (ERR_TOKEN_EXPIRED), a token\nendpoint's HTTP error code (ERR_RATE_LIMITED), a finding of doctor (TOKEN_EXPIRED, MAIN_KEY) or a\nTokenFetchError code of /client (ERR_HTTP_STATUS), in any case. An unknown code exits 1 (and is\ndescribed, not echoed); no code exits 2. '-' reads it from standard input.`,
  ],
  [
    'keys',
    `Usage: twilio-token keys [-o json] [--dotenv PATH]\n\nLists the keyring from TWILIO_API_KEYS (else the single-key variables), one line per key: its SID,\nits role now (pending, signing or verifying), when it signs from (signFrom) and when it may be\ndeleted in Twilio (retireAt), in ISO 8601 UTC. -o json prints the same as JSON. Never a secret.\n\nTWILIO_API_KEYS is a JSON array of {"sid", "secret", "signFrom"?} (signFrom: ISO 8601 or epoch\nseconds); the Account SID comes from TWILIO_ACCOUNT_SID (or ACCOUNT_SID).`,
  ],
  [
    'init',
    `Usage: twilio-token init <platform> [--force]\n\nWrites a token endpoint into the current folder, laid out as the platform's projects are, with a\n.env.example naming the variables it reads and a test (\`node --test token.node-test.mjs\`) that mints\nand verifies a token with fake credentials. Its identify refuses everyone (401) until you fill in\nthe TODO. Writes nothing when one of its files exists, unless --force. Offline: installs nothing.\n\nPlatforms: functions (functions/token.js), express (server.mjs), next (app/api/token/route.ts, or\nsrc/app/... beside an src/app), workers (src/token.ts; src/index.ts and wrangler.toml unless the\nproject has its own), lambda (handler.mjs, invoke.mjs to call it locally), hono (src/token.ts;\nsrc/index.ts on Node unless the project has one).`,
  ],
  [
    'verify',
    `Usage: twilio-token verify <token|-> [--dotenv PATH] [--keys FILE]\n\nChecks the algorithm, the signature (with the API Key secret from the environment, or the key the\ntoken's iss names from --keys FILE: ERR_UNKNOWN_KEY when the file lacks it or sub is another\naccount), exp and nbf, and says which check failed. Prints the payload as JSON on success. '-' reads\nstandard input.\n\n${KEYS_FILE}`,
  ],
]);

/** A product command in the overview: the flags that ask for its grant. */
function overviewLine(spec: CliSpec & { command: string }): string {
  const aliases = [...ALIASES].filter(([, to]) => to === spec.command).map(([alias]) => alias);
  const asked = flagFields(spec, spec.command).filter((f) => triggers(spec).includes(f));
  return [
    `  twilio-token ${spec.command.padEnd(6)} --identity ID`,
    ...asked.map(usageOf),
    ...(spec.some === undefined ? [] : ['(at least one)']),
    ...(aliases.length === 0 ? [] : [`(alias: ${aliases.join(', ')})`]),
  ].join(' ');
}

/** The tool's help: every command in one line each. */
const OVERVIEW = `twilio-token: mint, decode and verify Twilio Access Tokens.

Usage:
${MINTING.map(overviewLine).join('\n')}
  twilio-token mint   --identity ID GRANT FLAGS...   several grants in one token
  twilio-token decode <token|->          ('-': the token from standard input)
  twilio-token verify <token|-> [--keys FILE]
  twilio-token doctor <token|->      why Twilio would reject a token
  twilio-token doctor --online [token|-]   ask Twilio: the key, its Region, the SIDs the token names
  twilio-token explain <code>        causes and fixes of a Twilio or package error code
  twilio-token keys                  the keyring of TWILIO_API_KEYS: roles, signFrom, retireAt
  twilio-token init <platform>       write a token endpoint: functions, express, next, workers, lambda, hono
  twilio-token --version

'twilio-token COMMAND --help' shows a command's flags.

${COMMON}`;

/** Help text for the tool or one command. */
export function help(command?: string): string {
  return COMMANDS.get(commandName(command) ?? '') ?? OVERVIEW;
}
