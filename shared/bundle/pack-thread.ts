/**
 * A Packer (./packer.ts) on a helper thread, so the calling thread only does the per-event
 * work (reading, chaining, Merkle leaves, lines) while this one hashes and deflates.
 *
 * The thread's code is plain JavaScript evaluated from a string: it needs only node:crypto and
 * node:zlib, and so starts the same from TypeScript sources (tsx) and from built files.
 * Streams are numbered; each message names its stream, and the thread answers in order.
 */
import { Worker } from 'node:worker_threads';
import type { DeflateStream, HashStream, Packer } from './packer.ts';
import type { PackedTotals } from './zip-writer.ts';

const THREAD_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const zlib = require('node:zlib');
const streams = new Map();
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
    this.#worker.unref();
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
      const transfer = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? [chunk.buffer as ArrayBuffer] : [];
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
