/**
 * The bulk byte work of a bundle — SHA-256 and CRC-32 of whole entries, deflate — behind one
 * interface, done either on a helper thread (./pack-thread.ts, for large bundles: the calling
 * thread keeps only the per-event work) or inline (small bundles, where starting a thread
 * would cost more than it saves).
 */
import { createHash, hash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { MerkleBuilder } from '../merkle/builder.ts';
import { HASH_SIZE, leafHashHex } from '../merkle/hash.ts';
import { PackThread } from './pack-thread.ts';
import type { PackedTotals } from './zip-writer.ts';

export interface DeflateStream {
  /** Takes ownership of `chunk`: the caller must not change it afterwards. */
  write(chunk: Uint8Array): void;
  /** Resolves once every stored chunk has been handed over. */
  end(): Promise<PackedTotals>;
}

export interface HashStream {
  /** Hashes `chunk` (a copy of it when on another thread: the caller keeps its bytes). */
  update(chunk: Uint8Array): void;
  digest(): Promise<string>;
}

/** A Merkle tree's state after some leaves: see shared/merkle/builder.ts. */
export interface TreeSnapshot {
  readonly size: number;
  readonly root: Uint8Array;
  /** Perfect-subtree roots, largest first. */
  readonly frontier: readonly Uint8Array[];
  /** Every leaf hash so far, 32 bytes each, when the stream was asked to keep them. */
  readonly leaves: Uint8Array | null;
}

/** RFC 9162 tree head over a stream of event digests (leaf = SHA-256(0x00 ‖ digest)). */
export interface MerkleStream {
  /** One event's digest, 64 hex digits. */
  push(digestHex: string): void;
  /** The tree as of the leaves pushed so far. */
  snapshot(): Promise<TreeSnapshot>;
}

/**
 * SHA-256 of many small texts (intact payloads, chained headers), each compared with its
 * expected hash. A mismatch is handed to `onMismatch` (with the text, for a closer look) — at
 * once inline, a little later from the helper thread, and always before flush() resolves.
 */
export interface HashChecks {
  /** `expected`: 64 hex digits. */
  push(seq: number, text: string, expected: string): void;
  flush(): Promise<void>;
}

export type OnHashMismatch = (seq: number, text: string, expected: string) => void;

export interface Packer {
  /**
   * Compresses (`level` ≥ 0) or stores (`level` < 0) one entry's content, hashing both sides.
   * `onPacked` receives the bytes to store, in order; the last with the entry's totals.
   */
  deflate(level: number, onPacked: (packed: Uint8Array, sealed: PackedTotals | null) => void): DeflateStream;
  hash(): HashStream;
  /**
   * Continues the tree of `start` (validated: MerkleBuilder.fromFrontier) with pushed digests;
   * `keepLeaves` keeps every leaf hash pushed (for consistency proofs), starting at an empty tree.
   */
  merkle(start: MerkleBuilder, keepLeaves: boolean): MerkleStream;
  hashChecks(onMismatch: OnHashMismatch): HashChecks;
  /** Waits while too much is queued for the helper thread (memory stays bounded). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Below this many bytes of content a helper thread is not worth starting. */
export const THREAD_THRESHOLD = 8 << 20;

export function openPacker(useThread: boolean): Packer {
  return useThread ? new PackThread() : new InlinePacker();
}

class InlinePacker implements Packer {
  deflate(level: number, onPacked: (packed: Uint8Array, sealed: PackedTotals | null) => void): DeflateStream {
    const content = createHash('sha256');
    const packed = createHash('sha256');
    let crc = 0;
    let size = 0;
    let packedSize = 0;
    const emit = (chunk: Uint8Array, final: boolean): Uint8Array => {
      const out = level < 0 ? chunk : deflateRawSync(chunk, { level, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
      packed.update(out);
      packedSize += out.length;
      return out;
    };
    // As on the thread: one chunk held back so that the last is compressed as final.
    let pending: Uint8Array | null = null;
    return {
      write: (chunk) => {
        if (chunk.length === 0) return;
        content.update(chunk);
        crc = crc32(chunk, crc);
        size += chunk.length;
        if (pending) onPacked(emit(pending, false), null);
        pending = chunk;
      },
      end: async () => {
        const out = emit(pending ?? new Uint8Array(0), true);
        pending = null;
        const sealed = { size, crc, sha256: content.digest('hex'), packedSize, packedSha256: packed.digest('hex') };
        onPacked(out, sealed);
        return sealed;
      },
    };
  }

  hash(): HashStream {
    const hasher = createHash('sha256');
    return { update: (chunk) => hasher.update(chunk), digest: async () => hasher.digest('hex') };
  }

  merkle(start: MerkleBuilder, keepLeaves: boolean): MerkleStream {
    const tree = start;
    let kept = keepLeaves ? Buffer.allocUnsafe(HASH_SIZE * 1024) : null;
    let used = 0;
    return {
      push: (digestHex) => {
        const leaf = leafHashHex(digestHex);
        if (kept) {
          if (used + HASH_SIZE > kept.length) kept = Buffer.concat([kept.subarray(0, used), Buffer.allocUnsafe(kept.length)]);
          kept.set(leaf, used);
          used += HASH_SIZE;
        }
        tree.pushLeafHash(leaf);
      },
      snapshot: async () => ({ size: tree.size, root: tree.root(), frontier: tree.frontier(), leaves: kept ? kept.subarray(0, used) : null }),
    };
  }

  hashChecks(onMismatch: OnHashMismatch): HashChecks {
    return {
      push: (seq, text, expected) => {
        if (hash('sha256', text, 'hex') !== expected) onMismatch(seq, text, expected);
      },
      flush: async () => {},
    };
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {}
}
