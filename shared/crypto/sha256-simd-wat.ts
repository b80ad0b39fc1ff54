/**
 * Generates the WebAssembly text of the 4-lane multi-buffer SHA-256 module (see
 * sha256-batch.ts for why). Each i32x4 lane hashes its own message; the 64 rounds, the
 * gathers and transposes are unrolled here by code. `scripts/build-sha256-wasm.ts` assembles
 * this text with wabt into sha256-simd-module.ts, so the runtime never needs wabt.
 *
 * Exports of the module:
 * - `memory`;
 * - `hash_many(table, count, out)`: `count` messages described by (offset, length) u32 pairs at
 *   `table`; digest i goes to out + 32i. A length of SKIP_LENGTH marks a slot already filled.
 *   The 64 bytes after each message's end must be readable memory (the last block is read whole,
 *   then masked).
 * - `hash_leaves(in, out, n)`: SHA-256(0x00 ‖ d) of n 32-byte inputs.
 * - `hash_nodes(in, out, n)`: SHA-256(0x01 ‖ l ‖ r) of n 64-byte pairs.
 *   Both fixed paths read and write whole groups of 4; the caller rounds n up.
 */

/** Fixed addresses in the module's memory; callers lay their data from HEAP_BASE on. */
export const SHA256_LAYOUT = {
  /** The 64 round constants, u32. */
  K: 0,
  /** Per lane, 128 bytes: the padded last block(s) of the lane's message. */
  SCRATCH: 256,
  /** Per lane, 16 bytes: next block pointer, direct blocks left, blocks left, message index (-1 idle). */
  CTRL: 768,
  /** The 8 state words, one v128 each (lane j in i32 lane j). */
  STATE: 832,
  /** 64 bytes an idle lane hashes. */
  DUMMY: 960,
  HEAP_BASE: 1024,
} as const;

/** The table length that marks a message whose digest is already in its slot. */
export const SKIP_LENGTH = 0xffffffff;

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
] as const;

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19] as const;

const LANES = [0, 1, 2, 3] as const;

// ---- expression helpers (folded WAT) ----

const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
const add = (a: string, b: string): string => `(i32x4.add ${a} ${b})`;
const xor = (a: string, b: string): string => `(v128.xor ${a} ${b})`;
const shr = (x: string, n: number): string => `(i32x4.shr_u ${x} (i32.const ${n}))`;
const shl = (x: string, n: number): string => `(i32x4.shl ${x} (i32.const ${n}))`;
/** No rotate in wasm SIMD: the two shifted halves have disjoint bits, so xor joins them. */
const rotr = (x: string, n: number): string => xor(shr(x, n), shl(x, 32 - n));
const xor3 = (a: string, b: string, c: string): string => xor(xor(a, b), c);
const i32x4Splat = (v: number): string => `(v128.const i32x4 ${hex(v)} ${hex(v)} ${hex(v)} ${hex(v)})`;
const bytesConst = (bytes: readonly number[]): string => `(v128.const i8x16 ${bytes.map(hex).join(' ')})`;
const shuffle = (indexes: readonly number[], a: string, b: string): string => `(i8x16.shuffle ${indexes.join(' ')} ${a} ${b})`;

