import { describe, expect, test } from 'vitest';
import { chatGrant, videoGrant } from '../../src/index.js';

// attack4 (round: messages compacted). Was failing (LOW): options that are objects but not
// plain ones (a Map, a class instance, an object with a prototype holding the option) are refused,
// rightly, with "expected an options object, received an object": expected and received read the
// same, and nothing says what to change (a plain object literal; own properties).
//
// Repro: videoGrant(new Map([['room', 'x']]))
//        -> Invalid grants.video: expected an options object, received an object

class RoomOptions {
  room = 'standup';
}

const cases: [string, () => unknown][] = [
  ['a Map', () => videoGrant(new Map([['room', 'x']]) as never)],
  ['a class instance', () => videoGrant(new RoomOptions())],
  ['an object inheriting the option', () => videoGrant(Object.create({ room: 'x' }))],
  ['a class instance (chat)', () => chatGrant(new (class {})() as never)],
];

describe('non-plain options objects get a message that tells them apart (attack4)', () => {
  test.each(cases)('%s', (_name, call) => {
    let message = '';
    try {
      call();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid grants\.(video|chat)/);
    // The received part must say more than "an object" when the expected part is "an options object".
    expect(message).not.toMatch(/expected an options object, received an object\b/);
  });
});
