/**
 * SHA-256 of many short messages: node:crypto's one-shot hash per message against the batched
 * 4-lane WASM SIMD (shared/crypto/sha256-batch.ts), at the sizes an audit trail hashes (leaf 33,
 * node 65, chained header ~270, payload ~450 bytes), and Merkle leaves and nodes in bulk.
 */
import { hash, randomBytes } from 'node:crypto';
import { createSha256Batch, hashLeaves, hashNodes } from '../../../shared/crypto/sha256-batch.ts';
import type { BenchSection } from './section.ts';
import { percentile, ratio } from './stats.ts';

const SIZES = [33, 65, 270, 450] as const;

export const hashSection: BenchSection = {
  name: 'hash',
  async run({ quick, log }) {
    const rounds = quick ? 7 : 15;
    const count = 8192;
    const figures: Record<string, number | string> = {};
    const batch = createSha256Batch();
    figures.sha256_batch_kind = batch.kind;

    for (const size of SIZES) {
      const data = randomBytes(size * count);
      const messages = Array.from({ length: count }, (_, i) => data.subarray(size * i, size * (i + 1)));
      const node = (): void => {
        for (const m of messages) hash('sha256', m, 'buffer');
      };
      const batched = (): void => {
        batch.reset();
        for (const m of messages) batch.add(m);
        batch.run();
      };
      batch.reset();
      for (const m of messages) batch.add(m);
      batch.run();
      messages.forEach((m, i) => {
        if (!batch.matches(i, hash('sha256', m, 'buffer'))) throw new Error(`batch digest ${i} of ${size}-byte messages is wrong`);
      });
      const [nodeNs, batchNs] = sideBySide([node, batched], rounds, count);
      report(figures, log, `${size} B`, `${size}b`, nodeNs, batchNs);
    }

    // The chained header as the audit trail has it: a string, compared with a stored hex digest.
    const headers = Array.from({ length: count }, (_, i) => `${'f'.repeat(64)}{"seq":${i},"ts":1700000000000,"type":"decision","agent":"coder-1","action":"tool:read_file","outcome":"allow","trace":"${randomBytes(8).toString('hex')}"}`.padEnd(270, ' '));
    const expected = headers.map((h) => hash('sha256', h, 'hex'));
    const nodeText = (): void => {
      for (let i = 0; i < count; i++) if (hash('sha256', headers[i]!, 'hex') !== expected[i]) throw new Error('mismatch');
    };
    const batchText = (): void => {
      batch.reset();
      for (const h of headers) batch.add(h);
      batch.run();
      for (let i = 0; i < count; i++) if (!batch.matches(i, expected[i]!)) throw new Error('mismatch');
    };
    const [nodeTextNs, batchTextNs] = sideBySide([nodeText, batchText], rounds, count);
    report(figures, log, '270 B text, hex check', '270b_text', nodeTextNs, batchTextNs);

    const n = quick ? 65_536 : 262_144;
    const leaves = randomBytes(32 * n);
    const pairs = randomBytes(64 * n);
    const out = new Uint8Array(32 * n);
    const leafScratch = Buffer.alloc(33);
    const nodeScratch = Buffer.alloc(65);
    nodeScratch[0] = 1;
    const nodeLeaves = (): void => {
      for (let i = 0; i < n; i++) {
        leafScratch.set(leaves.subarray(32 * i, 32 * i + 32), 1);
        out.set(hash('sha256', leafScratch, 'buffer'), 32 * i);
      }
    };
    const nodeNodes = (): void => {
      for (let i = 0; i < n; i++) {
        nodeScratch.set(pairs.subarray(64 * i, 64 * i + 64), 1);
        out.set(hash('sha256', nodeScratch, 'buffer'), 32 * i);
      }
    };
    const leafRounds = quick ? 3 : 5;
    const [nodeLeafNs, batchLeafNs] = sideBySide([nodeLeaves, () => hashLeaves(leaves, out)], leafRounds, n);
    report(figures, log, 'leaves', 'leaf', nodeLeafNs, batchLeafNs);
    const [nodeNodeNs, batchNodeNs] = sideBySide([nodeNodes, () => hashNodes(pairs, out)], leafRounds, n);
    report(figures, log, 'nodes', 'node', nodeNodeNs, batchNodeNs);
    return figures;
  },
};

/** Runs node:crypto and the batch alternately, `rounds` times after a warm-up; median ns per item of each. */
function sideBySide(contenders: readonly [() => void, () => void], rounds: number, items: number): [number, number] {
  const samples: [number[], number[]] = [[], []];
  for (const run of contenders) run();
  for (let r = 0; r < rounds; r++) {
    contenders.forEach((run, i) => {
      const started = process.hrtime.bigint();
      run();
      samples[i]!.push(Number(process.hrtime.bigint() - started) / items);
    });
  }
  return [percentile(samples[0], 0.5), percentile(samples[1], 0.5)];
}

function report(figures: Record<string, number | string>, log: (line: string) => void, label: string, key: string, nodeNs: number, batchNs: number): void {
  const speedup = ratio(nodeNs, batchNs);
  figures[`sha256_node_ns_${key}`] = Math.round(nodeNs);
  figures[`sha256_batch_ns_${key}`] = Math.round(batchNs);
  figures[`sha256_batch_speedup_${key}`] = speedup;
  log(`${label.padEnd(22)} crypto.hash ${Math.round(nodeNs).toString().padStart(5)} ns/msg   batch ${Math.round(batchNs).toString().padStart(5)} ns/msg   ×${speedup}`);
}
