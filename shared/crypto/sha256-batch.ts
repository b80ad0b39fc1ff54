/**
 * Batched SHA-256 of many short messages (chained headers, payloads, Merkle leaves and nodes).
 *
 * Why not just `crypto.hash`: our CPUs have no SHA instructions, and for a 33–450 byte message
 * Node's per-call overhead (~1.7–2 µs) dwarfs the hashing itself (~0.17 µs per 64-byte block).
 * So messages are laid end to end in WebAssembly memory with an (offset, length) table and one
 * call hashes them all: a 4-lane multi-buffer SHA-256 in WASM SIMD (i32x4), where each lane
 * walks its own message and takes the next one when it ends (sha256-simd-wat.ts generates it).
 * Where WASM SIMD is missing, the same interface hashes each message with node:crypto.
 *
 * Messages longer than DIRECT_HASH_BYTES are hashed at end() with node:crypto (one lane on a
 * long message would keep the other three idle) and their digest stored in their slot.
 */
import { createHash, hash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SHA256_SIMD_MODULE_DEFLATED } from './sha256-simd-module.ts';
import { SHA256_LAYOUT, SKIP_LENGTH } from './sha256-simd-wat.ts';

export interface Sha256Batch {
  /** Which implementation: 'wasm-simd' or 'node'. */
  readonly kind: 'wasm-simd' | 'node';
  /** Messages added since the last reset(). */
  readonly count: number;
  /** Starts a new message; write() its parts, then end() returns its index (0-based since reset()). */
  begin(): void;
  /** Appends to the open message; strings are UTF-8 encoded straight into the batch. */
  write(part: Uint8Array | string): void;
  end(): number;
  /** add(x) = begin(); write(x); return end(). */
  add(message: Uint8Array | string): number;
  /** add(source.subarray(start, end)), without making the view. */
  addRange(source: Buffer, start: number, end: number): number;
  /** True when a message of `bytes` more would still fit without growing (callers run() and reset() when false). */
  hasRoom(bytes: number): boolean;
  /** Hashes every message added since reset() (only those not hashed by an earlier run()). */
  run(): void;
  /** After run(): the 32-byte digest of message i — a view valid until the next reset()/add. */
  digest(i: number): Uint8Array;
  /** After run(): whether message i's digest equals `expected` (32 bytes, or 64 lowercase hex chars) — no allocation. */
  matches(i: number, expected: Uint8Array | string): boolean;
  /** After run(): all digests, 32 bytes each, in order (a view). */
  digests(): Uint8Array;
  reset(): void;
}

export interface Sha256BatchOptions {
  readonly implementation?: 'auto' | 'wasm-simd' | 'node';
  /** Bytes of message data held before the batch grows (default 1 MiB). */
  readonly capacityBytes?: number;
  /** Messages held before the batch grows (default 8192). */
  readonly maxMessages?: number;
}

export const SHA256_BYTES = 32;
/** Longer messages go to node:crypto at end(): as fast per byte, and they would idle 3 lanes. */
export const DIRECT_HASH_BYTES = 16 * 1024;

const DEFAULT_CAPACITY = 1 << 20;
const DEFAULT_MAX_MESSAGES = 8192;
const PAGE = 65536;

// The project's TypeScript lib has no WebAssembly declarations: the little we use, typed here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
}
type WasmModule = object;

interface SimdExports {
  readonly memory: WasmMemory;
  hash_many(table: number, count: number, out: number): void;
  hash_leaves(input: number, out: number, n: number): void;
  hash_nodes(input: number, out: number, n: number): void;
}

const wasmApi = (globalThis as unknown as { readonly WebAssembly?: WasmApi }).WebAssembly;
let simdModule: WasmModule | null | undefined;

/**
 * The compiled SIMD module, once per thread; null where WebAssembly SIMD is unavailable.
 * V8 runs it first in its baseline tier (a few times slower) and swaps in optimized code after
 * the first large run, so the first batch of a process costs more than the rest.
 */
