import { afterSigning, failure, type Signer } from '../crypto/signer.js';
import type { Grant } from '../grants/index.js';
import { assertCredentials, type Credentials } from './credentials.js';
import type { Keyring } from './keyring/core.js';
import { type KeyPlan, keyPlans, type Lifetime, type Minted, sign } from './sign-token.js';

// The token handlers' minter. A handler validates its options once, when it is created (a
// credentials function's result or the environment: once per request, see handlers/core), so this
// minter takes those settings as they are: it reads and checks no option again. Identity and grants
// are still checked per token, by sign().

/** Where a token's key comes from: validated credentials, or a keyring this copy built. */
export type SigningSource =
  | { readonly credentials: Credentials; readonly keyring?: undefined }
  | { readonly credentials?: undefined; readonly keyring: Keyring };

/** What a handler validated: its signing source, its ttl (within a keyring's maxTtl) and region. */
export type ValidatedMinterSettings = SigningSource & {
  readonly ttl: number;
  readonly region: string | undefined;
};

/** A signed token, its `exp`, and the key that signed it (a keyring's key at mint time), for the audit. */
export interface SignedBy extends Minted {
  /** The API Key SID that signed it: the token's `iss`. */
  readonly apiKeySid: string;
}

/** A handler's minter: synchronous with node:crypto, Promises with WebCrypto. */
export type ValidatedMinter = (identity: string, grants: Grant | readonly Grant[]) => SignedBy | Promise<SignedBy>;

/**
 * Makes the handlers' minter factory for a platform; internal. Signs HS256 (the handlers take no
 * algorithm) with no `nbf`, as createTokenMinter would with the same options.
 */
export function makeValidatedMinter<S extends string | Promise<string>>(signer: Signer<S, boolean | Promise<boolean>>) {
  const planFor = keyPlans(signer);
  return (settings: ValidatedMinterSettings): ValidatedMinter => {
    // A page must not hold the secret: refused here as createTokenMinter refuses it.
    signer.assertRuntime(false);
    const { keyring, region } = settings;
    const lifetime: Lifetime = { ttl: settings.ttl, nbf: undefined, keyring };
    // A keyring's signing key is picked per token (a pending key takes over at its signFrom); a key
    // seen before is answered from assertCredentials' cache, so each key's plan is made once.
    const planAt: (now: number) => KeyPlan =
      keyring === undefined
        ? constant(planFor(settings.credentials, 'HS256', region))
        : (now) => planFor(assertCredentials(keyring.signing(now)), 'HS256', region);
    return (identity, grants) => {
      try {
        const now = Date.now() / 1000;
        const plan = planAt(now);
        const { apiKeySid } = plan.credentials;
        const minted: Minted | Promise<Minted> = sign(signer, { plan, lifetime, identity, grants, now });
        return afterSigning(minted, ({ token, exp }) => ({ token, exp, apiKeySid }));
      } catch (error) {
        return failure<Promise<SignedBy>>(signer, error);
      }
    };
  };
}

function constant<T>(value: T): () => T {
  return () => value;
}
