import { PRODUCT_HOSTS } from '../grants/resources.js';
import type { ProductHost } from '../grants/spec.js';

// The only places the probe sends credentials: Twilio's API and product hosts in US1, IE1 and AU1.
// Regional hosts name their edge (`api.dublin.ie1.twilio.com`); the `api.ie1.twilio.com` forms are
// retired. Every URL is checked against this list before a request is made, so no input (a SID, a
// region, a path) can point the Authorization header anywhere else.

/** The Regions the probe knows, in the order it tries them. */
export const PROBE_REGIONS = ['us1', 'ie1', 'au1'] as const;

/** A Region the probe knows. */
export type ProbeRegion = (typeof PROBE_REGIONS)[number];

/** Each Region's part of a host name: its edge and Region, none for US1. */
const EDGES: ReadonlyMap<ProbeRegion, string> = new Map([
  ['us1', ''],
  ['ie1', '.dublin.ie1'],
  ['au1', '.sydney.au1'],
]);

/** The origin of a product host in a Region: `https://conversations.dublin.ie1.twilio.com`. */
export function origin(host: ProductHost, region: ProbeRegion): string {
  return `https://${host}${EDGES.get(region) ?? ''}.twilio.com`;
}

/** Every origin the probe may send a request to. */
export const ORIGINS: ReadonlySet<string> = new Set(
  PROBE_REGIONS.flatMap((region) => PRODUCT_HOSTS.map((host) => origin(host, region))),
);

/** Why a request was not sent: its URL is not one of Twilio's hosts above. Internal. */
export class RefusedUrl extends Error {
  constructor() {
    super(
      "The probe sends requests only to Twilio's hosts (api, conversations, sync, taskrouter, video, chat in US1, IE1, AU1)",
    );
    this.name = 'RefusedUrl';
  }
}

/**
 * Asserts a URL the probe may send credentials to: an origin of {@link ORIGINS}, no user info, and
 * written as a URL parser writes it (no `..`, no backslashes, nothing that a parser would rewrite).
 *
 * @throws {@link RefusedUrl} for anything else, before any request is made.
 */
export function assertTwilioUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RefusedUrl();
  }
  if (!ORIGINS.has(parsed.origin) || parsed.username !== '' || parsed.password !== '' || parsed.href !== url)
    throw new RefusedUrl();
}

/** A URL on a product host in a Region, checked by {@link assertTwilioUrl}. */
export function twilioUrl(host: ProductHost, region: ProbeRegion, path: string): string {
  const url = `${origin(host, region)}${path}`;
  assertTwilioUrl(url);
  return url;
}