function compiledSimdModule(): WasmModule | null {
  if (simdModule === undefined) {
    simdModule = null;
    if (wasmApi !== undefined) {
      try {
        const bytes = inflateRawSync(Buffer.from(SHA256_SIMD_MODULE_DEFLATED, 'base64'));
        if (wasmApi.validate(bytes)) simdModule = new wasmApi.Module(bytes);
      } catch {
        // Compilation refused (a policy that forbids it, or out of memory): node:crypto it is.
      }
    }
  }
  return simdModule;
}

/** Whether the WASM SIMD implementation can run here. */
export function sha256SimdAvailable(): boolean {
  return compiledSimdModule() !== null;
}

function instantiate(module: WasmModule): SimdExports {
  return new wasmApi!.Instance(module, {}).exports as SimdExports;
}

/** Where the bytes live and how a range of table entries is hashed. */
interface Backing {
  readonly kind: 'wasm-simd' | 'node';
  /** Makes the memory at least `bytes` long; returns its (possibly new) buffer. */
  ensure(bytes: number): ArrayBuffer;
  hashRange(bytes: Uint8Array, table: Uint32Array, tableAddr: number, digestAddr: number, from: number, to: number): void;
}

function wasmBacking(exports: SimdExports): Backing {
  const memory = exports.memory;
  return {
    kind: 'wasm-simd',
    ensure(bytes) {
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
      return memory.buffer;
    },
    hashRange(_bytes, _table, tableAddr, digestAddr, from, to) {
      exports.hash_many(tableAddr + 8 * from, to - from, digestAddr + SHA256_BYTES * from);
    },
  };
}

