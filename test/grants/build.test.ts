import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { memberOf } from '../../src/grants/grant.js';
import { PRODUCTS } from '../../src/grants/products.js';
import { chatGrant, type Grant, taskRouterGrant, videoGrant, voiceGrant } from '../../src/index.js';
import { sid } from '../helpers.js';

// The factories write a grant's JSON as they build its payload, field by field: the text must be
// exactly JSON.stringify of the payload, whatever the strings hold.

/** What JSON.stringify writes for the grant's member of the `grants` claim. */
const stringified = (grant: Grant) => `"${grant.key}":${JSON.stringify(grant.payload)}`;

describe('buildGrant', () => {
  test('writes JSON.stringify of the payload for any string: quotes, backslashes, controls, lone surrogates', () => {
    const text = fc.oneof(
      fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }),
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', 'a\udc00b', '\ud83d\ude00'),
    );
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const grants = [
          videoGrant({ room: a }),
          voiceGrant({ incomingAllow: true, outgoingApplicationSid: sid('AP'), endpointId: b }),
          chatGrant({ serviceSid: sid('IS'), endpointId: c }),
          taskRouterGrant({ workspaceSid: sid('WS'), workerSid: sid('WK'), role: a }),
          voiceGrant({ outgoingApplicationSid: sid('AP'), outgoingApplicationParams: { [b]: c, n: [a, 1, null] } }),
        ];
        for (const grant of grants) expect(memberOf(grant)).toBe(stringified(grant));
      }),
    );
  });

  test('writes nested objects whole, in the table’s order, and leaves out what is not set', () => {
    const full = voiceGrant({
      outgoingApplicationSid: sid('AP'),
      outgoingApplicationParams: { to: 'x' },
      incomingAllow: true,
      pushCredentialSid: sid('CR'),
      endpointId: 'e',
    });
    expect(memberOf(full)).toBe(stringified(full));
    const outgoingOnly = voiceGrant({ outgoingApplicationSid: sid('AP'), incomingAllow: false });
    expect(memberOf(outgoingOnly)).toBe(`"voice":{"outgoing":{"application_sid":"${sid('AP')}"}}`);
    expect(memberOf(videoGrant())).toBe('"video":{}');
  });

  test.each(PRODUCTS.map((spec) => [spec.product, spec] as const))(
    'finds the fields of each nested object consecutive in the %s table, as it writes them',
    (_product, spec) => {
      const outers = spec.fields.map((f) => f.wire.split('.')[0]);
      outers.forEach((outer, i) => {
        if (i > 0 && outer !== outers[i - 1]) expect(outers.slice(0, i)).not.toContain(outer);
      });
      if (outers.includes('')) expect(spec.fields).toHaveLength(1);
    },
  );
});
