/**
 * The workspace's signing keys and trust list. A signing key is made on first use, can be
 * rotated (the old one stays, retired, so what it signed still verifies), and its private half
 * is only ever stored sealed by a SecretBox. Trusted keys are the public keys this workspace
 * accepts signatures from; they come from files the user names, never from a bundle.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { exportJWK, generateKeyPair } from 'jose';
import { CharterError } from '../../../shared/errors.ts';
import type { JwsSigner, Jwks, PublicJwk } from '../../../shared/merkle/jws.ts';
import { TrustedKeys, ed25519Thumbprint } from '../../../shared/merkle/jws.ts';
import type { WorkspaceDb } from '../store/database.ts';
import type { SecretBox } from './secret-box.ts';
import type { PrivateJwk } from './signer.ts';
import { Ed25519Signer } from './signer.ts';

export interface SigningKeyInfo {
  readonly kid: string;
  readonly status: 'active' | 'retired';
  readonly box: string;
  readonly createdAt: string;
  readonly retiredAt: string | null;
  readonly publicJwk: PublicJwk;
}

export interface TrustedKeyInfo {
  readonly kid: string;
  readonly label: string;
  readonly addedAt: string;
  readonly publicJwk: PublicJwk;
}

/** Receives `key.created` / `key.rotated` for the audit trail (AuditLog.append fits). */
export interface KeyAuditSink {
  append(entry: { readonly type: 'key.created' | 'key.rotated'; readonly payload: unknown }): unknown;
}

export interface KeyStoreOptions {
  readonly now?: () => string;
  readonly audit?: KeyAuditSink;
}

type SigningRow = [string, string, string, string, string, string | null];
type TrustedRow = [string, string, string, string];

export class KeyStore {
  readonly #sqlite: BetterSqlite3.Database;
  readonly #box: SecretBox;
  readonly #now: () => string;
  readonly #audit: KeyAuditSink | undefined;
  #signer: { readonly kid: string; readonly signer: JwsSigner } | undefined;

  constructor(db: Pick<WorkspaceDb, 'sqlite'>, box: SecretBox, options: KeyStoreOptions = {}) {
    this.#sqlite = db.sqlite;
    this.#box = box;
    this.#now = options.now ?? (() => new Date().toISOString());
    this.#audit = options.audit;
  }

  list(): readonly SigningKeyInfo[] {
    const rows = this.#sqlite
      .prepare('select kid, public_jwk, box, status, created_at, retired_at from signing_keys order by created_at, kid')
      .raw().all() as SigningRow[];
    return rows.map(signingInfo);
  }

  active(): SigningKeyInfo | undefined {
    return this.list().find((k) => k.status === 'active');
  }

  /** Makes the first signing key. Refused when one is active: rotate instead. */
  async create(): Promise<SigningKeyInfo> {
    const current = this.active();
    if (current) throw new CharterError('conflict', `signing key ${current.kid} is already active; use "keys rotate" to replace it`);
    return this.#generate(null);
  }

  /** The active key, made now if there is none. */
  async ensure(): Promise<SigningKeyInfo> {
    return this.active() ?? this.#generate(null);
  }

  /** A new active key; the previous one is kept as retired. */
  async rotate(): Promise<SigningKeyInfo> {
    return this.#generate(this.active() ?? null);
  }

