/** The HMAC algorithms Twilio accepts for Access Tokens. */
export type Algorithm = 'HS256' | 'HS384' | 'HS512';

/** The algorithms this library signs and verifies with. */
export const ALGORITHMS: readonly string[] = ['HS256', 'HS384', 'HS512'];
