import { describe } from '../../base/errors.js';
import { HttpError, requestError } from './response.js';

/**
 * The default `onError`: a 400 caused inside a hook with `console.warn`, anything else (a 500) with
 * `console.error`. Only the error's name, code, message and stack are printed, never the object:
 * errors of HTTP clients carry request headers, `Authorization` included.
 */
export function logError(error: unknown): void {
  const warn = !(error instanceof HttpError) && requestError(error) !== undefined;
  const status = warn ? 400 : 500;
  let text: string;
  if (error instanceof Error) {
    const code = 'code' in error ? error.code : undefined;
    const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
    text = `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}${frames.length > 0 ? `\n${frames.join('\n')}` : ''}`;
  } else {
    // A thrown non-Error is described by type and length: it may be anything, a secret included.
    text = `a thrown value that is not an Error: ${describe(error)}`;
  }
  (warn ? console.warn : console.error)(`[twilio-access-token] token request answered ${status}: ${text}`);
}
