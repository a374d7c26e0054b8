import { describe, expect, test } from 'vitest';
import { PRODUCTS } from '../../src/grants/products.js';
import { PRODUCT_HOSTS, RESOURCES } from '../../src/grants/resources.js';

// Where Twilio serves what each grant names (read by the online probe): every SID field of every
// product's table has a resource, and every path names only the field, the account, or another SID
// field of the same grant.

describe("the products' SID resources", () => {
  test.each(PRODUCTS.map((spec) => [spec.product, spec] as const))(
    '%s: one resource per SID field, no other',
    (_, spec) => {
      const resources = RESOURCES[spec.product];
      const sidOptions = spec.fields.filter((f) => f.kind === 'sid').map((f) => f.option);
      expect(Object.keys(resources).sort()).toEqual([...sidOptions].sort());
      for (const [option, resource] of Object.entries(resources)) {
        expect(PRODUCT_HOSTS).toContain(resource.host);
        expect(resource.path).toMatch(/^\/[\w/{}.-]+$/);
        expect(resource.path).toContain('{sid}');
        const wires = spec.fields.filter((f) => f.kind === 'sid' && f.option !== option).map((f) => f.wire);
        for (const [, name] of resource.path.matchAll(/\{(\w+)\}/g))
          expect(['sid', 'account', ...wires], `${option}: {${name}}`).toContain(name);
      }
    },
  );
});
