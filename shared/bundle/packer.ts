/**
 * The bulk byte work of a bundle — SHA-256 and CRC-32 of whole entries, deflate — behind one
 * interface, done either on a helper thread (./pack-thread.ts, for large bundles: the calling
 * thread keeps only the per-event work) or inline (small bundles, where starting a thread
 * would cost more than it saves).
 */
import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';
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

export interface Packer {
  /**
   * Compresses (`level` ≥ 0) or stores (`level` < 0) one entry's content, hashing both sides.
   * `onPacked` receives the bytes to store, in order; the last with the entry's totals.
   */
  deflate(level: number, onPacked: (packed: Uint8Array, sealed: PackedTotals | null) => void): DeflateStream;
  hash(): HashStream;
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

  async drain(): Promise<void> {}

  async close(): Promise<void> {}
}
