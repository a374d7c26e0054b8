// The mark that makes an error an AccessTokenError for `instanceof` and `isAccessTokenError`, in its
// own module so that /client can mark its option errors without bundling the class.

/**
 * The brand on an `AccessTokenError`'s prototype. `Symbol.for` is shared by every copy of this
 * package loaded in one realm (ESM and CJS side by side, or two entry points), so the guard
 * recognises errors thrown by any copy.
 */
export const BRAND: unique symbol = Symbol.for('twilio-access-token.AccessTokenError') as never;
