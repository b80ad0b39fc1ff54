import { describe, expect, it } from 'vitest';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { EMPTY_ROOT, leafHash, nodeHash, sha256, splitPoint, toHex } from '../../../shared/merkle/hash.ts';
import { MerkleTree } from '../../../shared/merkle/tree.ts';
import { verifyConsistency, verifyInclusion } from '../../../shared/merkle/verify.ts';

/** RFC 9162 §2.1.1 written out directly, as the reference the fast code must agree with. */
function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leafHash(leaves[0] as Uint8Array);
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const leavesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => sha256(`event ${i}`));

// The test vectors of the certificate-transparency reference implementation.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f']
  .map((hex) => Buffer.from(hex, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree heads', () => {
  it('match the certificate-transparency test vectors for sizes 1..8', () => {
    const tree = MerkleTree.fromLeaves(CT_LEAVES);
    const builder = new MerkleBuilder();
    CT_LEAVES.forEach((leaf, i) => {
      builder.push(leaf);
      expect(toHex(tree.root(i + 1))).toBe(CT_ROOTS[i]);
      expect(toHex(builder.root())).toBe(CT_ROOTS[i]);
    });
  });

  it('hash the empty tree as SHA-256 of nothing', () => {
    expect(toHex(new MerkleBuilder().root())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(MerkleTree.fromLeaves([]).root())).toBe(toHex(EMPTY_ROOT));
  });

  it('agree with the reference definition for every size 0..64, streaming or not', () => {
    const leaves = leavesOf(64);
    const tree = MerkleTree.fromLeaves(leaves);
    const builder = new MerkleBuilder();
    for (let n = 0; n <= 64; n++) {
      const expected = toHex(referenceRoot(leaves.slice(0, n)));
      expect(toHex(tree.root(n))).toBe(expected);
      expect(toHex(builder.root())).toBe(expected);
      if (n < 64) builder.push(leaves[n] as Uint8Array);
    }
  });

  it('resume from a frontier to the same root as one uninterrupted pass', () => {
    const leaves = leavesOf(45);
    for (const cut of [0, 1, 7, 8, 32, 44, 45]) {
      const head = new MerkleBuilder();
      leaves.slice(0, cut).forEach((l) => head.push(l));
      const resumed = MerkleBuilder.fromFrontier(cut, head.frontier());
      leaves.slice(cut).forEach((l) => resumed.push(l));
      expect(toHex(resumed.root())).toBe(toHex(referenceRoot(leaves)));
    }
    expect(() => MerkleBuilder.fromFrontier(7, [sha256('a')])).toThrow(/frontier of 3 hashes/);
  });
});

describe('inclusion proofs', () => {
  const leaves = leavesOf(64);
  const tree = MerkleTree.fromLeaves(leaves);

  it('verify for every size 1..64 and every leaf, and fail for any other leaf, index or root', () => {
    for (let n = 1; n <= 64; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) {
        const proof = tree.inclusionProof(m, n);
        const leaf = leafHash(leaves[m] as Uint8Array);
        expect(verifyInclusion(m, n, leaf, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(leaves[(m + 1) % 64] as Uint8Array), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaf, proof, root)).toBe(false);
        expect(verifyInclusion(m, n, leaf, proof, tree.root(n === 64 ? 63 : n + 1))).toBe(false);
      }
    }
  });

  it('reject malformed input instead of throwing', () => {
    const root = tree.root(10);
    const proof = tree.inclusionProof(3, 10);
    const leaf = leafHash(leaves[3] as Uint8Array);
    expect(verifyInclusion(10, 10, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(-1, 10, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, [...proof, proof[0] as Uint8Array], root)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, proof.slice(1), root)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, [new Uint8Array(31), ...proof.slice(1)], root)).toBe(false);
  });
});

describe('consistency proofs', () => {
  const leaves = leavesOf(64);
  const tree = MerkleTree.fromLeaves(leaves);

  it('verify for every pair of sizes 1 ≤ m ≤ n ≤ 64 and fail against a forked history', () => {
    const forkedLeaves = leaves.map((l, i) => (i === 0 ? sha256('forked') : l));
    const forked = MerkleTree.fromLeaves(forkedLeaves);
    for (let n = 1; n <= 64; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
        // An old head that differs in its first leaf cannot be proved a prefix of this tree.
        expect(verifyConsistency(m, n, forked.root(m), tree.root(n), proof)).toBe(false);
        if (m < n) {
          expect(verifyConsistency(m, n, tree.root(m), forked.root(n), proof)).toBe(false);
          const bent = proof.map((h, i) => (i === proof.length - 1 ? sha256(h) : h));
          expect(verifyConsistency(m, n, tree.root(m), tree.root(n), bent)).toBe(false);
          expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('treat equal and empty sizes as RFC 9162 does', () => {
    expect(verifyConsistency(0, 5, EMPTY_ROOT, tree.root(5), [])).toBe(true);
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(5), [])).toBe(true);
    expect(verifyConsistency(5, 5, tree.root(5), tree.root(6), [])).toBe(false);
    expect(verifyConsistency(6, 5, tree.root(6), tree.root(5), tree.consistencyProof(5, 6))).toBe(false);
    expect(verifyConsistency(3, 5, tree.root(3), tree.root(5), [])).toBe(false);
  });
});
