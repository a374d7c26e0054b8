import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isThenable } from '../../src/base/thenable.js';
import { isoSeconds } from '../../src/base/time.js';
import { HTTP_ERRORS, HttpError, type HttpErrorCode, requestError } from '../../src/handlers/core/response.js';
import { HTTP_ERRORS as FETCH_HTTP_ERRORS } from '../../src/handlers/fetch/index.js';
import { HTTP_ERRORS as LAMBDA_HTTP_ERRORS } from '../../src/handlers/lambda/index.js';
import { HTTP_ERRORS as EXPRESS_HTTP_ERRORS } from '../../src/handlers/node-http/index.js';
import { HTTP_ERRORS as FUNCTIONS_HTTP_ERRORS } from '../../src/handlers/twilio-functions/index.js';
import {
  ACCESS_TOKEN_ERRORS,
  AccessTokenError,
  type AccessTokenErrorCode,
  diagnoseAccessToken,
  FINDINGS,
  type FindingCode,
  verifyAccessToken,
} from '../../src/index.js';
import * as web from '../../src/web.js';
import { credentials, FROZEN_S } from '../helpers.js';

// One vocabulary per kind of thing: each code union is a table's keys, every code is documented,
// every HTTP code has one status, and a finding that states an error's fact uses the error's words.

const errorCodes = Object.keys(ACCESS_TOKEN_ERRORS) as AccessTokenErrorCode[];
const findingCodes = Object.keys(FINDINGS) as FindingCode[];
const httpCodes = Object.keys(HTTP_ERRORS) as HttpErrorCode[];
const troubleshooting = readFileSync(new URL('../../docs/troubleshooting.md', import.meta.url), 'utf8');
const handlersGuide = readFileSync(new URL('../../docs/handlers.md', import.meta.url), 'utf8');

describe('the tables', () => {
  test('the main entry and /web export the same tables', () => {
    expect(web.ACCESS_TOKEN_ERRORS).toBe(ACCESS_TOKEN_ERRORS);
    expect(web.FINDINGS).toBe(FINDINGS);
  });

  test('every handler entry exports the one HTTP table', () => {
    for (const table of [FETCH_HTTP_ERRORS, LAMBDA_HTTP_ERRORS, EXPRESS_HTTP_ERRORS, FUNCTIONS_HTTP_ERRORS])
      expect(table).toBe(HTTP_ERRORS);
  });

  test.each(errorCodes)('%s is documented in docs/troubleshooting.md', (code) => {
    expect(troubleshooting).toContain(`\`${code}\``);
  });

  test.each(findingCodes)('finding %s is documented in docs/troubleshooting.md', (code) => {
    expect(troubleshooting).toContain(`\`${code}\``);
  });

  test.each(httpCodes)('HTTP %s is listed in docs/handlers.md with its one status', (code) => {
    expect(handlersGuide).toMatch(new RegExp(`\\| \`${code}\` \\| ${HTTP_ERRORS[code]} \\|`));
    expect(new HttpError(code, 'm').status).toBe(HTTP_ERRORS[code]);
  });

  test('the HTTP codes an AccessTokenError may carry are exactly the 400s for a request’s identity or grants', () => {
    const shared = httpCodes.filter((code) => Object.hasOwn(ACCESS_TOKEN_ERRORS, code));
    expect(shared.sort()).toEqual([
      'ERR_DUPLICATE_GRANT',
      'ERR_INVALID_GRANT',
      'ERR_INVALID_IDENTITY',
      'ERR_NO_GRANTS',
    ]);
    for (const code of shared) expect(HTTP_ERRORS[code]).toBe(400);
  });

  test('requestError answers those four with their own 400 and code; every other code is a server fault', () => {
    for (const code of errorCodes) {
      const answer = requestError(new AccessTokenError(code, 'the message'));
      if (Object.hasOwn(HTTP_ERRORS, code)) expect(answer).toMatchObject({ status: 400, code, message: 'the message' });
      else expect(answer).toBeUndefined();
    }
    // A code named like an Object.prototype member is not in the table.
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(requestError(new AccessTokenError(code as AccessTokenErrorCode, 'm'))).toBeUndefined();
    expect(requestError(new Error('ERR_BAD_REQUEST'))).toBeUndefined();
  });
});

