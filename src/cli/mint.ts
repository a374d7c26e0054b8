import { isoSeconds } from '../base/time.js';
import { createAccessToken } from '../bindings/node.js';
import { chatGrant } from '../grants/chat.js';
import type { Grant } from '../grants/index.js';
import { syncGrant } from '../grants/sync.js';
import { taskRouterGrant } from '../grants/task-router.js';
import { videoGrant } from '../grants/video.js';
import { voiceGrant } from '../grants/voice.js';
import { decodeAccessToken } from '../inspect/decode.js';
import { type Credentials, credentialsFromEnv, type EnvironmentVariables } from '../token/credentials.js';
import type { Parsed } from './args.js';
import { UsageError } from './failure.js';
import type { Io } from './io.js';

// The minting commands: video, voice, chat, sync and mint.

/** Clearly fake credentials for --demo: well formed, so the token decodes; Twilio rejects it. */
const DEMO: Credentials = {
  accountSid: `AC${'0'.repeat(32)}`,
  apiKeySid: `SK${'0'.repeat(32)}`,
  apiKeySecret: 'demo-secret-not-a-real-api-key!!',
};

function required(values: Parsed['values'], flag: string, command: string): string {
  const value = values[flag];
  if (typeof value !== 'string')
    throw new UsageError(`${command} needs --${flag} (see 'twilio-token ${command} --help')`);
  return value;
}

function grantsFor(parsed: Parsed): Grant[] {
  const v = parsed.values;
  const str = (flag: string) => (typeof v[flag] === 'string' ? (v[flag] as string) : undefined);
  // Only flags that were given become options: an absent flag is an absent key, never `undefined`.
  const given = (entries: Record<string, string | true | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  const endpoint = { endpointId: str('endpoint-id') };
  const video = () => videoGrant(given({ room: str('room-name') }));
  const voice = () =>
    voiceGrant(
      given({
        outgoingApplicationSid: str('voice-app-sid'),
        incomingAllow: v['allow-incoming'] === true ? true : undefined,
        pushCredentialSid: str('push-credential-sid'),
        ...endpoint,
      }),
    );
  const sync = () => syncGrant(given({ serviceSid: str('sync-service-sid'), ...endpoint }));
  const taskRouter = (command: string) =>
    taskRouterGrant({
      workspaceSid: required(v, 'workspace-sid', command),
      workerSid: required(v, 'worker-sid', command),
      ...given({ role: str('role') }),
    });
  switch (parsed.command) {
    case 'video':
      return [video()];
    case 'voice':
      if (str('voice-app-sid') === undefined && v['allow-incoming'] !== true)
        throw new UsageError("voice needs --voice-app-sid, --allow-incoming or both (see 'twilio-token voice --help')");
      return [voice()];
    case 'chat':
      return [
        chatGrant({
          serviceSid: required(v, 'chat-service-sid', 'chat'),
          ...given({ pushCredentialSid: str('push-credential-sid'), ...endpoint }),
        }),
      ];
    case 'sync':
      return [sync()];
    case 'taskrouter':
      return [taskRouter('taskrouter')];
    default: {
      const grants: Grant[] = [];
      if (v.video === true || str('room-name') !== undefined) grants.push(video());
      if (str('voice-app-sid') !== undefined || v['allow-incoming'] === true) grants.push(voice());
      else if (str('push-credential-sid') !== undefined)
        throw new UsageError('--push-credential-sid needs a voice grant: add --voice-app-sid or --allow-incoming');
      if (str('chat-service-sid') !== undefined)
        grants.push(chatGrant({ serviceSid: str('chat-service-sid') as string }));
      if (v.sync === true || str('sync-service-sid') !== undefined) grants.push(sync());
      if (str('workspace-sid') !== undefined || str('worker-sid') !== undefined) grants.push(taskRouter('mint'));
      else if (str('role') !== undefined) throw new UsageError('--role needs --workspace-sid and --worker-sid');
      if (grants.length === 0)
        throw new UsageError(
          "mint needs at least one grant flag: --video, --room-name, --voice-app-sid, --allow-incoming, --chat-service-sid, --sync, --workspace-sid (see 'twilio-token mint --help')",
        );
      return grants;
    }
  }
}

/** Runs a minting command; returns the exit code. */
export function mint(parsed: Parsed, io: Io, env: EnvironmentVariables, output: string): number {
  const v = parsed.values;
  const identity = typeof v.identity === 'string' ? v.identity : undefined;
  if (identity === undefined)
    throw new UsageError(`${parsed.command} needs --identity (see 'twilio-token ${parsed.command} --help')`);
  const grants = grantsFor(parsed);
  const ttl = typeof v.ttl === 'string' ? numberOrText(v.ttl) : undefined;
  const nbf = typeof v.nbf === 'string' ? numberOrText(v.nbf) : undefined;
  const credentials = v.demo === true ? DEMO : credentialsFromEnv(env);
  const token = createAccessToken(identity, grants, {
    credentials,
    ...(ttl === undefined ? {} : { ttl: ttl as number }),
    ...(nbf === undefined ? {} : { nbf: nbf as number }),
    ...(typeof v.region === 'string' ? { region: v.region } : {}),
    ...(typeof v.algorithm === 'string' ? { algorithm: v.algorithm as 'HS256' } : {}),
  });
  if (output === 'json') {
    const { exp, iat } = decodeAccessToken(token).payload;
    // Minted just above, so iat is set.
    const body = { token, identity, ttl: exp - iat!, expiresAt: isoSeconds(exp) };
    io.stdout(`${JSON.stringify(body)}\n`);
  } else {
    io.stdout(`${token}\n`);
  }
  if (v.demo === true)
    io.stderr('twilio-token: signed with fake demo credentials (--demo): Twilio will reject this token.\n');
  return 0;
}

// A value that is not a number is passed on as text, so the error shows what was typed.
function numberOrText(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}
