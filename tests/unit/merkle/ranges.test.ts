import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { leafHash, nodeHash } from '../../../shared/merkle/hash.ts';
import { alignedBlocks, subtreeRoots } from '../../../shared/merkle/ranges.ts';
import type { NodeHasher } from '../../../shared/merkle/ranges.ts';

const nodes: NodeHasher = (pairs, out) => {
  const n = pairs.length / 64;
  const hashed = Array.from({ length: n }, (_, i) => nodeHash(pairs.subarray(i * 64, i * 64 + 32), pairs.subarray(i * 64 + 32, i * 64 + 64)));
  hashed.forEach((h, i) => out.set(h, i * 32));
};

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(hash('sha256', `event ${i}`, 'buffer')));

describe('Merkle trees in pieces', () => {
  it('splits a range into aligned perfect subtrees', () => {
    expect(alignedBlocks(0, 8)).toEqual([[0, 3]]);
    expect(alignedBlocks(5, 16)).toEqual([[5, 0], [6, 1], [8, 3]]);
    expect(alignedBlocks(3, 3)).toEqual([]);
    expect(alignedBlocks(0, 7)).toEqual([[0, 2], [4, 1], [6, 0]]);
  });

  it('gives the root of one pass over all leaves, whatever the cuts', () => {
    const all = leaves(77);
    const whole = new MerkleBuilder();
    for (const l of all) whole.pushLeafHash(l);
    for (const cuts of [[0, 77], [0, 1, 77], [0, 5, 16, 40, 77], [0, 32, 64, 77], [0, 13, 14, 76, 77]]) {
      // The first piece continues a frontier, as a bundle that starts mid-trail does.
      const tree = new MerkleBuilder();
      for (const l of all.slice(0, cuts[1])) tree.pushLeafHash(l);
      for (let i = 1; i + 1 < cuts.length; i++) {
        const [from, to] = [cuts[i] as number, cuts[i + 1] as number];
        const buffer = Buffer.concat(all.slice(from, to));
        for (const { height, root } of subtreeRoots(buffer, from, nodes)) tree.pushSubtree(height, root);
      }
      expect(Buffer.from(tree.root()).toString('hex')).toBe(Buffer.from(whole.root()).toString('hex'));
      expect(tree.size).toBe(77);
    }
  });

  it('refuses a subtree that is not aligned with the tree so far', () => {
    const tree = new MerkleBuilder();
    tree.pushLeafHash(leaves(1)[0] as Uint8Array);
    expect(() => tree.pushSubtree(1, new Uint8Array(32))).toThrow(RangeError);
  });
});
