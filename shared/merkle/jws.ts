/**
 * Compact JWS over Charter's signed objects (checkpoints, bundle manifests). Verification is
 * deliberately narrow: EdDSA (Ed25519) only, the key chosen by `kid` from a trust list the
 * caller supplies — never from the signed object — and no header that could redirect trust
 * (`jwk`, `jku`, `x5u`, `x5c`, `crit`, unencoded payloads).
 */
import type { CryptoKey, JWK } from 'jose';
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose';

export const JWS_ALG = 'EdDSA';

/**
 * Produces a compact JWS over `payload` with `alg: EdDSA`, its `kid` and the given `typ`.
 * Synchronous, so checkpoints can be sealed inside the transaction that records them.
 */
export interface JwsSigner {
  readonly kid: string;
  sign(payload: Uint8Array, typ: string): string;
}

/** An Ed25519 public key as a JWK (RFC 8037), with `kid` = its RFC 7638 thumbprint. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly use?: 'sig';
  readonly alg?: 'EdDSA';
  /** Charter's own mark: a rotated-out key stays listed so old signatures still verify. */
  readonly status?: 'active' | 'retired';
}

export interface Jwks {
  readonly keys: readonly PublicJwk[];
}

export type JwsFailure = 'malformed' | 'algorithm' | 'untrusted_key' | 'signature';

export type JwsCheck =
  | { readonly ok: true; readonly kid: string; readonly payload: Uint8Array }
  | { readonly ok: false; readonly failure: JwsFailure; readonly kid: string | null; readonly message: string };

const B64URL = /^[A-Za-z0-9_-]*$/;
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'b64'];

/** RFC 7638 thumbprint (SHA-256) of an Ed25519 public key. */
export function ed25519Thumbprint(x: string): Promise<string> {
  return calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, 'sha256');
}

/**
 * Keys a verifier trusts, by kid. Built only from a source the verifier chose (a JWKS file,
 * the workspace's trust list). Each key's kid must be its thumbprint, so one key cannot pose
 * under another's name.
 */
export class TrustedKeys {
  readonly #keys = new Map<string, PublicJwk>();
  readonly #imported = new Map<string, Promise<CryptoKey | Uint8Array>>();

  private constructor() {}

  static async fromJwks(jwks: unknown, source = 'JWKS'): Promise<TrustedKeys> {
    const trusted = new TrustedKeys();
    const keys = (jwks as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new TypeError(`${source}: expected an object with a "keys" array`);
    for (const [i, key] of keys.entries()) {
      const k = key as Record<string, unknown>;
      if (k === null || typeof k !== 'object' || k.kty !== 'OKP' || k.crv !== 'Ed25519' || typeof k.x !== 'string'
        || !B64URL.test(k.x) || k.x.length !== 43) {
        throw new TypeError(`${source}: /keys/${i} is not an Ed25519 public key (kty OKP, crv Ed25519)`);
      }
      const kid = await ed25519Thumbprint(k.x);
      if (k.kid !== undefined && k.kid !== kid) {
        throw new TypeError(`${source}: /keys/${i} has kid ${String(k.kid)} but its thumbprint is ${kid}`);
      }
      trusted.#keys.set(kid, { kty: 'OKP', crv: 'Ed25519', x: k.x, kid });
    }
    return trusted;
  }

  get size(): number {
    return this.#keys.size;
  }

  has(kid: string): boolean {
    return this.#keys.has(kid);
  }

  kids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  /** The accepted keys, public fields only, with their computed kids. */
  jwks(): Jwks {
    return { keys: [...this.#keys.values()] };
  }

  key(kid: string): Promise<CryptoKey | Uint8Array> | undefined {
    const jwk = this.#keys.get(kid);
    if (!jwk) return undefined;
    let imported = this.#imported.get(kid);
    if (!imported) {
      imported = importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, JWS_ALG);
      this.#imported.set(kid, imported);
    }
    return imported;
  }
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Verifies one compact JWS against the trusted keys; the `typ` must be the expected one. */
export async function verifyJws(jws: unknown, trusted: TrustedKeys, typ: string): Promise<JwsCheck> {
  const fail = (failure: JwsFailure, message: string, kid: string | null = null): JwsCheck => ({ ok: false, failure, kid, message });
  if (typeof jws !== 'string') return fail('malformed', 'a signature is not a compact JWS string');
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return fail('malformed', 'a signature is not a compact JWS (three base64url parts)');
  const header = decodeJson(parts[0] as string);
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return fail('malformed', 'a signature has an unreadable protected header');
  const h = header as Record<string, unknown>;
  if (h.alg !== JWS_ALG) return fail('algorithm', `a signature uses alg ${JSON.stringify(h.alg)}; only EdDSA is accepted`);
  const forbidden = FORBIDDEN_HEADERS.find((name) => name in h);
  if (forbidden) return fail('malformed', `a signature carries a "${forbidden}" header, which Charter refuses`);
  if (typeof h.kid !== 'string') return fail('malformed', 'a signature has no kid');
  const kid = h.kid;
  if (h.typ !== typ) return fail('malformed', `a signature has typ ${JSON.stringify(h.typ)}, expected ${typ}`, kid);
  const key = trusted.key(kid);
  if (!key) return fail('untrusted_key', `signed by key ${kid}, which is not trusted`, kid);
  try {
    const { payload } = await compactVerify(jws, await key, { algorithms: [JWS_ALG] });
    return { ok: true, kid, payload };
  } catch {
    return fail('signature', `the signature that names key ${kid} does not verify with that key`, kid);
  }
}