function nodeBacking(): Backing {
  let buffer = new ArrayBuffer(0);
  return {
    kind: 'node',
    ensure(bytes) {
      if (bytes > buffer.byteLength) {
        const next = new ArrayBuffer(Math.ceil(bytes / PAGE) * PAGE);
        new Uint8Array(next).set(new Uint8Array(buffer));
        buffer = next;
      }
      return buffer;
    },
    hashRange(bytes, table, tableAddr, digestAddr, from, to) {
      for (let i = from; i < to; i++) {
        const entry = tableAddr / 4 + 2 * i;
        const length = table[entry + 1]!;
        if (length === SKIP_LENGTH) continue;
        const offset = table[entry]!;
        bytes.set(hash('sha256', bytes.subarray(offset, offset + length), 'buffer'), digestAddr + SHA256_BYTES * i);
      }
    },
  };
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/**
 * Memory layout from HEAP_BASE: [data: capacity][table: 8 × maxMessages][digests: 32 × maxMessages].
 * The table holds absolute data addresses, so growing moves only table and digests; they also
 * give the WASM tail read its 64 readable bytes past the data (maxMessages ≥ 4).
 */
class BatchImpl implements Sha256Batch {
  readonly kind: 'wasm-simd' | 'node';
  readonly #backing: Backing;
  /** WASM memory as a Buffer: its native write() and copy() fill it without allocating views. */
  #bytes = Buffer.alloc(0);
  #table = new Uint32Array(0);
  readonly #dataStart = SHA256_LAYOUT.HEAP_BASE;
  #dataEnd: number;
  #tableAddr: number;
  #digestAddr: number;
  #maxMessages: number;
  #pos: number;
  #count = 0;
  #hashed = 0;
  /** Start of the open message, -1 when none is open. */
  #open = -1;
  /** node:crypto hash of an open message too long to keep in the batch. */
  #spill: Hash | null = null;

  constructor(backing: Backing, capacityBytes: number, maxMessages: number) {
    this.#backing = backing;
    this.kind = backing.kind;
    this.#dataEnd = this.#dataStart + roundUp(Math.max(64, capacityBytes), 64);
    this.#maxMessages = Math.max(4, maxMessages);
    this.#tableAddr = this.#dataEnd;
    this.#digestAddr = this.#tableAddr + 8 * this.#maxMessages;
    this.#pos = this.#dataStart;
    this.#remap(backing.ensure(this.#digestAddr + SHA256_BYTES * this.#maxMessages));
  }

  get count(): number {
    return this.#count;
  }

  begin(): void {
    if (this.#open >= 0) throw new Error('sha256 batch: begin() while a message is open');
    if (this.#count >= this.#maxMessages) this.#growMessages();
    this.#open = this.#pos;
  }

  write(part: Uint8Array | string): void {
    if (this.#open < 0) throw new Error('sha256 batch: write() outside begin()/end()');
    if (this.#spill !== null) {
      this.#spill.update(part);
      return;
    }
    if (typeof part === 'string') {
      // A UTF-16 unit is at most 3 UTF-8 bytes; only near the end is the exact length needed.
      if (this.#pos + 3 * part.length > this.#dataEnd) {
        const length = Buffer.byteLength(part, 'utf8');
        if (this.#pos + length > this.#dataEnd && !this.#makeRoom(length)) {
          this.#spill!.update(part);
          return;
        }
      }
      this.#pos += this.#encode(part, this.#pos);
      return;
    }
    if (this.#pos + part.length > this.#dataEnd && !this.#makeRoom(part.length)) {
      this.#spill!.update(part);
      return;
    }
    this.#bytes.set(part, this.#pos);
    this.#pos += part.length;
  }

  end(): number {
    const start = this.#open;
    if (start < 0) throw new Error('sha256 batch: end() without begin()');
    const index = this.#count++;
    const entry = this.#tableAddr / 4 + 2 * index;
    const length = this.#pos - start;
    if (this.#spill !== null || length > DIRECT_HASH_BYTES) {
      const digest = this.#spill !== null ? this.#spill.digest() : hash('sha256', this.#bytes.subarray(start, this.#pos), 'buffer');
      this.#bytes.set(digest, this.#digestAddr + SHA256_BYTES * index);
      this.#table[entry] = 0;
      this.#table[entry + 1] = SKIP_LENGTH;
      this.#spill = null;
      this.#pos = start;
    } else {
      this.#table[entry] = start;
      this.#table[entry + 1] = length;
    }
    this.#open = -1;
    return index;
  }

  add(message: Uint8Array | string): number {
    // The common case, inline: a message that fits, no message open.
    const pos = this.#pos;
    if (this.#open < 0 && this.#count < this.#maxMessages) {
      let length = -1;
      if (typeof message === 'string') {
        if (pos + 3 * message.length <= this.#dataEnd) length = this.#encode(message, pos);
      } else if (message.length <= DIRECT_HASH_BYTES && pos + message.length <= this.#dataEnd) {
        this.#bytes.set(message, pos);
        length = message.length;
      }
      if (length >= 0 && length <= DIRECT_HASH_BYTES) return this.#record(pos, length);
    }
    this.begin();
    this.write(message);
    return this.end();
  }

  /** UTF-8 encodes `text` at `pos` (room for 3 bytes per UTF-16 unit is there); returns its length. */
  #encode(text: string, pos: number): number {
    return this.#bytes.write(text, pos, this.#dataEnd - pos, 'utf8');
  }

  addRange(source: Buffer, start: number, end: number): number {
    const length = end - start;
    const pos = this.#pos;
    if (this.#open < 0 && this.#count < this.#maxMessages && length <= DIRECT_HASH_BYTES && pos + length <= this.#dataEnd) {
      source.copy(this.#bytes, pos, start, end);
      return this.#record(pos, length);
    }
    return this.add(source.subarray(start, end));
  }

  /** Enters a whole message just placed at `pos` into the table. */
  #record(pos: number, length: number): number {
    const index = this.#count++;
    const entry = this.#tableAddr / 4 + 2 * index;
    this.#table[entry] = pos;
    this.#table[entry + 1] = length;
    this.#pos = pos + length;
    return index;
  }

  hasRoom(bytes: number): boolean {
    return this.#count < this.#maxMessages && (this.#pos + bytes <= this.#dataEnd || bytes > DIRECT_HASH_BYTES);
  }

  run(): void {
    if (this.#open >= 0) throw new Error('sha256 batch: run() while a message is open');
    if (this.#hashed === this.#count) return;
    this.#backing.hashRange(this.#bytes, this.#table, this.#tableAddr, this.#digestAddr, this.#hashed, this.#count);
    this.#hashed = this.#count;
  }

  digest(i: number): Uint8Array {
    const at = this.#digestAt(i);
    return this.#bytes.subarray(at, at + SHA256_BYTES);
  }

  matches(i: number, expected: Uint8Array | string): boolean {
    const at = this.#digestAt(i);
    const bytes = this.#bytes;
    if (typeof expected !== 'string') {
      if (expected.length !== SHA256_BYTES) return false;
      let diff = 0;
      for (let k = 0; k < SHA256_BYTES; k++) diff |= bytes[at + k]! ^ expected[k]!;
      return diff === 0;
    }
    // charCodeAt per digit is slow; one native write of the 64 digits and a table of digit pairs is not.
    // A non-ASCII character makes the UTF-8 form longer than 64 bytes, so fewer are written or they mismatch.
    if (expected.length !== 2 * SHA256_BYTES || HEX_SCRATCH.write(expected, 0, 2 * SHA256_BYTES, 'utf8') !== 2 * SHA256_BYTES) return false;
    for (let k = 0; k < SHA256_BYTES; k++) if (HEX_SCRATCH_PAIRS[k] !== HEX_PAIRS[bytes[at + k]!]) return false;
    return true;
  }

  digests(): Uint8Array {
    return this.#bytes.subarray(this.#digestAddr, this.#digestAddr + SHA256_BYTES * this.#hashed);
  }

  reset(): void {
    this.#count = 0;
    this.#hashed = 0;
    this.#open = -1;
    this.#spill = null;
    this.#pos = this.#dataStart;
  }

  #digestAt(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.#hashed) {
      throw new RangeError(`sha256 batch: no digest ${i} (${this.#hashed} hashed of ${this.#count})`);
    }
    return this.#digestAddr + SHA256_BYTES * i;
  }

  /**
   * The open message needs `more` bytes past the data area: grow it, or, when the message
   * would be hashed by node:crypto anyway, move it to a streaming hash (returns false).
   */
  #makeRoom(more: number): boolean {
    const start = this.#open;
    if (this.#pos - start + more > DIRECT_HASH_BYTES) {
      this.#spill = createHash('sha256').update(this.#bytes.subarray(start, this.#pos));
      this.#pos = start;
      return false;
    }
    const capacity = this.#dataEnd - this.#dataStart;
    const needed = this.#pos + more - this.#dataStart;
    this.#relayout(roundUp(Math.max(2 * capacity, needed), 64), this.#maxMessages);
    return true;
  }

  #growMessages(): void {
    this.#relayout(this.#dataEnd - this.#dataStart, 2 * this.#maxMessages);
  }

  /** Grows to the given sizes: table and digests move up; data (whose addresses the table holds) stays. */
  #relayout(capacity: number, maxMessages: number): void {
    const dataEnd = this.#dataStart + capacity;
    const tableAddr = dataEnd;
    const digestAddr = tableAddr + 8 * maxMessages;
    this.#remap(this.#backing.ensure(digestAddr + SHA256_BYTES * maxMessages));
    // Digests first: their new place is above everything old.
    this.#bytes.copyWithin(digestAddr, this.#digestAddr, this.#digestAddr + SHA256_BYTES * this.#count);
    this.#bytes.copyWithin(tableAddr, this.#tableAddr, this.#tableAddr + 8 * this.#count);
    this.#dataEnd = dataEnd;
    this.#tableAddr = tableAddr;
    this.#digestAddr = digestAddr;
    this.#maxMessages = maxMessages;
  }

  #remap(buffer: ArrayBuffer): void {
    this.#bytes = Buffer.from(buffer);
    this.#table = new Uint32Array(buffer);
  }
}