function hex(v: number): string {
  return `0x${(v >>> 0).toString(16)}`;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Byte indexes that reverse each 32-bit word (big-endian message words into native lanes). */
const BSWAP = range(16).map((i) => (i & ~3) + 3 - (i & 3));
const UNPACK_LO32 = [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23];
const UNPACK_HI32 = [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31];
const UNPACK_LO64 = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
const UNPACK_HI64 = [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31];

const bswap = (x: string): string => shuffle(BSWAP, x, x);

/**
 * A row: 4 big-endian message words as native lanes, made by one shuffle of two vectors.
 * `source(i)` gives the shuffle index (0..31) that holds message byte `base + i`.
 */
function row(source: (i: number) => number, a: string, b: string): string {
  return shuffle(range(16).map((o) => source((o & ~3) + 3 - (o & 3))), a, b);
}

// ---- statement generators ----

/** 4 rows (one per lane, locals x0..x3) → 4 words across lanes, into the named locals. */
function transpose(rows: readonly string[], into: readonly string[]): string[] {
  return [
    set('y0', shuffle(UNPACK_LO32, get(rows[0]!), get(rows[1]!))),
    set('y1', shuffle(UNPACK_HI32, get(rows[0]!), get(rows[1]!))),
    set('y2', shuffle(UNPACK_LO32, get(rows[2]!), get(rows[3]!))),
    set('y3', shuffle(UNPACK_HI32, get(rows[2]!), get(rows[3]!))),
    set(into[0]!, shuffle(UNPACK_LO64, get('y0'), get('y2'))),
    set(into[1]!, shuffle(UNPACK_HI64, get('y0'), get('y2'))),
    set(into[2]!, shuffle(UNPACK_LO64, get('y1'), get('y3'))),
    set(into[3]!, shuffle(UNPACK_HI64, get('y1'), get('y3'))),
  ];
}

const X = ['x0', 'x1', 'x2', 'x3'] as const;
const wName = (j: number): string => `w${j}`;
const sName = (j: number): string => `s${j}`;

/**
 * One compression of the 4 lanes: state in s0..s7, message words already in w0..w15.
 * The working variables rotate by name (v0..v7), so no round moves a value.
 */
function compress(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 8; i++) out.push(set(`v${i}`, get(sName(i))));
  const v = (logical: number, t: number): string => `v${(((logical - t) % 8) + 8) % 8}`;
  for (let t = 0; t < 64; t++) {
    const w = wName(t % 16);
    if (t >= 16) {
      const w2 = get(wName((t - 2) % 16));
      const w15 = get(wName((t - 15) % 16));
      const sigma0 = xor3(rotr(w15, 7), rotr(w15, 18), shr(w15, 3));
      const sigma1 = xor3(rotr(w2, 17), rotr(w2, 19), shr(w2, 10));
      out.push(set(w, add(add(get(w), sigma0), add(get(wName((t - 7) % 16)), sigma1))));
    }
    const [a, b, c, d, e, f, g, h] = range(8).map((i) => get(v(i, t)));
    const bigSigma1 = xor3(rotr(e!, 6), rotr(e!, 11), rotr(e!, 25));
    const bigSigma0 = xor3(rotr(a!, 2), rotr(a!, 13), rotr(a!, 22));
    const ch = `(v128.bitselect ${f} ${g} ${e})`;
    // Maj(a,b,c) = b ^ ((a^b) & (b^c)); this round's b^c is the last round's a^b.
    const ab = `m${t % 2}`;
    const bc = t === 0 ? xor(b!, c!) : get(`m${(t + 1) % 2}`);
    out.push(set(ab, xor(a!, b!)));
    const maj = xor(b!, `(v128.and ${get(ab)} ${bc})`);
    const k = `(v128.load32_splat offset=${SHA256_LAYOUT.K + 4 * t} (i32.const 0))`;
    out.push(set('t1', add(add(h!, bigSigma1), add(ch, add(k, get(w))))));
    out.push(set(v(3, t), add(d!, get('t1'))));
    out.push(set(v(7, t), add(get('t1'), add(bigSigma0, maj))));
  }
  for (let i = 0; i < 8; i++) out.push(set(sName(i), add(get(sName(i)), get(`v${i}`))));
  return out;
}

/** Stores the 4 lanes' digests (big-endian) at out + 32 × lane. */
function storeDigests(out: string): string[] {
  const lines: string[] = [];
  for (const half of [0, 1]) {
    const s = range(4).map((j) => sName(4 * half + j));
    lines.push(...transpose(s, X));
    for (const lane of LANES) {
      lines.push(`(v128.store offset=${32 * lane + 16 * half} ${get(out)} ${bswap(get(X[lane]))})`);
    }
  }
  return lines;
}

const ivState = (): string[] => range(8).map((i) => set(sName(i), i32x4Splat(IV[i]!)));

/** W from 4 independent 64-byte blocks at p0..p3 (general path). */
function gatherBlocks(): string[] {
  const lines: string[] = [];
  for (let j = 0; j < 4; j++) {
    for (const lane of LANES) lines.push(set(X[lane], bswap(`(v128.load offset=${16 * j} ${get(`p${lane}`)})`)));
    lines.push(...transpose(X, range(4).map((i) => wName(4 * j + i))));
  }
  return lines;
}

/**
 * Words 8..15 of a block whose byte 32 is the lane's `source` byte, then 0x80, zeros and
 * the 64-bit bit length `bits`: only word 8 varies by lane.
 */
