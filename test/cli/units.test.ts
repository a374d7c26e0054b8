import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDotenv } from '../../src/cli/dotenv.js';
import { InputError } from '../../src/cli/failure.js';
import { readLimited } from '../../src/cli/io.js';
import { nodeVersionProblem } from '../../src/cli/node-version.js';
import { escapeControl, safeJson, shown, unknownName } from '../../src/cli/show.js';

// The CLI's small pieces, from src/ (no build needed).

describe('shown', () => {
  test.each([
    ['us1', false, '"us1"'],
    ['12345678', false, '"12345678"'],
    ['123456789', false, 'a string of 9 characters'],
    [`AC${'0'.repeat(32)}`, true, 'a string of 34 characters starting with "AC"'],
    [`ac${'0'.repeat(32)}`, true, 'a string of 34 characters'],
    [`AC${'0'.repeat(32)}`, false, 'a string of 34 characters'],
    ['a\u001bb', false, '"a\\u001bb"'],
  ])('%j (sid: %s) is %s', (value, sid, expected) => {
    expect(shown(value, sid)).toBe(expected);
  });
});

describe('unknownName', () => {
  const known = ['identity', 'room-name', 'ttl', 'allow-incoming'];
  test.each([
    ['room', 'unknown option "--room" (did you mean "--room-name"?)'],
    ['identiy', 'unknown option "--identiy" (did you mean "--identity"?)'],
    ['ALLOW-INCOMIN', 'unknown option "--ALLOW-INCOMIN" (did you mean "--allow-incoming"?)'],
    ['identity-of-alice', 'unknown option "--identity-of-alice" (did you mean "--identity"?)'],
    ['x', 'unknown option "--x"'],
    ['qqqqqqqqqqqq', 'unknown option (a name of 12 characters)'],
    [`identity${'q'.repeat(17)}`, 'unknown option (a name of 25 characters)'],
  ])('%s', (typed, message) => {
    expect(unknownName(typed, { kind: 'option', known, dashes: '--' })).toBe(message);
  });

  test('a name over 8 characters is shown only when at most 24 and close to a known one', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 9, maxLength: 60 }), (typed) => {
        const message = unknownName(typed, { kind: 'option', known, dashes: '--' });
        if (message.includes(JSON.stringify(`--${typed}`).slice(1, -1)) && typed.length > 8) {
          expect(typed.length).toBeLessThanOrEqual(24);
          expect(message).toMatch(/did you mean/);
        }
      }),
    );
  });
});

describe('escapeControl and safeJson', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must not be printed
  const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
  const arbText = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0x20ff }).map((c) => String.fromCharCode(c))) });

  test('no control or bidi character survives escapeControl', () => {
    fc.assert(
      fc.property(arbText, (text) => {
        expect(escapeControl(text)).not.toMatch(RAW);
      }),
    );
  });

  test('safeJson parses back to the same value and holds no raw C1 or bidi character', () => {
    fc.assert(
      fc.property(fc.dictionary(arbText, arbText), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = safeJson(value, indent);
        expect(JSON.parse(text)).toEqual(value);
        expect(text.replace(/\n/g, '')).not.toMatch(RAW);
      }),
    );
  });
});

describe('parseDotenv', () => {
  test('dotenv syntax: export, comments, quotes, multi-line double quotes with \\n', () => {
    const env = parseDotenv(
      'export A=1\n# comment\nB = two words # note\nC="x\\ny"\nD=\'#not a comment\'\nE=`q"uote`\nF="multi\nline"\nnot an assignment\n__proto__=p\n',
      '.env',
    );
    expect({ ...env }).toEqual({
      A: '1',
      B: 'two words',
      C: 'x\ny',
      D: '#not a comment',
      E: 'q"uote',
      F: 'multi\nline',
      ['__proto__']: 'p',
    });
    expect(Object.getPrototypeOf(env)).toBe(null);
  });

  test.each([
    ['A="zqvj', 1],
    ["A=1\nB='zqvj\nC=3", 2],
    ['A=`zqvj\n\n# end', 1],
    ['SECRET="zqvj\nAPI_KEY=SK123', 1],
  ])('an unterminated quote in %j is an error at line %i', (text, line) => {
    expect(() => parseDotenv(text, 'x.env')).toThrow(InputError);
    expect(() => parseDotenv(text, 'x.env')).toThrow(new RegExp(`^x\\.env, line ${line}: the value of `));
    expect(() => parseDotenv(text, 'x.env')).not.toThrow(/zqvj/);
  });
});

describe('parseDotenv: a quoted value spans lines only to a quote that ends a line', () => {
  test.each([
    ["P='a\nb' # note\n", 'a\nb'],
    ['P="a\n\nb"   \n', 'a\n\nb'],
    ['P=`a\nb`#x\n', 'a\nb'],
  ])('%j closes', (text, value) => {
    expect(parseDotenv(text, '.env').P).toBe(value);
  });

  test.each([
    ["P='zqvj\n# don't\n", 1],
    ['P="zqvj\nb" c\n', 1],
    ['A=1\nP=`zqvj\nx`y`\n', 2],
  ])('%j is unterminated at line %i', (text, line) => {
    expect(() => parseDotenv(text, 'x.env')).toThrow(
      new RegExp(`^x\\.env, line ${line}: the value of a variable named "P" opens a . quote that is never closed`),
    );
  });

  test.each(['TWILIO_API_KEY_SECRET', 'API_KEY', 'ACCOUNT_SID', 'AUTH_TOKEN'])('%s may not span lines', (name) => {
    expect(() => parseDotenv(`${name}='zqvj\nzqvj'`, 'x.env')).toThrow(
      `x.env, line 1: the value of ${name} spans lines 1 to 2; a secret or SID is one line`,
    );
    expect(() => parseDotenv(`${name}="zqvj\\nzqvj"`, 'x.env')).toThrow(
      `x.env, line 1: the value of ${name} holds a \\n line break; a secret or SID is one line`,
    );
    expect(parseDotenv(`${name}='zqvj\\nzqvj'`, 'x.env')[name]).toBe('zqvj\\nzqvj');
  });
});

describe('nodeVersionProblem', () => {
  test.each([
    ['20.16.0', undefined],
    ['20.20.2', undefined],
    ['22.0.0', undefined],
    ['100.0.0', undefined],
    ['20.15.1', 'needs Node.js >= 20.16.0, this is Node.js 20.15.1: upgrade Node.js (https://nodejs.org)'],
    ['18.20.4', 'needs Node.js >= 20.16.0, this is Node.js 18.20.4: upgrade Node.js (https://nodejs.org)'],
    ['4.9.1', 'needs Node.js >= 20.16.0, this is Node.js 4.9.1: upgrade Node.js (https://nodejs.org)'],
    [undefined, "needs Node.js >= 20.16.0; could not read this runtime's version"],
  ])('%s', (version, problem) => {
    expect(nodeVersionProblem(version)).toBe(problem);
  });
});

describe('readLimited', () => {
  test('reads up to the limit, refuses one byte more, and stops pulling from the stream', async () => {
    expect(await readLimited(Readable.from([Buffer.from('ab'), 'cd']), 4)).toBe('abcd');
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 'a'));
      },
    });
    await expect(readLimited(endless, 64 * 1024)).rejects.toThrow(
      'standard input is over 64 KiB; a token is at most 64 KiB: stopped reading',
    );
    expect(endless.destroyed).toBe(true);
    expect(pulled).toBeLessThan(100);
  });
});
