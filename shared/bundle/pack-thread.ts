/**
 * A Packer (./packer.ts) on a helper thread, so the calling thread only does the per-event
 * work (reading, chaining, Merkle leaves, lines) while this one hashes and deflates.
 *
 * The thread's code is plain JavaScript evaluated from a string: it needs only node:crypto and
 * node:zlib, and so starts the same from TypeScript sources (tsx) and from built files.
 * Streams are numbered; each message names its stream, and the thread answers in order.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { HASH_SIZE } from '../merkle/hash.ts';
import type { MerkleBuilder } from '../merkle/builder.ts';
import type { DeflateStream, HashStream, MerkleStream, OnHashMismatch, Packer, HashChecks, TreeSnapshot } from './packer.ts';
import type { PackedTotals } from './zip-writer.ts';

const THREAD_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const zlib = require('node:zlib');
const streams = new Map();
const LEAF = Buffer.alloc(33);
const NODE = Buffer.alloc(65);
NODE[0] = 1;
const crypto = require('node:crypto');
// One-shot hashing where the runtime has it (Node ≥ 20.12): a hash object per node costs twice as much.
const digest = crypto.hash ? (bytes) => crypto.hash('sha256', bytes, 'buffer') : (bytes) => createHash('sha256').update(bytes).digest();
const EMPTY = digest(Buffer.alloc(0));
const hex = crypto.hash ? (bytes) => crypto.hash('sha256', bytes, 'hex') : (bytes) => createHash('sha256').update(bytes).digest('hex');
parentPort.on('message', (m) => {
  let s = streams.get(m.id);
  if (s === undefined) {
    s = { content: createHash('sha256'), packed: createHash('sha256'), crc: 0, size: 0, packedSize: 0 };
    streams.set(m.id, s);
  }
  const chunk = m.chunk;
  if (m.op === 'deflate') {
    if (chunk.length > 0) {
      // (crc32 of an empty array answers 0 whatever the running value.)
      s.content.update(chunk);
      s.crc = zlib.crc32(chunk, s.crc);
      s.size += chunk.length;
    }
    const out = m.level < 0 ? chunk
      : zlib.deflateRawSync(chunk, { level: m.level, finishFlush: m.final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH });
    s.packed.update(out);
    s.packedSize += out.length;
    // Stored entries hand back the very bytes received; a copy is needed as they were transferred here.
    const packed = new Uint8Array(out);
    if (!m.final) {
      parentPort.postMessage({ id: m.id, packed, taken: chunk.length }, [packed.buffer]);
      return;
    }
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, packed, taken: chunk.length, sealed: {
      size: s.size, crc: s.crc, sha256: s.content.digest('hex'), packedSize: s.packedSize, packedSha256: s.packed.digest('hex'),
    } }, [packed.buffer]);
  } else if (m.op === 'tree') {
    s.tree = { size: m.size, hashes: m.frontier.map((h) => Buffer.from(h)), heights: m.heights, leaves: m.keep ? Buffer.allocUnsafe(32 * 4096) : null, kept: 0 };
  } else if (m.op === 'leaves') {
    const t = s.tree;
    for (let at = 0; at < chunk.length; at += 32) {
      LEAF.set(chunk.subarray(at, at + 32), 1);
      let h = digest(LEAF);
      if (t.leaves) {
        if (t.kept + 32 > t.leaves.length) {
          const grown = Buffer.allocUnsafe(t.leaves.length * 2);
          t.leaves.copy(grown, 0, 0, t.kept);
          t.leaves = grown;
        }
        h.copy(t.leaves, t.kept);
        t.kept += 32;
      }
      let height = 0;
      while (t.heights.length > 0 && t.heights[t.heights.length - 1] === height) {
        t.heights.pop();
        NODE.set(t.hashes.pop(), 1);
        NODE.set(h, 33);
        h = digest(NODE);
        height++;
      }
      t.hashes.push(h);
      t.heights.push(height);
      t.size++;
    }
    parentPort.postMessage({ id: m.id, taken: chunk.length });
  } else if (m.op === 'snapshot') {
    const t = s.tree;
    let root = EMPTY;
    if (t.hashes.length > 0) {
      root = t.hashes[t.hashes.length - 1];
      for (let i = t.hashes.length - 2; i >= 0; i--) {
        NODE.set(t.hashes[i], 1);
        NODE.set(root, 33);
        root = digest(NODE);
      }
    }
    const leaves = t.leaves ? t.leaves.subarray(0, t.kept) : null;
    parentPort.postMessage({ id: m.id, taken: 0, snapshot: { size: t.size, root, frontier: t.hashes.slice(), leaves } });
  } else if (m.op === 'payloads') {
    const bad = [];
    let at = 0;
    for (let i = 0; i < m.lengths.length; i++) {
      const end = at + m.lengths[i];
      if (hex(chunk.subarray(at, end)) !== m.expected.slice(i * 64, i * 64 + 64)) bad.push(i);
      at = end;
    }
    parentPort.postMessage({ id: m.id, taken: chunk.length, bad });
  } else if (m.op === 'hash') {
    if (chunk) s.content.update(chunk);
    if (!m.final) {
      parentPort.postMessage({ id: m.id, taken: chunk ? chunk.length : 0 });
      return;
    }
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, taken: chunk ? chunk.length : 0, digest: s.content.digest('hex') });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly taken: number;
  readonly packed?: Uint8Array;
  readonly sealed?: PackedTotals;
  readonly digest?: string;
  readonly snapshot?: TreeSnapshot;
  readonly bad?: readonly number[];
}

/** How many bytes may wait in the helper thread before write()rs are asked to wait (drain()). */
const MAX_IN_FLIGHT = 8 << 20;

