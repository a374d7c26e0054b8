import type { TokenHandlerOptions } from './types.js';

/**
 * Lets the client say who it is: reads `params[param]`. For prototypes and demos only; anyone can
 * then mint a token for any identity. Returns `null` (401) when the parameter is missing or empty.
 *
 * @param param - The query or body parameter to read.
 * @defaultValue `param`: `'identity'`
 * @returns An `identify` function for {@link TokenHandlerOptions}.
 *
 * @example
 * ```ts
 * import { createFetchHandler, trustClientIdentity } from 'twilio-access-token/fetch';
 * import { videoGrant } from 'twilio-access-token/web';
 *
 * export const POST = createFetchHandler({ identify: trustClientIdentity(), grants: videoGrant() });
 * ```
 */
export function trustClientIdentity(param = 'identity'): TokenHandlerOptions['identify'] {
  return (request) => {
    const value = request.params[param];
    return typeof value === 'string' && value !== '' ? value : null;
  };
}