function lastWordsTail(lanes: readonly string[], sourceIndex: number, bits: number, first: number): string[] {
  const lines: string[] = [];
  // Second operand: 0x80 at byte 0, zeros after.
  const pad = bytesConst([0x80, ...range(15).map(() => 0)]);
  const word = (i: number): number => (i === 0 ? sourceIndex : i === 1 ? 16 : 17);
  for (const lane of LANES) lines.push(set(X[lane], row((i) => (i < 4 ? word(i) : 17), lanes[lane]!, pad)));
  lines.push(set('y0', shuffle(UNPACK_LO32, get(X[0]), get(X[1]))));
  lines.push(set('y2', shuffle(UNPACK_LO32, get(X[2]), get(X[3]))));
  lines.push(set(wName(first), shuffle(UNPACK_LO64, get('y0'), get('y2'))));
  for (let j = first + 1; j < 15; j++) lines.push(set(wName(j), i32x4Splat(0)));
  lines.push(set(wName(15), i32x4Splat(bits)));
  return lines;
}

/** W for leaves: 0x00 ‖ d (33 bytes) padded; lane L's d at in + 32L. */
function gatherLeaves(): string[] {
  const lines: string[] = [];
  const prefix = bytesConst(range(16).map(() => 0));
  const q = (lane: number, half: number): string => `(v128.load offset=${32 * lane + 16 * half} ${get('in')})`;
  // Rows 0 and 1 per lane: message bytes 0..31 = prefix, d[0..30].
  for (let r = 0; r < 2; r++) {
    for (const lane of LANES) {
      const rowExpr =
        r === 0 ? row((i) => (i === 0 ? 16 : i - 1), q(lane, 0), prefix) : row((i) => 16 + i - 1, q(lane, 0), q(lane, 1));
      lines.push(set(X[lane], rowExpr));
    }
    lines.push(...transpose(X, range(4).map((i) => wName(4 * r + i))));
  }
  lines.push(...lastWordsTail(LANES.map((lane) => q(lane, 1)), 15, 33 * 8, 8));
  return lines;
}

/** W for the first block of nodes: 0x01 ‖ pair[0..62]; lane L's pair at in + 64L. */
function gatherNodesFirst(): string[] {
  const lines: string[] = [];
  const prefix = bytesConst([0x01, ...range(15).map(() => 0)]);
  const q = (lane: number, k: number): string => `(v128.load offset=${64 * lane + 16 * k} ${get('in')})`;
  for (let r = 0; r < 4; r++) {
    for (const lane of LANES) {
      const rowExpr =
        r === 0 ? row((i) => (i === 0 ? 16 : i - 1), q(lane, 0), prefix) : row((i) => 16 + i - 1, q(lane, r - 1), q(lane, r));
      lines.push(set(X[lane], rowExpr));
    }
    lines.push(...transpose(X, range(4).map((i) => wName(4 * r + i))));
  }
  return lines;
}

/** W for the second block of nodes: pair[63], 0x80, zeros, bit length 520. */
function gatherNodesSecond(): string[] {
  const q = (lane: number): string => `(v128.load offset=${64 * lane + 48} ${get('in')})`;
  return lastWordsTail(LANES.map((lane) => q(lane)), 15, 65 * 8, 0);
}

/** i32 byte swap, inline (scalar; a few per message). */
function bswap32(x: string): string {
  return `(i32.or (i32.or (i32.shl ${x} (i32.const 24)) (i32.shl (i32.and ${x} (i32.const 0xff00)) (i32.const 8))) (i32.or (i32.and (i32.shr_u ${x} (i32.const 8)) (i32.const 0xff00)) (i32.shr_u ${x} (i32.const 24))))`;
}

function vectorLocals(): string {
  const names = [...range(8).map(sName), ...range(8).map((i) => `v${i}`), ...range(16).map(wName), 'x0', 'x1', 'x2', 'x3', 'y0', 'y1', 'y2', 'y3', 't1', 'm0', 'm1'];
  return names.map((n) => `(local $${n} v128)`).join(' ');
}

/**
 * Lane bookkeeping for the general path. $assign gives lane `lane` the next message (or the
 * dummy block when none is left): it lays the message's padded tail in the lane's scratch and
 * sets the lane's state words to the IV.
 */
