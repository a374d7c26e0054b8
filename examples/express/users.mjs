// Stands in for your user store: password hashes (scrypt) and the Video rooms each user may join.
// Every login costs one scrypt and one constant-time comparison, whether the user exists, the
// password is wrong or missing: the answer and its timing say nothing about which.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const hash = /** @type {(password: string, salt: Buffer, length: number) => Promise<Buffer>} */ (promisify(scrypt));

/** @typedef {{ salt: Buffer, passwordHash: Buffer, rooms: readonly string[] }} User */

/**
 * @param {string} password
 * @param {readonly string[]} rooms
 * @returns {Promise<User>}
 */
async function user(password, rooms) {
  const salt = randomBytes(16);
  return { salt, passwordHash: await hash(password, salt, 32), rooms };
}

// In a real store the hashes are computed at sign-up; the demo user's password is in the README.
/** @type {Map<string, User>} */
const users = new Map([['alice', await user('wonderland', ['standup', 'design-review'])]]);
// Compared against when the username is unknown, so that path does the same work.
const nobody = await user(randomBytes(32).toString('hex'), []);

/**
 * The user whose password this is, or `undefined`, in the same time for every way of failing.
 *
 * @param {unknown} username
 * @param {unknown} password
 * @returns {Promise<(User & { id: string }) | undefined>}
 */
export async function checkPassword(username, password) {
  const known = typeof username === 'string' ? users.get(username) : undefined;
  const candidate = known ?? nobody;
  const given = await hash(typeof password === 'string' ? password : '', candidate.salt, 32);
  const match = timingSafeEqual(given, candidate.passwordHash);
  return match && known !== undefined && typeof password === 'string' && password !== ''
    ? { ...known, id: /** @type {string} */ (username) }
    : undefined;
}

/**
 * The rooms a user may join, read from the store on every token request (access removed there
 * applies to the next token).
 *
 * @param {string} id
 * @returns {readonly string[]}
 */
export function roomsOf(id) {
  return users.get(id)?.rooms ?? [];
}