describe('a finding that states an error’s fact has the error’s code without ERR_', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const HEADER = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
  const now = FROZEN_S;
  const claims = (extra: Record<string, unknown> = {}) => ({
    jti: `${credentials.apiKeySid}-${now}`,
    grants: { identity: 'alice', video: {} },
    iat: now,
    exp: now + 3600,
    iss: credentials.apiKeySid,
    sub: credentials.accountSid,
    ...extra,
  });
  const forge = (payload: object, header: object = HEADER, key = credentials.apiKeySecret) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
  };

  test.each([
    ['ERR_MALFORMED_TOKEN', 'not a token'],
    ['ERR_UNSUPPORTED_ALGORITHM', forge(claims(), { ...HEADER, alg: 'none' })],
    ['ERR_INVALID_SIGNATURE', forge(claims(), HEADER, 'another secret of some length')],
    ['ERR_TOKEN_EXPIRED', forge(claims({ iat: now - 7200, exp: now - 3600 }))],
    ['ERR_TOKEN_NOT_YET_VALID', forge(claims({ nbf: now + 600 }))],
  ] as const)('%s', (code, token) => {
    const options = { apiKeySecret: credentials.apiKeySecret, now };
    let thrown: unknown;
    try {
      verifyAccessToken(token, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AccessTokenError);
    expect((thrown as AccessTokenError).code).toBe(code);
    const finding = code.slice('ERR_'.length) as FindingCode;
    expect(findingCodes).toContain(finding);
    expect(diagnoseAccessToken(token, options).findings.map((f) => f.code)).toContain(finding);
  });

  test('no finding code spells an error code’s words in another order', () => {
    const words = (code: string) => code.replace(/^ERR_/, '').split('_').sort().join('_');
    const errorWords = new Map(errorCodes.map((code) => [words(code), code.slice(4)]));
    for (const code of findingCodes) {
      const same = errorWords.get(words(code));
      if (same !== undefined) expect(code).toBe(same);
    }
  });

  test('every finding a token produces has its table’s severity and Twilio error', () => {
    const tokens = [
      'not a token',
      forge(claims(), { ...HEADER, alg: 'none' }),
      forge(claims(), { ...HEADER, alg: 'HS512' }),
      forge(claims(), { ...HEADER, cty: 'x', typ: 'x', crit: ['b64'] }),
      forge(claims({ exp: 'soon', iat: now * 1000 })),
      forge(claims({ exp: now - 10, iat: now - 100, nbf: now + 100, jti: 'x' })),
      forge(claims({ exp: now + 200_000, iss: credentials.accountSid, sub: 'x' })),
      forge(claims({ grants: { identity: 'a b', vidoe: {}, voice: {}, player: {} } })),
      forge(claims({ grants: { chat: { service_sid: 'MG1' } } })),
      forge(claims({ grants: {} })),
    ];
    const seen = new Set<string>();
    for (const token of tokens) {
      for (const f of diagnoseAccessToken(token, { apiKeySecret: ' another ', now }).findings) {
        seen.add(f.code);
        const row: { severity: string; twilioError?: number } = FINDINGS[f.code];
        expect(f.severity, f.code).toBe(row.severity);
        // CLAIM_NOT_A_NUMBER names 20104 for exp, the table's 20101 for the others.
        if (f.code !== 'CLAIM_NOT_A_NUMBER') expect(f.twilioError, f.code).toBe(row.twilioError);
      }
    }
    expect(seen.size).toBeGreaterThan(20);
  });
});

describe('one way for each small thing', () => {
  test('isThenable: Promises and thenables yes, anything else no, and it never throws', () => {
    expect(isThenable(Promise.resolve(1))).toBe(true);
    // Built with defineProperty: a literal `then` key is what the linter guards against.
    const thenable = (target: object, then: unknown) => Object.defineProperty(target, 'then', { value: then });
    expect(isThenable(thenable({}, () => undefined))).toBe(true);
    expect(
      isThenable(
        thenable(
          () => undefined,
          () => undefined,
        ),
      ),
    ).toBe(true);
    for (const value of [null, undefined, 0, 'then', thenable({}, 1), [], () => undefined, Symbol('then')])
      expect(isThenable(value)).toBe(false);
    const hostile = [
      new Proxy(
        {},
        {
          get: () => {
            throw new Error('get');
          },
          getPrototypeOf: () => {
            throw new Error('proto');
          },
        },
      ),
      Object.defineProperty({}, 'then', {
        get: () => {
          throw new Error('then');
        },
      }),
      (() => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      })(),
    ];
    for (const value of hostile) expect(isThenable(value)).toBe(false);
  });

  test('isoSeconds: epoch seconds as ISO 8601 UTC; a value no Date holds as the number', () => {
    expect(isoSeconds(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoSeconds(FROZEN_S)).toBe(new Date(FROZEN_S * 1000).toISOString());
    expect(isoSeconds(Number.NaN)).toBe('NaN');
    expect(isoSeconds(1e13)).toBe('10000000000000');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.64e12 }), (s) => {
        expect(isoSeconds(s)).toBe(new Date(s * 1000).toISOString());
      }),
    );
  });
});
