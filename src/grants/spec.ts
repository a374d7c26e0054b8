import type { GrantProduct } from './grant.js';

// The shape of a product's tables. Each product file (video.ts, voice.ts...) holds, beside its
// factory, the table the factory reads (build.ts), its tooling table (name, Regions, twilio-node
// class), which products.ts joins to it for decoding, diagnose, the probe and the /twilio mapping,
// and its CLI table (command and flags), joined again for the CLI alone.

/**
 * How a field is checked and written:
 * - `string`: a non-empty string;
 * - `sid`: a SID with {@link GrantField.prefix}, named by {@link GrantField.label};
 * - `true`: a real boolean, written (as `true`) only when `true`;
 * - `json`: a plain JSON object, copied and frozen;
 * - `payload`: a non-empty plain JSON object that is the whole payload (playback).
 */
export type FieldKind = 'string' | 'sid' | 'true' | 'json' | 'payload';

/** One option of a grant factory and the wire field it becomes. */
export interface GrantField<O extends string = string> {
  /** The factory's option, which is also the field's name on twilio-node's grant class. */
  readonly option: O;
  /** Where it is written under the grant: `room`, `outgoing.application_sid` (nested), `''` (the whole payload). */
  readonly wire: string;
  /** How it is checked and written. */
  readonly kind: FieldKind;
  /** `sid`: the two-letter prefix, such as `'IS'`. */
  readonly prefix?: string;
  /** What the value must be, for messages: `'a Sync Service SID'`, `'a Room name or RM SID'`. */
  readonly label?: string;
  /** The option must be given. */
  readonly required?: true;
  /** What leaving it out allows (`'every Room'`): said where an `undefined` value is refused and by diagnose. */
  readonly widens?: string;
  /** The option this one is valid only with (voice params need the TwiML App SID). */
  readonly needs?: O;
}

/**
 * What a grant factory reads of its product: the product, its wire key and its fields. The tooling
 * (names, Regions, twilio-node class, CLI flags) is a separate table, so a bundle that only mints
 * does not carry it.
 */
export interface GrantTable<P extends GrantProduct = GrantProduct, O extends string = string> {
  /** The product, as `grant.product` and in error paths (`grants.taskRouter`). */
  readonly product: P;
  /** The grant's key under `grants` in the token payload. */
  readonly key: string;
  /** The options object may be left out (`videoGrant()`). */
  readonly optional: boolean;
  /** Its fields, in the order they are written (twilio-node's order). */
  readonly fields: readonly GrantField<O>[];
  /** A grant that sets none of these options allows nothing: refused, and a diagnose warning. */
  readonly some?: { readonly options: readonly O[]; readonly nothing: string };
}

/** What decoding, diagnose, the probe and /twilio read of a product, beside its {@link GrantTable}. */
export interface GrantTooling {
  /** The product's name in messages: `'Sync'`. */
  readonly name: string;
  /** The Twilio Regions that serve it (Twilio's "Regional product availability" page). */
  readonly regions: readonly string[];
  /** twilio-node's class for it, under `AccessToken`. */
  readonly twilio: string;
  /** Why it is legacy, for a diagnose warning. */
  readonly legacy?: string;
}

/** Everything this library knows about one grant product but its CLI: its table joined with its tooling. */
export interface GrantSpec<P extends GrantProduct = GrantProduct, O extends string = string>
  extends GrantTable<P, O>,
    GrantTooling {}

/** How the CLI sets an option: its flag on the product's command. */
export interface CliFlag {
  /** The CLI flag that sets it on the product's command. */
  readonly flag: string;
  /** `false`: the flag is not a flag of `mint` (a flag that more than one product has there). */
  readonly mint?: false;
}

/** What the CLI reads of a product, beside its {@link GrantSpec}. */
export interface GrantCli<O extends string = string> {
  /** The CLI command that mints it alone. */
  readonly command?: string;
  /** The flag of `mint` that asks for it with no field set (`--video`). */
  readonly mintFlag?: string;
  /** The flag of each option that has one. */
  readonly flags?: { readonly [K in O]?: CliFlag };
}

/** A field as the CLI reads it: with its flag, if it has one. */
export type CliField = GrantField & Partial<CliFlag>;

/** A product as the CLI reads it: its spec with its command, and its fields with their flags. */
export interface CliSpec extends GrantSpec, Omit<GrantCli, 'flags'> {
  readonly fields: readonly CliField[];
}

/** A product's CLI table, its options the keys of the factory's options type (`as const satisfies`). */
export type CliOf<Options> = GrantCli<Extract<keyof Options, string>>;

/** A product's table, its options the keys of the factory's options type (`as const satisfies`). */
export type SpecOf<P extends GrantProduct, Options> = GrantTable<P, Extract<keyof Options, string>> & {
  readonly fields: readonly GrantField<Extract<keyof Options, string>>[];
};

/** The first label of a Twilio product host: `conversations` is `https://conversations.twilio.com` in US1. */
export type ProductHost = 'api' | 'conversations' | 'sync' | 'taskrouter' | 'video' | 'chat';

/** Where Twilio serves the resource a SID field names: what the online probe fetches to see it exists. */
export interface SidResource {
  /** The product host that serves it. */
  readonly host: ProductHost;
  /** Its path: `{sid}` is the field's value, `{account}` the Account SID, `{<wire>}` another field of the grant. */
  readonly path: string;
  /** What it is, for messages: `'Sync Service'`. */
  readonly name: string;
  /** A push credential: its type and sandbox flag are checked too. */
  readonly push?: true;
}

/** The options of a table's SID fields. */
type SidOptionOf<F> = F extends { readonly kind: 'sid'; readonly option: infer O extends string } ? O : never;

/**
 * Where each SID field of a product's table is served: one entry per SID field, which the compiler
 * checks (`as const satisfies ResourcesOf<typeof CHAT>`). Kept beside the table but apart from it, so
 * a bundle that only mints does not carry what only the online probe reads.
 */
export type ResourcesOf<S extends { readonly fields: readonly unknown[] }> = {
  readonly [O in SidOptionOf<S['fields'][number]>]: SidResource;
};

/** The type decoding checks a wire field of this kind to have (claim-checks.ts checks the same). */
type DecodedValue<K> = K extends 'true'
  ? boolean
  : K extends 'json' | 'payload'
    ? Readonly<Record<string, unknown>>
    : string;

/** The fields of a product's table, as a union. */
export type FieldUnion<S> = S extends { readonly fields: readonly (infer F)[] } ? F : never;
/** The wire paths of some fields: `room`, `outgoing.params`, `''` (the whole payload). */
export type WireOf<F> = F extends { readonly wire: infer W extends string } ? W : never;
type KindAt<F, W> = F extends { readonly wire: W; readonly kind: infer K } ? K : never;
type OuterOf<W> = W extends `${infer A}.${string}` ? A : W;
type InnerOf<W, A extends string> = W extends `${A}.${infer I}` ? I : never;

/**
 * What decoding promises of a grant with these fields, derived from its table: each wire field,
 * when present, of its kind's type (`sid` and `string` a string, `true` a boolean, `json` an
 * object); `outgoing.params` nests under `outgoing`.
 */
export type DecodedFields<F, W extends string = WireOf<F>> = {
  readonly [A in OuterOf<W>]?: A extends W
    ? DecodedValue<KindAt<F, A>>
    : { readonly [I in InnerOf<W, A>]?: DecodedValue<KindAt<F, `${A}.${I}`>> };
};