function assignFunc(): string {
  const L = SHA256_LAYOUT;
  const ivStores = range(8)
    .map((k) => `(i32.store offset=${L.STATE + 16 * k} (local.get $lane4) (i32.const ${hex(IV[k]!)}))`)
    .join('\n    ');
  // The last partial block, read whole (the batch keeps 64 readable bytes past its data) and
  // masked: bytes before `tail` kept, 0x80 at `tail`, zeros after; the spill block zeroed.
  const tailBlock = range(4)
    .map((j) => {
      const index = bytesConst(range(16).map((i) => 16 * j + i));
      const keep = `(i8x16.gt_s (local.get $tail8) ${index})`;
      const mark = `(v128.and (i8x16.eq (local.get $tail8) ${index}) ${bytesConst(range(16).map(() => 0x80))})`;
      return `(v128.store offset=${16 * j} (local.get $sc) (v128.or (v128.and (v128.load offset=${16 * j} (local.get $src)) ${keep}) ${mark}))`;
    })
    .join('\n    ');
  const zeroSpill = range(4)
    .map((j) => `(v128.store offset=${64 + 16 * j} (local.get $sc) (v128.const i32x4 0 0 0 0))`)
    .join('\n    ');
  return `
  (func $assign (param $lane i32) (param $table i32) (param $count i32) (param $next i32) (result i32)
    (local $c i32) (local $e i32) (local $len i32) (local $off i32) (local $full i32) (local $tail i32)
    (local $sc i32) (local $blocks i32) (local $at i32) (local $lane4 i32) (local $src i32) (local $tail8 v128)
    (local.set $c (i32.add (i32.const ${L.CTRL}) (i32.shl (local.get $lane) (i32.const 4))))
    (block $found
      (loop $skip
        (if (i32.ge_u (local.get $next) (local.get $count))
          (then
            (i32.store (local.get $c) (i32.const ${L.DUMMY}))
            (i32.store offset=8 (local.get $c) (i32.const 1))
            (i32.store offset=12 (local.get $c) (i32.const -1))
            (return (local.get $next))))
        (local.set $e (i32.add (local.get $table) (i32.shl (local.get $next) (i32.const 3))))
        (local.set $len (i32.load offset=4 (local.get $e)))
        (br_if $found (i32.ne (local.get $len) (i32.const ${SKIP_LENGTH | 0})))
        (local.set $next (i32.add (local.get $next) (i32.const 1)))
        (br $skip)))
    (local.set $off (i32.load (local.get $e)))
    (local.set $full (i32.shr_u (local.get $len) (i32.const 6)))
    (local.set $tail (i32.and (local.get $len) (i32.const 63)))
    (local.set $sc (i32.add (i32.const ${L.SCRATCH}) (i32.shl (local.get $lane) (i32.const 7))))
    (local.set $src (i32.add (local.get $off) (i32.shl (local.get $full) (i32.const 6))))
    (local.set $tail8 (i8x16.splat (local.get $tail)))
    ${tailBlock}
    ${zeroSpill}
    (local.set $blocks (select (i32.const 1) (i32.const 2) (i32.lt_u (local.get $tail) (i32.const 56))))
    (local.set $at (i32.add (local.get $sc) (i32.sub (i32.shl (local.get $blocks) (i32.const 6)) (i32.const 8))))
    (i32.store (local.get $at) ${bswap32('(i32.shr_u (local.get $len) (i32.const 29))')})
    (i32.store offset=4 (local.get $at) ${bswap32('(i32.shl (local.get $len) (i32.const 3))')})
    (i32.store (local.get $c) (select (local.get $off) (local.get $sc) (local.get $full)))
    (i32.store offset=4 (local.get $c) (local.get $full))
    (i32.store offset=8 (local.get $c) (i32.add (local.get $full) (local.get $blocks)))
    (i32.store offset=12 (local.get $c) (local.get $next))
    (local.set $lane4 (i32.shl (local.get $lane) (i32.const 2)))
    ${ivStores}
    (i32.add (local.get $next) (i32.const 1)))`;
}

/** Writes lane `lane`'s digest (big-endian) to out + 32 × msg. */
function finishFunc(): string {
  const stores = range(8)
    .map((k) => `(i32.store offset=${4 * k} (local.get $o) ${bswap32(`(i32.load offset=${SHA256_LAYOUT.STATE + 16 * k} (local.get $b))`)})`)
    .join('\n    ');
  return `
  (func $finish (param $lane i32) (param $msg i32) (param $out i32)
    (local $o i32) (local $b i32)
    (local.set $o (i32.add (local.get $out) (i32.shl (local.get $msg) (i32.const 5))))
    (local.set $b (i32.shl (local.get $lane) (i32.const 2)))
    ${stores})`;
}

