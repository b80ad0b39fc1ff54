/**
 * Where private keys are sealed at rest. The CLI uses a passphrase (this file); the desktop app
 * uses Electron's safeStorage, implemented in electron/main — it must report `available()`
 * false when safeStorage's backend is 'basic_text' (a plain-text fallback is no protection).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { CharterError } from '../../../shared/errors.ts';

export interface SecretBox {
  /** Stored with each sealed key, so a key is never opened with the wrong kind of box. */
  readonly kind: string;
  /** False when this box cannot protect secrets here (no passphrase, no OS keychain). */
  available(): boolean;
  encrypt(plain: Uint8Array): Uint8Array;
  /** Throws CharterError 'unauthorized' when the bytes do not open (wrong passphrase, tampering). */
  decrypt(sealed: Uint8Array): Uint8Array;
}

const MAGIC = Buffer.from('CHP1');
const SALT = 16;
const IV = 12;
const TAG = 16;

export interface PassphraseBoxOptions {
  /** log2 of scrypt's cost N; 15 by default (≈ 32 MB, ~0.1 s). Tests may lower it. */
  readonly costLog2?: number;
}

/** scrypt(passphrase, salt) → AES-256-GCM. Layout: "CHP1" ‖ log2 N ‖ salt ‖ iv ‖ tag ‖ ciphertext. */
export class PassphraseSecretBox implements SecretBox {
  readonly kind = 'passphrase';
  readonly #passphrase: string;
  readonly #costLog2: number;

  constructor(passphrase: string, options: PassphraseBoxOptions = {}) {
    this.#passphrase = passphrase;
    this.#costLog2 = options.costLog2 ?? 15;
  }

  available(): boolean {
    return this.#passphrase.length > 0;
  }

  encrypt(plain: Uint8Array): Uint8Array {
    this.#requirePassphrase();
    const salt = randomBytes(SALT);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.#key(salt, this.#costLog2), iv);
    cipher.setAAD(MAGIC);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.from([this.#costLog2]), salt, iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Uint8Array): Uint8Array {
    this.#requirePassphrase();
    const bytes = Buffer.from(sealed);
    const head = MAGIC.length + 1;
    if (bytes.length < head + SALT + IV + TAG || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new CharterError('unauthorized', 'the sealed key is not in passphrase format');
    }
    const costLog2 = bytes[MAGIC.length] as number;
    if (costLog2 < 10 || costLog2 > 20) throw new CharterError('unauthorized', 'the sealed key has an unusable scrypt cost');
    const salt = bytes.subarray(head, head + SALT);
    const iv = bytes.subarray(head + SALT, head + SALT + IV);
    const tag = bytes.subarray(head + SALT + IV, head + SALT + IV + TAG);
    const decipher = createDecipheriv('aes-256-gcm', this.#key(salt, costLog2), iv);
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(head + SALT + IV + TAG)), decipher.final()]);
    } catch {
      throw new CharterError('unauthorized', 'the passphrase does not open the signing key (wrong passphrase?)');
    }
  }

  #key(salt: Uint8Array, costLog2: number): Buffer {
    const N = 2 ** costLog2;
    return scryptSync(this.#passphrase, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  }

  #requirePassphrase(): void {
    if (!this.available()) {
      throw new CharterError('unauthorized', 'signing keys need a passphrase: set CHARTER_PASSPHRASE or enter one when asked');
    }
  }
}
