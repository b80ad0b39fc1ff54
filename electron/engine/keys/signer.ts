/**
 * Compact JWS signing with an Ed25519 private key. Synchronous (node:crypto) so a checkpoint
 * can be sealed inside the transaction that writes it; the result is an ordinary EdDSA JWS that
 * jose (and any RFC 8037 implementation) verifies.
 */
import type { KeyObject } from 'node:crypto';
import { createPrivateKey, sign } from 'node:crypto';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { JWS_ALG } from '../../../shared/merkle/jws.ts';

export interface PrivateJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
}

export class Ed25519Signer implements JwsSigner {
  readonly kid: string;
  readonly #key: KeyObject;

  constructor(kid: string, privateJwk: PrivateJwk) {
    this.kid = kid;
    this.#key = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  }

  sign(payload: Uint8Array, typ: string): string {
    const header = Buffer.from(JSON.stringify({ alg: JWS_ALG, kid: this.kid, typ })).toString('base64url');
    const input = `${header}.${Buffer.from(payload).toString('base64url')}`;
    return `${input}.${sign(null, Buffer.from(input), this.#key).toString('base64url')}`;
  }
}