const HEX_SCRATCH = Buffer.alloc(2 * SHA256_BYTES);
const HEX_SCRATCH_PAIRS = new Uint16Array(HEX_SCRATCH.buffer, HEX_SCRATCH.byteOffset, SHA256_BYTES);
/** The two lowercase hex digits of each byte value, as one native-endian u16 (as HEX_SCRATCH_PAIRS reads them). */
const HEX_PAIRS = new Uint16Array(new Uint8Array(Buffer.from(Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join(''), 'latin1')).buffer);

/**
 * A batch with its own WebAssembly instance and memory (or a node:crypto one). Creating one costs
 * ~0.25 ms at the default size (the memory is zeroed): create it once and reuse it with reset().
 */
export function createSha256Batch(options: Sha256BatchOptions = {}): Sha256Batch {
  const wanted = options.implementation ?? 'auto';
  const module = wanted === 'node' ? null : compiledSimdModule();
  if (wanted === 'wasm-simd' && module === null) throw new Error('WebAssembly SIMD is not available here');
  const backing = module === null ? nodeBacking() : wasmBacking(instantiate(module));
  return new BatchImpl(backing, options.capacityBytes ?? DEFAULT_CAPACITY, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
}

// ---- Merkle leaves and nodes ----

/** Items per WASM call: inputs and outputs are copied through the shared instance in blocks. */
const FIXED_CHUNK = 16384;
const FIXED_IN = SHA256_LAYOUT.HEAP_BASE;
const FIXED_OUT = FIXED_IN + 64 * FIXED_CHUNK;

let fixedExports: SimdExports | null | undefined;

function fixedInstance(): SimdExports | null {
  if (fixedExports === undefined) {
    const module = compiledSimdModule();
    fixedExports = module === null ? null : instantiate(module);
    if (fixedExports !== null) wasmBacking(fixedExports).ensure(FIXED_OUT + SHA256_BYTES * FIXED_CHUNK);
  }
  return fixedExports;
}

/** RFC 9162 leaf hashes SHA-256(0x00 ‖ d) of n 32-byte inputs laid end to end, into out (n×32). */
export function hashLeaves(inputs: Uint8Array, out: Uint8Array): void {
  hashFixed(inputs, out, SHA256_BYTES, 0x00);
}

/** RFC 9162 node hashes SHA-256(0x01 ‖ left ‖ right) of n pairs laid end to end (2n×32 bytes), into out (n×32). out may alias the first half of inputs. */
export function hashNodes(pairs: Uint8Array, out: Uint8Array): void {
  hashFixed(pairs, out, 2 * SHA256_BYTES, 0x01);
}

function hashFixed(inputs: Uint8Array, out: Uint8Array, size: number, prefix: number): void {
  if (inputs.length % size !== 0) throw new RangeError(`sha256: inputs of ${inputs.length} bytes are not a whole number of ${size}-byte items`);
  const n = inputs.length / size;
  if (out.length < SHA256_BYTES * n) throw new RangeError(`sha256: out holds ${out.length} bytes, ${SHA256_BYTES * n} needed`);
  const simd = fixedInstance();
  if (simd === null) {
    hashFixedNode(inputs, out, size, prefix, n);
    return;
  }
  const memory = new Uint8Array(simd.memory.buffer);
  const run = prefix === 0 ? simd.hash_leaves : simd.hash_nodes;
  // In chunk order, output k never overlaps inputs not yet copied in, so out may alias inputs' first half.
  for (let from = 0; from < n; from += FIXED_CHUNK) {
    const items = Math.min(FIXED_CHUNK, n - from);
    memory.set(inputs.subarray(size * from, size * (from + items)), FIXED_IN);
    run(FIXED_IN, FIXED_OUT, roundUp(items, 4));
    out.set(memory.subarray(FIXED_OUT, FIXED_OUT + SHA256_BYTES * items), SHA256_BYTES * from);
  }
}

function hashFixedNode(inputs: Uint8Array, out: Uint8Array, size: number, prefix: number, n: number): void {
  const scratch = Buffer.alloc(size + 1);
  scratch[0] = prefix;
  for (let i = 0; i < n; i++) {
    scratch.set(inputs.subarray(size * i, size * (i + 1)), 1);
    out.set(hash('sha256', scratch, 'buffer'), SHA256_BYTES * i);
  }
}
