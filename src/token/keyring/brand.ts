/**
 * What marks a keyring: one symbol, defined here only, that every keyring module (and every copy of
 * the package, through `Symbol.for`) shares.
 */
export const KEYRING_BRAND: unique symbol = Symbol.for('twilio-access-token.Keyring');