  /** A signer for the active key (made on first use). Opens the sealed private key once. */
  async signer(): Promise<JwsSigner> {
    const key = await this.ensure();
    if (this.#signer?.kid === key.kid) return this.#signer.signer;
    const row = this.#sqlite.prepare('select sealed_private, box from signing_keys where kid = ?').raw().get(key.kid) as
      | [Uint8Array, string]
      | undefined;
    if (!row) throw new CharterError('not_found', `signing key ${key.kid} is missing`);
    if (row[1] !== this.#box.kind) {
      throw new CharterError('unauthorized', `signing key ${key.kid} is sealed by ${row[1]}, not ${this.#box.kind}; open it where it was made`);
    }
    const jwk = JSON.parse(Buffer.from(this.#box.decrypt(row[0])).toString('utf8')) as PrivateJwk;
    const signer = new Ed25519Signer(key.kid, jwk);
    this.#signer = { kid: key.kid, signer };
    return signer;
  }

  /** Every own public key (active and retired) as a JWKS; what others should trust. */
  publicJwks(): Jwks {
    return { keys: this.list().map((k) => ({ ...k.publicJwk, status: k.status })) };
  }

  trustedList(): readonly TrustedKeyInfo[] {
    const rows = this.#sqlite.prepare('select kid, public_jwk, label, added_at from trusted_keys order by added_at, kid')
      .raw().all() as TrustedRow[];
    return rows.map(([kid, jwk, label, addedAt]) => ({ kid, label, addedAt, publicJwk: JSON.parse(jwk) as PublicJwk }));
  }

  trustedJwks(): Jwks {
    return { keys: this.trustedList().map((k) => k.publicJwk) };
  }

  trustedKeys(): Promise<TrustedKeys> {
    return TrustedKeys.fromJwks(this.trustedJwks(), 'trusted keys');
  }

  /** Trusts every key of a JWKS (or one JWK). Returns the kids now trusted. */
  async trust(jwksOrJwk: unknown, label = '', source = 'JWKS'): Promise<readonly string[]> {
    const input = jwksOrJwk !== null && typeof jwksOrJwk === 'object' && 'keys' in jwksOrJwk ? jwksOrJwk : { keys: [jwksOrJwk] };
    const { keys } = (await TrustedKeys.fromJwks(input, source)).jwks();
    const insert = this.#sqlite.prepare(`insert into trusted_keys (kid, public_jwk, label, added_at) values (?, ?, ?, ?)
      on conflict (kid) do update set label = excluded.label where excluded.label <> ''`);
    const now = this.#now();
    this.#sqlite.transaction(() => {
      for (const key of keys) insert.run(key.kid, JSON.stringify(key), label, now);
    })();
    return keys.map((k) => k.kid);
  }

  untrust(kid: string): void {
    const changes = this.#sqlite.prepare('delete from trusted_keys where kid = ?').run(kid).changes;
    if (changes === 0) throw new CharterError('not_found', `key ${kid} is not in this workspace's trusted keys`);
  }

  async #generate(previous: SigningKeyInfo | null): Promise<SigningKeyInfo> {
    if (!this.#box.available()) {
      throw new CharterError('unauthorized', `cannot seal a signing key: the ${this.#box.kind} secret box is not available here`);
    }
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    if (typeof jwk.x !== 'string' || typeof jwk.d !== 'string') throw new CharterError('internal', 'key generation returned no Ed25519 key');
    const kid = await ed25519Thumbprint(jwk.x);
    const pub: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, use: 'sig', alg: 'EdDSA' };
    const sealed = this.#box.encrypt(Buffer.from(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d })));
    const now = this.#now();
    this.#sqlite.transaction(() => {
      if (previous) {
        this.#sqlite.prepare(`update signing_keys set status = 'retired', retired_at = ? where kid = ?`).run(now, previous.kid);
      }
      this.#sqlite.prepare(`insert into signing_keys (kid, public_jwk, sealed_private, box, status, created_at)
        values (?, ?, ?, ?, 'active', ?)`).run(kid, JSON.stringify(pub), sealed, this.#box.kind, now);
      // The workspace's own keys are trusted in it: they were made here, not read from a bundle.
      this.#sqlite.prepare(`insert or ignore into trusted_keys (kid, public_jwk, label, added_at) values (?, ?, ?, ?)`)
        .run(kid, JSON.stringify(publicJwk(jwk.x as string, kid)), 'own key', now);
      this.#audit?.append(previous
        ? { type: 'key.rotated', payload: { kid, previousKid: previous.kid } }
        : { type: 'key.created', payload: { kid } });
    })();
    return { kid, status: 'active', box: this.#box.kind, createdAt: now, retiredAt: null, publicJwk: pub };
  }
}

function publicJwk(x: string, kid: string): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x, kid };
}

function signingInfo([kid, jwk, box, status, createdAt, retiredAt]: SigningRow): SigningKeyInfo {
  return { kid, box, status: status as 'active' | 'retired', createdAt, retiredAt, publicJwk: JSON.parse(jwk) as PublicJwk };
}
