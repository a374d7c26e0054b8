import { createAccessToken } from '../create-access-token.js';
import { type Credentials, credentialsFromEnv, type EnvironmentVariables } from '../credentials.js';
import { decodeAccessToken } from '../decode.js';
import { chatGrant } from '../grants/chat.js';
import type { Grant } from '../grants/index.js';
import { syncGrant } from '../grants/sync.js';
import { videoGrant } from '../grants/video.js';
import { voiceGrant } from '../grants/voice.js';
import { type Parsed, UsageError } from './args.js';
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
  const voice = () =>
    voiceGrant({
      ...(str('voice-app-sid') === undefined ? {} : { outgoingApplicationSid: str('voice-app-sid') }),
      ...(v['allow-incoming'] === true ? { incomingAllow: true } : {}),
      ...(str('push-credential-sid') === undefined ? {} : { pushCredentialSid: str('push-credential-sid') }),
    });
  switch (parsed.command) {
    case 'video':
      return [videoGrant(str('room-name') === undefined ? {} : { room: str('room-name') })];
    case 'voice':
      if (str('voice-app-sid') === undefined && v['allow-incoming'] !== true) required(v, 'voice-app-sid', 'voice');
      return [voice()];
    case 'chat':
      return [
        chatGrant({
          serviceSid: required(v, 'chat-service-sid', 'chat'),
          ...(str('push-credential-sid') === undefined ? {} : { pushCredentialSid: str('push-credential-sid') }),
        }),
      ];
    case 'sync':
      return [syncGrant(str('sync-service-sid') === undefined ? {} : { serviceSid: str('sync-service-sid') })];
    default: {
      const grants: Grant[] = [];
      if (v.video === true || str('room-name') !== undefined)
        grants.push(videoGrant(str('room-name') === undefined ? {} : { room: str('room-name') }));
      if (str('voice-app-sid') !== undefined || v['allow-incoming'] === true) grants.push(voice());
      else if (str('push-credential-sid') !== undefined)
        throw new UsageError('--push-credential-sid needs a voice grant: add --voice-app-sid or --allow-incoming');
      if (str('chat-service-sid') !== undefined)
        grants.push(chatGrant({ serviceSid: str('chat-service-sid') as string }));
      if (v.sync === true || str('sync-service-sid') !== undefined)
        grants.push(syncGrant(str('sync-service-sid') === undefined ? {} : { serviceSid: str('sync-service-sid') }));
      if (grants.length === 0)
        throw new UsageError(
          "mint needs at least one grant flag: --video, --room-name, --voice-app-sid, --allow-incoming, --chat-service-sid, --sync (see 'twilio-token mint --help')",
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
  const credentials = v.demo === true ? DEMO : credentialsFromEnv(env);
  const token = createAccessToken(identity, grants, {
    credentials,
    ...(ttl === undefined ? {} : { ttl: ttl as number }),
    ...(typeof v.region === 'string' ? { region: v.region } : {}),
  });
  if (output === 'json') {
    const { exp, iat } = decodeAccessToken(token).payload;
    // Minted just above, so iat is set.
    const body = { token, identity, ttl: exp - iat!, expiresAt: new Date(exp * 1000).toISOString() };
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