function hashManyFunc(): string {
  const L = SHA256_LAYOUT;
  const body = [
    ...LANES.map((lane) => `(local.set $p${lane} (i32.load offset=${L.CTRL + 16 * lane} (i32.const 0)))`),
    ...range(8).map((i) => set(sName(i), `(v128.load offset=${L.STATE + 16 * i} (i32.const 0))`)),
    ...gatherBlocks(),
    ...compress(),
    ...range(8).map((i) => `(v128.store offset=${L.STATE + 16 * i} (i32.const 0) ${get(sName(i))})`),
  ];
  return `
  (func $hash_many (export "hash_many") (param $table i32) (param $count i32) (param $out i32)
    (local $next i32) (local $active i32) (local $lane i32) (local $c i32) (local $msg i32) (local $left i32) (local $direct i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    ${vectorLocals()}
    (local.set $lane (i32.const 0))
    (loop $init
      (local.set $next (call $assign (local.get $lane) (local.get $table) (local.get $count) (local.get $next)))
      (local.set $active (i32.add (local.get $active)
        (i32.ge_s (i32.load offset=${L.CTRL + 12} (i32.shl (local.get $lane) (i32.const 4))) (i32.const 0))))
      (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
      (br_if $init (i32.lt_u (local.get $lane) (i32.const 4))))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $active)))
        ${body.join('\n        ')}
        (local.set $active (i32.const 0))
        (local.set $lane (i32.const 0))
        (loop $lanes
          (local.set $c (i32.add (i32.const ${L.CTRL}) (i32.shl (local.get $lane) (i32.const 4))))
          (local.set $msg (i32.load offset=12 (local.get $c)))
          (if (i32.ge_s (local.get $msg) (i32.const 0))
            (then
              (local.set $left (i32.sub (i32.load offset=8 (local.get $c)) (i32.const 1)))
              (if (i32.eqz (local.get $left))
                (then
                  (call $finish (local.get $lane) (local.get $msg) (local.get $out))
                  (local.set $next (call $assign (local.get $lane) (local.get $table) (local.get $count) (local.get $next))))
                (else
                  (i32.store offset=8 (local.get $c) (local.get $left))
                  (local.set $direct (i32.sub (i32.load offset=4 (local.get $c)) (i32.const 1)))
                  (i32.store offset=4 (local.get $c) (local.get $direct))
                  (i32.store (local.get $c)
                    (select
                      (i32.add (i32.const ${L.SCRATCH}) (i32.shl (local.get $lane) (i32.const 7)))
                      (i32.add (i32.load (local.get $c)) (i32.const 64))
                      (i32.eqz (local.get $direct))))))))
          (local.set $active (i32.add (local.get $active) (i32.ge_s (i32.load offset=12 (local.get $c)) (i32.const 0))))
          (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
          (br_if $lanes (i32.lt_u (local.get $lane) (i32.const 4))))
        (br $step))))`;
}

function fixedFunc(name: string, stride: number, blocks: readonly (() => string[])[]): string {
  const body: string[] = [...ivState()];
  for (const gather of blocks) body.push(...gather(), ...compress());
  body.push(...storeDigests('out'));
  return `
  (func $${name} (export "${name}") (param $in i32) (param $out i32) (param $n i32)
    ${vectorLocals()}
    (block $done
      (loop $group
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        ${body.join('\n        ')}
        (local.set $in (i32.add (local.get $in) (i32.const ${4 * stride})))
        (local.set $out (i32.add (local.get $out) (i32.const 128)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $group))))`;
}

/** The whole module's text. */
export function sha256SimdWat(): string {
  const kBytes = K.map((k) => range(4).map((i) => `\\${((k >>> (8 * i)) & 0xff).toString(16).padStart(2, '0')}`).join('')).join('');
  return `(module
  (memory (export "memory") 1)
  (data (i32.const ${SHA256_LAYOUT.K}) "${kBytes}")
  ${assignFunc()}
  ${finishFunc()}
  ${hashManyFunc()}
  ${fixedFunc('hash_leaves', 32, [gatherLeaves])}
  ${fixedFunc('hash_nodes', 64, [gatherNodesFirst, gatherNodesSecond])}
)
`;
}