export class PackThread implements Packer {
  readonly #worker: Worker;
  readonly #handlers = new Map<number, (reply: Reply) => void>();
  #nextId = 1;
  #inFlight = 0;
  #failure: Error | null = null;
  #waiters: (() => void)[] = [];

  constructor() {
    this.#worker = new Worker(THREAD_SOURCE, { eval: true });
    this.#worker.on('message', (reply: Reply) => {
      this.#inFlight -= reply.taken;
      this.#handlers.get(reply.id)?.(reply);
      this.#wake();
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', () => this.#fail(new Error('the bundle helper thread stopped')));
  }

  deflate(level: number, onPacked: (packed: Uint8Array, sealed: PackedTotals | null) => void): DeflateStream {
    const id = this.#nextId++;
    let ended: { resolve: (s: PackedTotals) => void; reject: (e: Error) => void } | null = null;
    this.#handlers.set(id, (reply) => {
      try {
        onPacked(reply.packed as Uint8Array, reply.sealed ?? null);
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
      if (reply.sealed) {
        this.#handlers.delete(id);
        ended?.resolve(reply.sealed);
      }
    });
    const post = (chunk: Uint8Array, final: boolean): void => {
      this.#check();
      this.#inFlight += chunk.length;
      // The caller gave the chunk away: its memory moves rather than being copied — unless it
      // lies in Node's shared pool of small buffers, which must stay here.
      const transfer = chunk.buffer.byteLength > Buffer.poolSize ? [chunk.buffer as ArrayBuffer] : [];
      this.#worker.postMessage({ op: 'deflate', id, chunk, final, level }, transfer);
    };
    // One chunk is held back so that the last is compressed as final: an entry written in one
    // chunk is then byte for byte what a one-shot deflate gives.
    let pending: Uint8Array | null = null;
    return {
      write: (chunk) => {
        if (chunk.length === 0) return;
        if (pending) post(pending, false);
        pending = chunk;
      },
      end: () => new Promise<PackedTotals>((resolve, reject) => {
        ended = { resolve, reject };
        this.#endWaiters.add(ended.reject);
        post(pending ?? new Uint8Array(0), true);
        pending = null;
      }).finally(() => {
        if (ended) this.#endWaiters.delete(ended.reject);
      }),
    };
  }

  hash(): HashStream {
    const id = this.#nextId++;
    let ended: { resolve: (d: string) => void; reject: (e: Error) => void } | null = null;
    this.#handlers.set(id, (reply) => {
      if (reply.digest !== undefined) {
        this.#handlers.delete(id);
        ended?.resolve(reply.digest);
      }
    });
    return {
      update: (chunk) => {
        if (chunk.length === 0) return;
        this.#check();
        this.#inFlight += chunk.length;
        // A copy of exactly these bytes (posting a view would copy its whole buffer), moved over.
        const copy = Uint8Array.prototype.slice.call(chunk);
        this.#worker.postMessage({ op: 'hash', id, chunk: copy, final: false }, [copy.buffer]);
      },
      digest: () => new Promise<string>((resolve, reject) => {
        this.#check();
        ended = { resolve, reject };
        this.#endWaiters.add(ended.reject);
        this.#worker.postMessage({ op: 'hash', id, chunk: null, final: true });
      }).finally(() => {
        if (ended) this.#endWaiters.delete(ended.reject);
      }),
    };
  }

  merkle(start: MerkleBuilder, keepLeaves: boolean): MerkleStream {
    const id = this.#nextId++;
    const frontier = start.frontier();
    const heights: number[] = [];
    for (let bit = 52; bit >= 0; bit--) if (Math.floor(start.size / 2 ** bit) % 2 === 1) heights.push(bit);
    this.#worker.postMessage({ op: 'tree', id, size: start.size, frontier, heights, keep: keepLeaves });
    const snapshots: { resolve: (s: TreeSnapshot) => void; reject: (e: Error) => void }[] = [];
    this.#handlers.set(id, (reply) => {
      if (reply.snapshot) {
        const waiter = snapshots.shift();
        if (waiter) this.#endWaiters.delete(waiter.reject);
        waiter?.resolve(reply.snapshot);
      }
    });
    const BATCH = 4096;
    let batch = Buffer.allocUnsafe(BATCH * HASH_SIZE);
    let used = 0;
    const flush = (): void => {
      if (used === 0) return;
      this.#check();
      const chunk = batch.subarray(0, used);
      this.#inFlight += used;
      this.#worker.postMessage({ op: 'leaves', id, chunk }, [batch.buffer as ArrayBuffer]);
      batch = Buffer.allocUnsafe(BATCH * HASH_SIZE);
      used = 0;
    };
    return {
      push: (digestHex) => {
        batch.write(digestHex, used, HASH_SIZE, 'hex');
        used += HASH_SIZE;
        if (used === batch.length) flush();
      },
      snapshot: () => new Promise<TreeSnapshot>((resolve, reject) => {
        flush();
        this.#check();
        snapshots.push({ resolve, reject });
        this.#endWaiters.add(reject);
        this.#worker.postMessage({ op: 'snapshot', id });
      }),
    };
  }

  hashChecks(onMismatch: OnHashMismatch): HashChecks {
    const id = this.#nextId++;
    const SIZE = 1 << 20;
    interface Batch { bytes: Buffer; used: number; lengths: number[]; seqs: number[]; texts: string[]; expected: string[] }
    const fresh = (): Batch => ({ bytes: Buffer.allocUnsafe(SIZE), used: 0, lengths: [], seqs: [], texts: [], expected: [] });
    let batch = fresh();
    const sent: Batch[] = [];
    let settled: (() => void) | null = null;
    this.#handlers.set(id, (reply) => {
      const done = sent.shift() as Batch;
      try {
        for (const i of reply.bad ?? []) onMismatch(done.seqs[i] as number, done.texts[i] as string, done.expected[i] as string);
      } catch (error) {
        this.#fail(error as Error);
      }
      if (sent.length === 0) settled?.();
    });
    const send = (): void => {
      if (batch.lengths.length === 0) return;
      this.#check();
      this.#inFlight += batch.used;
      const chunk = batch.bytes.subarray(0, batch.used);
      this.#worker.postMessage({ op: 'payloads', id, chunk, lengths: batch.lengths, expected: batch.expected.join('') }, [batch.bytes.buffer as ArrayBuffer]);
      sent.push(batch);
      batch = fresh();
    };
    return {
      push: (seq, text, expected) => {
        if (batch.used + text.length * 3 > SIZE) {
          send();
          if (text.length * 3 > SIZE) {
            // Too large for a batch: checked here.
            if (createHash('sha256').update(text).digest('hex') !== expected) onMismatch(seq, text, expected);
            return;
          }
        }
        const length = batch.bytes.write(text, batch.used);
        batch.used += length;
        batch.lengths.push(length);
        batch.seqs.push(seq);
        batch.texts.push(text);
        batch.expected.push(expected);
      },
      flush: () => new Promise<void>((resolve, reject) => {
        send();
        if (sent.length === 0) {
          resolve();
          return;
        }
        this.#endWaiters.add(reject);
        settled = () => {
          this.#endWaiters.delete(reject);
          resolve();
        };
      }),
    };
  }

  readonly #endWaiters = new Set<(e: Error) => void>();

  async drain(): Promise<void> {
    while (this.#inFlight > MAX_IN_FLIGHT) {
      this.#check();
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#check();
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const reject of this.#endWaiters) reject(this.#failure);
    this.#endWaiters.clear();
    this.#wake();
  }

  #check(): void {
    if (this.#failure) throw this.#failure;
  }
}
