import { describe, expect, it } from 'vitest';
import { BundleTree } from '../../../electron/api/bundles/inclusion.ts';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { HASH_SIZE, leafHash, sha256, toHex } from '../../../shared/merkle/hash.ts';
import { MerkleTree } from '../../../shared/merkle/tree.ts';

const leaf = (i: number): Uint8Array => sha256(`event ${i}`);

describe('inclusion proofs from a bundle (frontier + its own events)', () => {
  it('equal the full tree\'s proofs for every split point and every event in the bundle', () => {
    for (const n of [1, 2, 3, 5, 8, 13, 33, 64]) {
      const full = MerkleTree.fromLeaves(Array.from({ length: n }, (_, i) => leaf(i)));
      const root = full.root();
      for (let prefix = 0; prefix < n; prefix++) {
        const before = new MerkleBuilder();
        for (let i = 0; i < prefix; i++) before.push(leaf(i));
        const hashes = new Uint8Array((n - prefix) * HASH_SIZE);
        for (let i = prefix; i < n; i++) hashes.set(leafHash(leaf(i)), (i - prefix) * HASH_SIZE);
        const tree = new BundleTree(prefix, before.frontier(), hashes);
        for (let index = prefix; index < n; index++) {
          const result = tree.prove(index, root);
          expect(result.verified, `n=${n} prefix=${prefix} index=${index}`).toBe(true);
          expect(result.proof).toEqual(full.inclusionProof(index).map(toHex));
        }
      }
    }
  });

  it('does not verify against another root', () => {
    const leaves = Array.from({ length: 9 }, (_, i) => leaf(i));
    const hashes = new Uint8Array(9 * HASH_SIZE);
    leaves.forEach((l, i) => hashes.set(leafHash(l), i * HASH_SIZE));
    const tree = new BundleTree(0, [], hashes);
    expect(tree.prove(4, MerkleTree.fromLeaves(leaves).root()).verified).toBe(true);
    expect(tree.prove(4, MerkleTree.fromLeaves(leaves.slice(0, 8)).root()).verified).toBe(false);
  });
});
