import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pushCredentialFor, pushCredentials } from '../../src/handlers/fetch/index.js';

// The push credential map: checked once when made, and a request's platform and APNs environment
// only ever compared with the values the endpoint knows, never used as a key.

const CR = (n: number) => `CR${n.toString(16).padStart(32, '0')}`;
const IOS = CR(1);
const SANDBOX = CR(2);
const ANDROID = CR(3);
const FULL = pushCredentials({ ios: { production: IOS, sandbox: SANDBOX }, android: ANDROID });

const pick = (params: Record<string, unknown>, map: Parameters<typeof pushCredentialFor>[1] = FULL) =>
  pushCredentialFor({ params }, map);

/** The answer pushCredentialFor threw: its code, status and message. */
function refusal(params: Record<string, unknown>, map: Parameters<typeof pushCredentialFor>[1] = FULL) {
  try {
    pick(params, map);
  } catch (error) {
    const { code, status, message } = error as { code: string; status: number; message: string };
    return { code, status, message };
  }
  throw new Error('expected a refusal');
}

describe('pushCredentials', () => {
  test('normalises ios to { production, sandbox? } and freezes the map', () => {
    const map = pushCredentials({ ios: IOS });
    expect(map).toEqual({ ios: { production: IOS } });
    expect(Object.isFrozen(map)).toBe(true);
    expect(Object.isFrozen(map.ios)).toBe(true);
    expect(pushCredentials(map)).toBe(map);
  });

  describe('throws ERR_INVALID_OPTION at the entry', () => {
    test.each([
      ['an SK SID for android', { android: `SK${'0'.repeat(32)}` }, 'push.android'],
      ['a short SID', { ios: 'CR123' }, 'push.ios'],
      ['a production that is not a SID', { ios: { production: 'secret-looking-value' } }, 'push.ios.production'],
      ['a missing production', { ios: { sandbox: SANDBOX } }, 'push.ios.production'],
      ['a sandbox that is not a SID', { ios: { production: IOS, sandbox: 7 } }, 'push.ios.sandbox'],
      [
        'one SID for both environments',
        { ios: { production: IOS, sandbox: IOS.toLowerCase().replace('cr', 'CR') } },
        'push.ios.sandbox',
      ],
      ['an unset environment variable', { android: undefined }, 'push.android'],
      ['no platform', {}, 'push'],
      ['an upper-case key', { IOS }, 'push.IOS'],
      ['a constructor key', { constructor: IOS }, 'push'],
      ['an unknown environment', { ios: { production: IOS, development: SANDBOX } }, 'push.ios'],
      ['null', null, 'push'],
      ['a string', IOS, 'push'],
      ['an array', [IOS], 'push'],
    ])('for %s', (_name, map, path) => {
      expect(() => pushCredentials(map as never)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_OPTION', path }),
      );
    });

    test('for an own __proto__ key, and the map is not swapped for its value', () => {
      const map = JSON.parse(`{"__proto__": {"android": "${ANDROID}"}}`) as never;
      expect(() => pushCredentials(map)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    });

    test('never showing a value that is not a SID', () => {
      const secret = 'q7x9m2v8k4p1z6w3r5t0y8u2i4o6p9a1';
      for (const map of [{ android: secret }, { ios: { production: secret } }, { [secret]: IOS }]) {
        expect(() => pushCredentials(map as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
        try {
          pushCredentials(map as never);
        } catch (error) {
          expect(String((error as Error).message)).not.toContain(secret);
        }
      }
    });
  });
});

describe('pushCredentialFor', () => {
  test.each([
    [{ platform: 'android' }, ANDROID],
    [{ platform: 'android', apnsEnvironment: 'sandbox' }, ANDROID],
    [{ platform: 'ios' }, IOS],
    [{ platform: 'ios', apnsEnvironment: 'production' }, IOS],
    [{ platform: 'ios', apnsEnvironment: 'sandbox' }, SANDBOX],
  ])('%o picks %s', (params, expected) => {
    expect(pick(params)).toBe(expected);
  });

  test('a map literal works too (checked on each call)', () => {
    expect(pick({ platform: 'ios' }, { ios: IOS })).toBe(IOS);
    expect(() => pick({ platform: 'ios' }, { ios: 'CR1' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  describe('is a 400 ERR_INVALID_REQUEST naming the parameter', () => {
    test.each([
      ['a missing platform', {}, 'platform'],
      ['an upper-case IOS', { platform: 'IOS' }, 'platform'],
      ['__proto__', { platform: '__proto__' }, 'platform'],
      ['constructor', { platform: 'constructor' }, 'platform'],
      ['toString', { platform: 'toString' }, 'platform'],
      ['an array', { platform: ['ios'] }, 'platform'],
      ['an object', { platform: { toString: (): string => 'ios' } }, 'platform'],
      ['an empty string', { platform: '' }, 'platform'],
      ['an unknown environment', { platform: 'ios', apnsEnvironment: 'development' }, 'apnsEnvironment'],
      ['an environment of __proto__', { platform: 'ios', apnsEnvironment: '__proto__' }, 'apnsEnvironment'],
      ['an upper-case environment', { platform: 'ios', apnsEnvironment: 'SANDBOX' }, 'apnsEnvironment'],
      ['an empty environment', { platform: 'ios', apnsEnvironment: '' }, 'apnsEnvironment'],
    ])('for %s', (_name, params, name) => {
      const answer = refusal(params);
      expect(answer).toMatchObject({ code: 'ERR_INVALID_REQUEST', status: 400 });
      expect(answer.message).toContain(`parameter ${name}:`);
    });

    test('for a platform the map has no credential for, saying which it has', () => {
      expect(refusal({ platform: 'android' }, { ios: IOS }).message).toBe(
        'Invalid request parameter platform: expected "ios"; received a string of 7 characters',
      );
      expect(refusal({ platform: 'ios', apnsEnvironment: 'sandbox' }, { ios: IOS }).message).toBe(
        'Invalid request parameter apnsEnvironment: expected "production"; received a string of 7 characters',
      );
      expect(refusal({}).message).toBe(
        'Invalid request parameter platform: expected "ios" or "android"; it is missing',
      );
    });

    test('for a platform only inherited from a polluted Object.prototype', () => {
      const params = Object.create({ platform: 'ios' }) as Record<string, unknown>;
      expect(refusal(params)).toMatchObject({ code: 'ERR_INVALID_REQUEST' });
    });
  });

  test('property: any params give one of the map SIDs or a 400, never another value or a crash', () => {
    const known = new Set([IOS, SANDBOX, ANDROID]);
    const value = fc.oneof(
      fc.constantFrom('ios', 'android', 'production', 'sandbox', '__proto__', 'constructor', 'IOS', 'Android', ''),
      fc.string(),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.option(value, { nil: undefined }), fc.option(value, { nil: undefined }), (platform, env) => {
        const params: Record<string, unknown> = {};
        if (platform !== undefined) Object.defineProperty(params, 'platform', { value: platform, enumerable: true });
        if (env !== undefined) Object.defineProperty(params, 'apnsEnvironment', { value: env, enumerable: true });
        try {
          const chosen = pick(params);
          expect(known.has(chosen)).toBe(true);
          if (chosen === ANDROID) expect(platform).toBe('android');
          else expect(platform).toBe('ios');
          if (chosen === SANDBOX) expect(env).toBe('sandbox');
        } catch (error) {
          expect(error).toMatchObject({ code: 'ERR_INVALID_REQUEST', status: 400 });
        }
      }),
    );
  });
});
