// docs/grants.md's table of grant fields, derived from the products' tables (src/grants/<product>.ts).

import { CLI_PRODUCTS } from '../../src/grants/products.js';

export const START = '<!-- fields: derived from src/grants, checked by test/grants/docs-table.test.ts -->';
export const END = '<!-- /fields -->';

/** The fields block docs/grants.md must hold. */
export function expectedTable(): string {
  const rows = CLI_PRODUCTS.flatMap((spec) =>
    spec.fields.map((field) => {
      const kind =
        field.kind === 'sid'
          ? `${field.prefix} SID`
          : field.kind === 'true'
            ? '`true` only'
            : field.kind === 'string'
              ? 'string'
              : 'plain JSON object';
      const wire = field.wire === '' ? `\`${spec.key}\`` : `\`${spec.key}.${field.wire}\``;
      const rules = [
        field.required ? 'required' : '',
        field.widens ? `absent: ${field.widens}` : '',
        field.needs ? `needs \`${field.needs}\`` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const flag = field.flag ? `\`--${field.flag}\`` : '';
      return `| ${spec.name} | \`${field.option}\` | ${wire} | ${kind} | ${rules} | ${flag} | ${spec.regions.join(', ')} |`;
    }),
  );
  return [
    START,
    '| product | option | wire field | value | rules | CLI flag | regions |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    END,
  ].join('\n');
}

/** Every top-level field name inside a grant on the wire (`room`, `incoming`, `service_sid`...), from the tables. */
export const WIRE_FIELDS: readonly string[] = [
  ...new Set(CLI_PRODUCTS.flatMap((spec) => spec.fields.map((field) => field.wire.split('.')[0] as string))),
].filter((wire) => wire !== '');
