// The key a per-IP limit should count by. One IPv6 customer holds a /64 (often far more), so a
// limit per IPv6 address is no limit: each request can come from a fresh address of the same /64.

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included); `undefined` if it is none. */
function hextets(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && IPV4.test(part)) {
        // Four decimal bytes, as IPV4 matched them.
        const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
        out.push(a * 256 + b, c * 256 + d);
      } else if (HEXTET.test(part)) out.push(Number.parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const [first = '', second] = halves;
  const head = groups(first);
  const tail = second === undefined ? [] : groups(second);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** RFC 5952 text of eight groups: lower-case hex, the longest run of two or more zero groups as `::`. */
function ipv6Text(groups: readonly number[]): string {
  let start = -1;
  let length = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > length && j - i >= 2) [start, length] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (start < 0) return hex.join(':');
  return `${hex.slice(0, start).join(':')}::${hex.slice(start + length).join(':')}`;
}

/**
 * The key a per-IP rate limit should count by: an IPv4 address whole, an IPv6 address as its /64
 * (`2001:db8:1:2::/64`; one customer holds at least that much, so each of its addresses would
 * otherwise get a limit of its own), and an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, as
 * Node reports IPv4 peers of a dual-stack socket) as the IPv4 address. A zone (`%eth0`) is dropped.
 * Anything that is not an IP address is returned unchanged.
 *
 * @param ip - An IP address, such as `TokenRequest.ip`.
 * @returns The address to key a per-IP limit by.
 *
 * @example
 * ```ts
 * import { createFetchHandler, ipSubnet } from 'twilio-access-token/fetch';
 *
 * declare const limiter: { consume(key: string): Promise<unknown> };
 * ipSubnet('2001:db8:1:2:3:4:5:6'); // '2001:db8:1:2::/64'
 * ipSubnet('::ffff:203.0.113.7'); // '203.0.113.7'
 * export const POST = createFetchHandler({
 *   identify: async () => 'alice',
 *   grants: [],
 *   rateLimit: async ({ ip }) => {
 *     if (ip !== undefined) await limiter.consume(ipSubnet(ip));
 *     return true;
 *   },
 * });
 * ```
 */
export function ipSubnet(ip: string): string {
  if (typeof ip !== 'string' || IPV4.test(ip)) return ip;
  const zone = ip.indexOf('%');
  const groups = hextets((zone < 0 ? ip : ip.slice(0, zone)).toLowerCase());
  if (groups === undefined) return ip;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [, , , , , , hi = 0, lo = 0] = groups;
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${ipv6Text([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}
