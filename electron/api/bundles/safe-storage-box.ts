/**
 * The desktop app's SecretBox: Electron's safeStorage (the OS keychain: Keychain on macOS, DPAPI
 * on Windows, libsecret/kwallet on Linux). On Linux safeStorage can fall back to `basic_text`,
 * which encrypts with a key hard-coded in Chromium — no protection at all — so that backend is
 * refused and the app asks for a passphrase instead. Takes safeStorage as a parameter: only
 * electron/main.ts imports 'electron'.
 */
import { CharterError } from '../../../shared/errors.ts';
import type { SecretBox } from '../../engine/keys/secret-box.ts';
import type { Keychain } from './host.ts';

/** The part of Electron's `safeStorage` this box uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only; other platforms do not have it. */
  getSelectedStorageBackend?: () => string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export const SAFE_STORAGE_KIND = 'safestorage';

/** Why safeStorage cannot protect a key here, or null when it can. */
export function safeStorageProblem(storage: SafeStorageLike, platform: string = process.platform): string | null {
  if (!storage.isEncryptionAvailable()) {
    return 'The system keychain is not available, so the signing key is sealed with a passphrase you type instead.';
  }
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return `The system keychain here is "${backend}", which stores secrets as plain text; Charter refuses it and seals the signing key with a passphrase you type instead. Install and unlock a keyring (GNOME Keyring or KWallet) to use the keychain.`;
    }
  }
  return null;
}

export class SafeStorageSecretBox implements SecretBox {
  readonly kind = SAFE_STORAGE_KIND;
  readonly #storage: SafeStorageLike;
  readonly #platform: string;

  constructor(storage: SafeStorageLike, platform: string = process.platform) {
    this.#storage = storage;
    this.#platform = platform;
  }

  available(): boolean {
    return safeStorageProblem(this.#storage, this.#platform) === null;
  }

  encrypt(plain: Uint8Array): Uint8Array {
    this.#require();
    // Key material is JSON text (a JWK); encryptString takes a string.
    return this.#storage.encryptString(Buffer.from(plain).toString('utf8'));
  }

  decrypt(sealed: Uint8Array): Uint8Array {
    this.#require();
    try {
      return Buffer.from(this.#storage.decryptString(Buffer.from(sealed)), 'utf8');
    } catch {
      throw new CharterError('unauthorized', 'the system keychain could not open the signing key (was it made under another user account?)');
    }
  }

  #require(): void {
    const problem = safeStorageProblem(this.#storage, this.#platform);
    if (problem) throw new CharterError('unauthorized', problem);
  }
}

/** The keychain the app offers: this box when it protects secrets, else none and why. */
export function safeStorageKeychain(storage: SafeStorageLike, platform: string = process.platform): Keychain {
  const problem = safeStorageProblem(storage, platform);
  return problem ? { box: null, problem } : { box: new SafeStorageSecretBox(storage, platform), problem: null };
}
