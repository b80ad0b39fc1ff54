/**
 * Seals the audit trail's checkpoints (electron/engine/audit/checkpoints.ts) with the Merkle
 * root of the trail at that size and, when a signer is unlocked, a signed checkpoint (JWS).
 * Pass it as `AuditLogOptions.sealer` where the workspace builds its AuditLog.
 *
 * It keeps the tree's frontier in memory and reads only the digests appended since the last
 * seal. A checkpoint is sealed inside the transaction that writes it; if that transaction rolls
 * back, the next seal notices (the last digest it saw is gone or different) and starts over.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CharterError } from '../../../shared/errors.ts';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { leafHashHex, toHex } from '../../../shared/merkle/hash.ts';
import { signCheckpoint } from '../../../shared/merkle/checkpoint.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import type { CheckpointSeal, CheckpointSealer } from '../audit/checkpoints.ts';
import { workspaceId } from './workspace-identity.ts';

export interface MerkleSealerOptions {
  /** Signs each checkpoint; null records roots only (e.g. while the key is locked). */
  readonly signer?: JwsSigner | null;
}

export class MerkleSealer implements CheckpointSealer {
  readonly #sqlite: BetterSqlite3.Database;
  readonly #signer: JwsSigner | null;
  readonly #workspace: string;
  readonly #digestAt: BetterSqlite3.Statement;
  readonly #digestsAfter: BetterSqlite3.Statement;
  #tree = new MerkleBuilder();
  #lastDigest: string | null = null;

  constructor(sqlite: BetterSqlite3.Database, options: MerkleSealerOptions = {}) {
    this.#sqlite = sqlite;
    this.#signer = options.signer ?? null;
    this.#workspace = workspaceId(sqlite);
    this.#digestAt = sqlite.prepare('select digest from audit_events where seq = ?').pluck();
    this.#digestsAfter = sqlite.prepare('select digest from audit_events where seq > ? and seq <= ? order by seq').pluck();
  }

  seal(checkpoint: { readonly treeSize: number; readonly headDigest: string; readonly createdAt: string }): CheckpointSeal {
    const { treeSize, headDigest, createdAt } = checkpoint;
    const size = this.#tree.size;
    if (size > treeSize || (size > 0 && this.#digestAt.get(size) !== this.#lastDigest)) {
      this.#tree = new MerkleBuilder();
      this.#lastDigest = null;
    }
    for (const digest of this.#digestsAfter.iterate(this.#tree.size, treeSize) as Iterable<string>) {
      this.#tree.pushLeafHash(leafHashHex(digest));
      this.#lastDigest = digest;
    }
    if (this.#tree.size !== treeSize || (treeSize > 0 && this.#lastDigest !== headDigest)) {
      throw new CharterError('chain_broken', `cannot seal checkpoint ${treeSize}: the trail does not end there with head ${headDigest}`);
    }
    const rootHash = toHex(this.#tree.root());
    if (!this.#signer) return { rootHash, signature: null, keyId: null };
    const signature = signCheckpoint({ treeSize, rootHash, headDigest, workspace: this.#workspace, ts: createdAt }, this.#signer);
    return { rootHash, signature, keyId: this.#signer.kid };
  }
}
