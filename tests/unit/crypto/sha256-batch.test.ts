import { inflateRawSync } from 'node:zlib';
import { createHash, hash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleSha256Module } from '../../../scripts/build-sha256-wasm.ts';
import { createSha256Batch, DIRECT_HASH_BYTES, hashLeaves, hashNodes, sha256SimdAvailable } from '../../../shared/crypto/sha256-batch.ts';
import type { Sha256Batch } from '../../../shared/crypto/sha256-batch.ts';
import { SHA256_SIMD_MODULE_DEFLATED } from '../../../shared/crypto/sha256-simd-module.ts';

const sha = (data: Uint8Array | string): Buffer => hash('sha256', data, 'buffer');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Hashes the messages in one batch and checks every digest against node:crypto. */
function check(batch: Sha256Batch, messages: readonly (Uint8Array | string)[]): void {
  batch.reset();
  messages.forEach((m, i) => expect(batch.add(m)).toBe(i));
  expect(batch.count).toBe(messages.length);
  batch.run();
  const all = batch.digests();
  expect(all.length).toBe(32 * messages.length);
  messages.forEach((m, i) => {
    const want = sha(m);
    expect(hex(batch.digest(i)), `message ${i} of ${messages.length} (${m.length} long)`).toBe(want.toString('hex'));
    expect(hex(all.subarray(32 * i, 32 * i + 32))).toBe(want.toString('hex'));
  });
}

const IMPLEMENTATIONS = ['wasm-simd', 'node'] as const;

describe('the SIMD module', () => {
  it('is available on this Node, and auto picks it', () => {
    expect(sha256SimdAvailable()).toBe(true);
    expect(createSha256Batch().kind).toBe('wasm-simd');
    expect(createSha256Batch({ implementation: 'node' }).kind).toBe('node');
  });

  it('is what the generator assembles (run scripts/build-sha256-wasm.ts after changing it)', async () => {
    const bytes = await assembleSha256Module();
    expect(Buffer.from(bytes).equals(inflateRawSync(Buffer.from(SHA256_SIMD_MODULE_DEFLATED, 'base64')))).toBe(true);
  });
});

