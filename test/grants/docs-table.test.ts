import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PRODUCTS } from '../../src/grants/products.js';
import { END, expectedTable, START } from './fields-table.js';

// docs/grants.md carries a table of every grant field. It is derived from the products' tables
// (src/grants/<product>.ts), and this test says what it must be: a field added to a table fails it
// until the guide lists the field too (paste the expected block).

describe('docs/grants.md', () => {
  test('lists every field of every product table, as the tables say', () => {
    const doc = readFileSync(new URL('../../docs/grants.md', import.meta.url), 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    const block = start >= 0 && end > start ? doc.slice(start, end + END.length) : '(no fields block)';
    expect(block).toBe(expectedTable());
  });

  test('the table has a row per field (the check sees every product)', () => {
    const fields = PRODUCTS.reduce((n, spec) => n + spec.fields.length, 0);
    expect(expectedTable().split('\n')).toHaveLength(fields + 4);
    expect(PRODUCTS.map((spec) => spec.product)).toEqual(['video', 'chat', 'voice', 'sync', 'taskRouter', 'playback']);
  });
});
