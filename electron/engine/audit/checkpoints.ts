/**
 * Checkpoints: the trail's size and head digest recorded at a moment, every N events and on
 * demand. A checkpoint pins the chain: verification checks each one against the event it names,
 * so a trail cut short or rewritten below a checkpoint is caught.
 *
 * Merkle roots and signatures come later (issue #4): a `CheckpointSealer` receives each new
 * checkpoint inside the transaction that writes it and returns what to store beside it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { WorkspaceDb } from '../store/database.ts';

export const DEFAULT_CHECKPOINT_EVERY = 1000;

export interface Checkpoint {
  readonly treeSize: number;
  readonly headDigest: string;
  readonly rootHash: string | null;
  readonly signature: string | null;
  readonly keyId: string | null;
  readonly createdAt: string;
}

export interface CheckpointSeal {
  readonly rootHash: string | null;
  readonly signature: string | null;
  readonly keyId: string | null;
}

export interface CheckpointSealer {
  seal(checkpoint: { readonly treeSize: number; readonly headDigest: string; readonly createdAt: string }): CheckpointSeal;
}

/** Records checkpoints with no root hash and no signature. */
export const UNSEALED: CheckpointSealer = { seal: () => ({ rootHash: null, signature: null, keyId: null }) };

type CheckpointRow = [number, string, string | null, string | null, string | null, string];

const COLUMNS = 'tree_size, head_digest, root_hash, signature, key_id, created_at';

function fromRow(row: CheckpointRow): Checkpoint {
  return { treeSize: row[0], headDigest: row[1], rootHash: row[2], signature: row[3], keyId: row[4], createdAt: row[5] };
}

/** Writes checkpoints on one connection; statements are prepared once. */
export class CheckpointWriter {
  readonly #insert: BetterSqlite3.Statement;
  readonly #select: BetterSqlite3.Statement;
  readonly #sealer: CheckpointSealer;

  constructor(sqlite: BetterSqlite3.Database, sealer: CheckpointSealer = UNSEALED) {
    this.#sealer = sealer;
    this.#insert = sqlite.prepare(`insert or ignore into checkpoints (${COLUMNS}) values (?, ?, ?, ?, ?, ?)`);
    this.#select = sqlite.prepare(`select ${COLUMNS} from checkpoints where tree_size = ?`).raw();
  }

  /**
   * Records a checkpoint at `treeSize` unless one exists there; returns the stored one.
   * Runs in the caller's transaction, if any.
   */
  write(treeSize: number, headDigest: string, createdAt: string): Checkpoint {
    const existing = this.#select.get(treeSize) as CheckpointRow | undefined;
    if (existing) return fromRow(existing);
    const seal = this.#sealer.seal({ treeSize, headDigest, createdAt });
    this.#insert.run(treeSize, headDigest, seal.rootHash, seal.signature, seal.keyId, createdAt);
    return { treeSize, headDigest, ...seal, createdAt };
  }
}

/** Every checkpoint, oldest first. */
export function listCheckpoints(db: Pick<WorkspaceDb, 'sqlite'>): readonly Checkpoint[] {
  const rows = db.sqlite.prepare(`select ${COLUMNS} from checkpoints order by tree_size`).raw().all() as CheckpointRow[];
  return rows.map(fromRow);
}

export function latestCheckpoint(db: Pick<WorkspaceDb, 'sqlite'>): Checkpoint | undefined {
  const row = db.sqlite.prepare(`select ${COLUMNS} from checkpoints order by tree_size desc limit 1`).raw().get() as
    | CheckpointRow
    | undefined;
  return row ? fromRow(row) : undefined;
}