describe.each(IMPLEMENTATIONS)('createSha256Batch (%s)', (implementation) => {
  const batch = createSha256Batch({ implementation, capacityBytes: 4096, maxMessages: 16 });

  it('hashes every length 0..300, all in one batch, and one by one', () => {
    const base = randomBytes(300);
    const messages = Array.from({ length: 301 }, (_, n) => base.subarray(0, n));
    check(batch, messages);
    for (const m of messages.slice(0, 130)) check(batch, [m]);
  });

  it('hashes 0..9 messages (idle lanes) and an empty batch', () => {
    for (let n = 0; n <= 9; n++) check(batch, Array.from({ length: n }, (_, i) => randomBytes((i * 37) % 140)));
    batch.reset();
    batch.run();
    expect(batch.digests().length).toBe(0);
    expect(() => batch.digest(0)).toThrow(RangeError);
  });

  it('hashes random lengths up to 20,000 and random mixed batches', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 0, maxLength: 12 }), (lengths) => {
        check(batch, lengths.map((n) => randomBytes(n)));
      }),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 200 }), { maxLength: 40 }), (messages) => check(batch, messages)),
      { numRuns: 60 },
    );
  });

  it('encodes unicode strings via write() like Buffer.from', () => {
    const strings = ['', 'a', 'é', '€uro', '😀 emoji', '\ud800 lone surrogate', 'ß'.repeat(100), '日本語'.repeat(200), '{"k":"v"}'];
    check(batch, strings);
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 120 }), { maxLength: 12 }), (s) => check(batch, s)), { numRuns: 60 });
  });

  it('gives the same digest whatever the split into parts', () => {
    const message = randomBytes(150);
    const text = 'héllo wörld, 日本 😀 and more text';
    batch.reset();
    for (let cut = 0; cut <= message.length; cut++) {
      batch.begin();
      batch.write(message.subarray(0, cut));
      batch.write(message.subarray(cut));
      expect(batch.end()).toBe(cut);
    }
    for (let cut = 0; cut <= text.length; cut++) {
      batch.begin();
      batch.write(text.slice(0, cut));
      batch.write(new Uint8Array(0));
      batch.write(text.slice(cut));
      batch.end();
    }
    batch.run();
    for (let cut = 0; cut <= message.length; cut++) expect(hex(batch.digest(cut))).toBe(sha(message).toString('hex'));
    // A cut inside the emoji's surrogate pair encodes each half alone, as node:crypto's update() does.
    for (let cut = 0; cut <= text.length; cut++) {
      const want = createHash('sha256').update(text.slice(0, cut)).update(text.slice(cut)).digest('hex');
      expect(hex(batch.digest(message.length + 1 + cut))).toBe(want);
    }
  });

  it('grows past its capacity and message count, keeping earlier digests', () => {
    const small = createSha256Batch({ implementation, capacityBytes: 64, maxMessages: 4 });
    const messages = Array.from({ length: 200 }, (_, i) => randomBytes((i * 53) % 400));
    expect(small.hasRoom(65)).toBe(false);
    // A long message early (hashed at once) must keep its digest across the moves.
    messages[3] = randomBytes(DIRECT_HASH_BYTES + 1);
    check(small, messages);
    check(small, messages.slice(0, 3));
  });

  it('hashes big messages, one part or many, and keeps the batch usable', () => {
    const big = randomBytes(3_000_000);
    const messages = [randomBytes(10), big, randomBytes(70), big.subarray(0, DIRECT_HASH_BYTES), big.subarray(0, DIRECT_HASH_BYTES + 1)];
    check(batch, messages);
    batch.reset();
    batch.add('x');
    batch.begin();
    for (let at = 0; at < big.length; at += 100_000) batch.write(big.subarray(at, at + 100_000));
    expect(batch.end()).toBe(1);
    batch.begin();
    batch.write('é'.repeat(DIRECT_HASH_BYTES));
    batch.write(big.subarray(0, 10));
    batch.end();
    batch.add(big.subarray(0, 33));
    batch.run();
    expect(hex(batch.digest(0))).toBe(sha('x').toString('hex'));
    expect(hex(batch.digest(1))).toBe(sha(big).toString('hex'));
    expect(hex(batch.digest(2))).toBe(createHash('sha256').update('é'.repeat(DIRECT_HASH_BYTES)).update(big.subarray(0, 10)).digest('hex'));
    expect(hex(batch.digest(3))).toBe(sha(big.subarray(0, 33)).toString('hex'));
  });

  it('runs again over messages added after a run', () => {
    batch.reset();
    batch.add('a');
    batch.run();
    batch.add('b');
    batch.add('c');
    batch.run();
    expect(['a', 'b', 'c'].map((m, i) => hex(batch.digest(i)))).toEqual(['a', 'b', 'c'].map((m) => sha(m).toString('hex')));
  });

  it('matches() against bytes and lowercase hex', () => {
    batch.reset();
    batch.add('audit');
    batch.run();
    const want = sha('audit');
    expect(batch.matches(0, want)).toBe(true);
    expect(batch.matches(0, want.toString('hex'))).toBe(true);
    expect(batch.matches(0, want.toString('hex').toUpperCase())).toBe(false);
    expect(batch.matches(0, sha('other'))).toBe(false);
    expect(batch.matches(0, sha('other').toString('hex'))).toBe(false);
    expect(batch.matches(0, want.subarray(0, 31))).toBe(false);
    expect(batch.matches(0, want.toString('hex').slice(1))).toBe(false);
    expect(batch.matches(0, `${want.toString('hex').slice(0, 63)}g`)).toBe(false);
  });

  it('refuses misuse', () => {
    batch.reset();
    expect(() => batch.write('x')).toThrow();
    expect(() => batch.end()).toThrow();
    batch.begin();
    expect(() => batch.begin()).toThrow();
    expect(() => batch.run()).toThrow();
    batch.end();
    expect(() => batch.digest(0)).toThrow(RangeError);
  });
});

describe('hashLeaves and hashNodes', () => {
  const leaf = (d: Uint8Array): Buffer => sha(Buffer.concat([Buffer.from([0]), d]));
  const node = (p: Uint8Array): Buffer => sha(Buffer.concat([Buffer.from([1]), p]));

  it.each([0, 1, 3, 4, 5, 7, 1000, 16_384 + 5])('match node:crypto for n = %i', (n) => {
    const inputs = randomBytes(32 * n);
    const out = new Uint8Array(32 * n);
    hashLeaves(inputs, out);
    const leaves = Array.from({ length: n }, (_, i) => leaf(inputs.subarray(32 * i, 32 * i + 32)));
    expect(hex(out)).toBe(Buffer.concat(leaves).toString('hex'));
    const pairs = randomBytes(64 * n);
    const nodes = new Uint8Array(32 * n);
    hashNodes(pairs, nodes);
    const want = Array.from({ length: n }, (_, i) => node(pairs.subarray(64 * i, 64 * i + 64)));
    expect(hex(nodes)).toBe(Buffer.concat(want).toString('hex'));
  });

  it('lets hashNodes write over the first half of its input (a tree level in place)', () => {
    const n = 40_000;
    const level = randomBytes(64 * n);
    const want = Buffer.concat(Array.from({ length: n }, (_, i) => node(level.subarray(64 * i, 64 * i + 64))));
    hashNodes(level, level.subarray(0, 32 * n));
    expect(hex(level.subarray(0, 32 * n))).toBe(want.toString('hex'));
  });

  it('refuses ragged inputs and short outputs', () => {
    expect(() => hashLeaves(new Uint8Array(33), new Uint8Array(64))).toThrow(RangeError);
    expect(() => hashNodes(new Uint8Array(128), new Uint8Array(32))).toThrow(RangeError);
  });
});
