import { CLI_PRODUCTS } from '../grants/products.js';
import type { CliField, CliSpec } from '../grants/spec.js';

// The CLI's grant flags as help and errors show them, derived from the products' tables: a field
// with a `flag` is on its product's command (and on mint unless `mint: false`), in every usage line,
// and named in its errors, with nothing written here per field.

/** A field with a CLI flag. */
export type FlaggedField = CliField & { readonly flag: string };

/** Whether a field has a CLI flag. */
export function hasFlag(field: CliField): field is FlaggedField {
  return field.flag !== undefined;
}

/** A field's flag with its value: `--voice-app-sid AP...`, `--room-name NAME`, `--allow-incoming`. */
export function flagUsage(field: FlaggedField): string {
  const flag = `--${field.flag}`;
  if (field.kind === 'true') return flag;
  if (field.kind === 'sid') return `${flag} ${field.prefix}...`;
  return `${flag} ${field.flag.slice(field.flag.lastIndexOf('-') + 1).toUpperCase()}`;
}

/** The fields of a product with a flag on this command: its required ones, then `some`, then the rest. */
export function flagFields(spec: CliSpec, command: string): FlaggedField[] {
  const fields = spec.fields.filter(hasFlag).filter((f) => !(command === 'mint' && f.mint === false));
  const rank = (f: FlaggedField) => {
    if (f.required === true) return 0;
    const some = spec.some?.options.indexOf(f.option) ?? -1;
    return some === -1 ? fields.length + fields.indexOf(f) : 1 + some;
  };
  return fields.sort((a, b) => rank(a) - rank(b));
}

/** A field's flag in a usage line: bracketed unless the field is required. */
export function usageOf(field: FlaggedField): string {
  return field.required === true ? flagUsage(field) : `[${flagUsage(field)}]`;
}

/** The flags of mint that ask for a product's grant: its required and `some` fields, and those that narrow it. */
export function triggers(spec: CliSpec): FlaggedField[] {
  return spec.fields
    .filter(hasFlag)
    .filter(
      (f) =>
        f.mint !== false &&
        (f.required === true || f.widens !== undefined || spec.some?.options.includes(f.option) === true),
    );
}

/** What asks mint for a product's grant, for help and errors: `--video or --room-name`, `--workspace-sid and --worker-sid`. */
export function askedBy(spec: CliSpec): string {
  const asked = triggers(spec);
  const flags = [...(spec.mintFlag === undefined ? [] : [spec.mintFlag]), ...asked.map((f) => f.flag)];
  const join = spec.mintFlag === undefined && asked.every((f) => f.required === true) ? ' and ' : ' or ';
  return flags.map((f) => `--${f}`).join(join);
}

/** The flag an error path names (`grants.voice.outgoingApplicationSid` is `--voice-app-sid`). */
export const GRANT_FLAGS_BY_PATH: ReadonlyMap<string, string> = new Map(
  CLI_PRODUCTS.flatMap((spec) =>
    spec.fields.flatMap((f) => (f.flag === undefined ? [] : [[`grants.${spec.product}.${f.option}`, `--${f.flag}`]])),
  ),
);
