// The Twilio error codes an Access Token can cause, with causes and fixes, for `twilio-token explain`.
// Summarised from Twilio's error dictionary (https://www.twilio.com/docs/api/errors/<code>).
// Grant options and wire keys come from the products' tables.

import { SPECS } from '../grants/products.js';

/** One Twilio error: what it says, why it happens, what to do. */
export interface TwilioErrorInfo {
  readonly title: string;
  readonly causes: readonly string[];
  readonly fixes: readonly string[];
}

const MALFORMED =
  'The token is not a well-formed Twilio Access Token (three base64url segments, JSON header and payload)';
const WRONG_KEY =
  'It was signed with a different secret than its API Key SID (iss) has: another key, the Auth Token, or a secret with stray whitespace';
const DOCTOR = 'Run `twilio-token doctor -` and paste the token: it names what is wrong';
const MINT_AGAIN = 'Mint the token on your server with this library (or a Twilio helper library), not by hand';
const EXPIRED = 'The token was used after its exp: the client kept it too long, or never refreshed it';
const REFRESH = 'Refresh before exp: createTokenProvider from twilio-access-token/client does it for every SDK';
const CLOCK = "The minting server's clock is off (check NTP)";
const ONLINE = 'Run `twilio-token doctor --online`: it asks Twilio which key, Region or SID is wrong';

/** Every code `explain` knows. */
export const TWILIO_ERRORS: Readonly<Record<number, TwilioErrorInfo>> = {
  20003: {
    title: 'Permission Denied (Authenticate)',
    causes: [
      "A REST API request with a wrong key and secret pair, a deleted API Key, or another account's key",
      'An API Key created in another Twilio Region than the host asked (api.dublin.ie1.twilio.com for IE1)',
      'A Standard API Key on an endpoint that needs a Main key, such as /Accounts',
    ],
    fixes: [ONLINE, 'Copy the secret again (it is shown once, when the key is created), or create a new key'],
  },
  20101: {
    title: 'Invalid Access Token',
    causes: [
      MALFORMED,
      'An API Key created in another Twilio Region (IE1, AU1) was used without that region (`region`, the header twr)',
      'A Restricted API Key was used: Access Tokens need a Standard or Main key',
    ],
    fixes: [DOCTOR, 'Mint with the region the API Key was created in, or a US1 key without region', MINT_AGAIN],
  },
  20102: {
    title: 'Invalid Access Token header',
    causes: ['The header lacks cty "twilio-fpa;v=1" or typ "JWT", or carries crit'],
    fixes: [MINT_AGAIN, DOCTOR],
  },
  20103: {
    title: 'Invalid Access Token issuer/subject',
    causes: [
      'The issuer (iss) is an Account SID (AC...) where the API Key SID (SK...) belongs',
      'The subject (sub) is not the Account SID the API Key belongs to',
    ],
    fixes: ['Sign with an API Key SID (SK...) and its secret; pass the Account SID (AC...) as accountSid'],
  },
  20104: {
    title: 'Access Token expired or expiration date invalid',
    causes: [EXPIRED, CLOCK, 'exp is missing or not epoch seconds'],
    fixes: [REFRESH, 'Keep ttl at or under 86400 seconds'],
  },
  20105: {
    title: 'Access Token not yet valid',
    causes: ['nbf is in the future', CLOCK],
    fixes: ['Drop nbf, or set it to now or earlier'],
  },
  20106: {
    title: 'Invalid Access Token grants',
    causes: [
      'No product grant, or a grant with the wrong SIDs (an MG Messaging Service SID where the IS Conversations Service SID belongs)',
      'incoming.allow is not the boolean true',
    ],
    fixes: ["Build grants with this library's factories: they refuse wrong SIDs and non-boolean flags", DOCTOR],
  },
  20107: {
    title: 'Invalid Access Token signature',
    causes: [WRONG_KEY, 'The Auth Token was used as the secret'],
    fixes: [
      'Use the secret shown once when the API Key was created, trimmed; `twilio-token doctor` with the secret in the environment checks it',
    ],
  },
  20157: {
    title: 'Expiration Time Exceeds Maximum Time Allowed',
    causes: ['ttl over 86400 seconds (24 h)', 'ttl or exp given in milliseconds instead of seconds'],
    fixes: ['Pass ttl in seconds, at most 86400 (this library refuses more)'],
  },
  20160: {
    title: 'Invalid Token',
    causes: ['Not a JWT, or signed with an algorithm other than HS256'],
    fixes: ['Mint with the default algorithm (HS256)', DOCTOR],
  },
  20404: {
    title: 'Not Found',
    causes: ['A SID from another account or Region, a deleted resource, or a typo'],
    fixes: [ONLINE, "Copy the SID from the Twilio Console of the account and Region the token's key belongs to"],
  },
  31202: {
    title: 'Voice: JWT signature validation failed',
    causes: [WRONG_KEY],
    fixes: ['Sign with the API Key secret that belongs to the iss key', DOCTOR],
  },
  31204: {
    title: 'Voice: Invalid JWT token',
    causes: [MALFORMED, 'No identity or no voice grant', 'An Account SID as issuer, or a Restricted API Key'],
    fixes: [`Mint with voiceGrant({ ${SPECS.voice.some.options.join(', ')} }) and an identity`, DOCTOR],
  },
  31205: {
    title: 'Voice: JWT token expired',
    causes: [EXPIRED, "The Device's tokenWillExpire fires once; later expiries go unnoticed"],
    fixes: [REFRESH],
  },
  31207: {
    title: 'Voice: JWT token expiration too long',
    causes: ['ttl over 24 hours'],
    fixes: ['Mint with a ttl of 86400 seconds or less'],
  },
  51007: {
    title: 'Conversations/Sync: token authentication is rejected',
    causes: [
      EXPIRED,
      WRONG_KEY,
      `The ${SPECS.chat.key} or ${SPECS.sync.key} grant is missing, or holds the wrong service SID`,
      'For Video: an API Key from outside US1',
    ],
    fixes: [DOCTOR, REFRESH],
  },
  51120: {
    title: 'Twilsock: token is not valid yet',
    causes: ['nbf is in the future', CLOCK],
    fixes: ['Drop nbf, or set it to now or earlier'],
  },
  51121: {
    title: 'Twilsock: token expiration time exceeds maximum',
    causes: ['ttl over 24 hours'],
    fixes: ['Mint with a ttl of 86400 seconds or less'],
  },
  53200: {
    title: 'Video: Participant identity is invalid',
    causes: ['The identity is empty, longer than 128 characters, or already in the Room'],
    fixes: ['Mint with a unique, non-empty identity of at most 128 characters'],
  },
  53201: {
    title: 'Video: Participant identity is too long',
    causes: ['More than 128 characters (double-byte characters count twice)'],
    fixes: ['Use a shorter identity, such as a user ID'],
  },
  53205: {
    title: 'Video: Participant disconnected because of duplicate identity',
    causes: ['Another participant joined the Room with the same identity'],
    fixes: ['Give each connection its own identity (append a device ID if one user may join twice)'],
  },
  70051: {
    title: 'Authorization Failed',
    causes: ['A Restricted API Key without the permission; Restricted keys cannot sign Access Tokens at all'],
    fixes: ['Sign Access Tokens with a Standard API Key', ONLINE],
  },
};

/** Twilio's page for any error code. */
export const errorPage = (code: number | string): string => `https://www.twilio.com/docs/api/errors/${code}`;
