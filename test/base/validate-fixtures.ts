import fc from 'fast-check';
import { createAccessToken, isAccessTokenError, videoGrant } from '../../src/index.js';
import { credentials } from '../helpers.js';

// Shared by the validator tests: the outcome of a call as ok or its error code, and the arbitraries.

export function outcome(fn: () => unknown): 'ok' | string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!isAccessTokenError(error)) throw error;
    return error.code;
  }
}

// mint(options) uses identity 'a'; mint(options, identity) passes it as given, undefined included.
export const mint = (options: object, ...identity: [unknown?]) =>
  outcome(() =>
    createAccessToken((identity.length > 0 ? identity[0] : 'a') as string, videoGrant(), { credentials, ...options }),
  );

// biome-ignore lint/suspicious/noControlCharactersInRegex: the identity rule is about these
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export const hexOrNot = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEFgxZ-'.split('')),
  minLength: 30,
  maxLength: 34,
});
