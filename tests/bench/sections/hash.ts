/**
 * SHA-256 of many short messages: node:crypto's one-shot hash per message against the batched
 * 4-lane WASM SIMD (shared/crypto/sha256-batch.ts), at the sizes an audit trail hashes (leaf 33,
 * node 65, chained header ~270, payload ~450 bytes), and Merkle leaves and nodes in bulk.
 *
 * crypto.hash is timed in two forms: returning a Buffer (what the Merkle code uses; the
 * `speedup` figures) and returning hex, which skips the Buffer and costs about 1 µs less per
 * call here (the `speedup_vs_hex` figures, the stricter comparison).
 */
import { hash, randomBytes } from 'node:crypto';
import { createSha256Batch, hashLeaves, hashNodes } from '../../../shared/crypto/sha256-batch.ts';
import type { BenchSection } from './section.ts';
import { percentile, ratio } from './stats.ts';

const SIZES = [33, 65, 270, 450] as const;

type Figures = Record<string, number | string>;

export const hashSection: BenchSection = {
  name: 'hash',
  async run({ quick, log }) {
    const rounds = quick ? 7 : 15;
    const count = 8192;
    const figures: Figures = {};
    const batch = createSha256Batch();
    figures.sha256_batch_kind = batch.kind;
    log(`implementation: ${batch.kind}; ns per message, median of ${rounds} rounds of ${count}, run alternately`);

    for (const size of SIZES) {
      const data = randomBytes(size * count);
      const messages = Array.from({ length: count }, (_, i) => data.subarray(size * i, size * (i + 1)));
      const batched = (): void => {
        batch.reset();
        for (const m of messages) batch.add(m);
        batch.run();
      };
      batched();
      messages.forEach((m, i) => {
        if (!batch.matches(i, hash('sha256', m, 'buffer'))) throw new Error(`batch digest ${i} of ${size}-byte messages is wrong`);
      });
      const [buffer, hex, ours] = sideBySide(
        [
          () => messages.forEach((m) => hash('sha256', m, 'buffer')),
          () => messages.forEach((m) => hash('sha256', m, 'hex')),
          batched,
        ],
        rounds,
        count,
      );
      report(figures, log, `${size} B`, `${size}b`, buffer, hex, ours);
    }

    // The chained header as the audit trail has it: a string, checked against a stored hex digest.
    const headers = Array.from({ length: count }, (_, i) =>
      `${'f'.repeat(64)}{"seq":${i},"ts":1700000000000,"type":"decision","agent":"coder-1","action":"tool:read_file","outcome":"allow","trace":"${randomBytes(8).toString('hex')}"}`.padEnd(270, ' '),
    );
    const expected = headers.map((h) => hash('sha256', h, 'hex'));
    const [textHex, textOurs] = sideBySide(
      [
        () => headers.forEach((h, i) => {
          if (hash('sha256', h, 'hex') !== expected[i]) throw new Error('mismatch');
        }),
        () => {
          batch.reset();
          for (const h of headers) batch.add(h);
          batch.run();
          for (let i = 0; i < count; i++) if (!batch.matches(i, expected[i]!)) throw new Error('mismatch');
        },
      ],
      rounds,
      count,
    );
    report(figures, log, '270 B text + hex check', '270b_text', undefined, textHex, textOurs);

    const n = quick ? 65_536 : 262_144;
    const leaves = randomBytes(32 * n);
    const pairs = randomBytes(64 * n);
    const out = new Uint8Array(32 * n);
    const perItem = (size: number, prefix: number, inputs: Uint8Array, encoding: 'buffer' | 'hex'): (() => void) => {
      const scratch = Buffer.alloc(size + 1);
      scratch[0] = prefix;
      return () => {
        for (let i = 0; i < n; i++) {
          scratch.set(inputs.subarray(size * i, size * (i + 1)), 1);
          const digest = hash('sha256', scratch, encoding);
          if (typeof digest !== 'string') out.set(digest, 32 * i);
        }
      };
    };
    const leafRounds = quick ? 3 : 5;
    const leafTimes = sideBySide([perItem(32, 0, leaves, 'buffer'), perItem(32, 0, leaves, 'hex'), () => hashLeaves(leaves, out)], leafRounds, n);
    report(figures, log, `${n} leaves`, 'leaf', ...leafTimes);
    const nodeTimes = sideBySide([perItem(64, 1, pairs, 'buffer'), perItem(64, 1, pairs, 'hex'), () => hashNodes(pairs, out)], leafRounds, n);
    report(figures, log, `${n} nodes`, 'node', ...nodeTimes);
    return figures;
  },
};

/** Runs the contenders alternately, `rounds` times after a warm-up; median ns per item of each. */
function sideBySide<const T extends readonly (() => void)[]>(contenders: T, rounds: number, items: number): { [K in keyof T]: number } {
  const samples = contenders.map(() => [] as number[]);
  for (const run of contenders) run();
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((run, i) => {
      const started = process.hrtime.bigint();
      run();
      samples[i]!.push(Number(process.hrtime.bigint() - started) / items);
    });
  }
  return samples.map((s) => percentile(s, 0.5)) as { [K in keyof T]: number };
}

function report(figures: Figures, log: (line: string) => void, label: string, key: string, buffer: number | undefined, hex: number, ours: number): void {
  const ns = (v: number): string => Math.round(v).toString().padStart(5);
  const parts = [label.padEnd(24)];
  if (buffer !== undefined) {
    figures[`sha256_node_ns_${key}`] = Math.round(buffer);
    figures[`sha256_batch_speedup_${key}`] = ratio(buffer, ours);
    parts.push(`crypto.hash→Buffer ${ns(buffer)}`);
  }
  figures[`sha256_node_hex_ns_${key}`] = Math.round(hex);
  figures[`sha256_batch_ns_${key}`] = Math.round(ours);
  figures[`sha256_batch_speedup_${key}_vs_hex`] = ratio(hex, ours);
  parts.push(`crypto.hash→hex ${ns(hex)}`, `batch ${ns(ours)}`);
  if (buffer !== undefined) parts.push(`×${ratio(buffer, ours)} vs Buffer`);
  parts.push(`×${ratio(hex, ours)} vs hex`);
  log(parts.join('   '));
}
