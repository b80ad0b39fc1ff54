/**
 * RFC 9162 inclusion proofs for the events of a bundle. A bundle holds only the events from
 * `firstSeq` on; the tree's earlier part is its frontier (the roots of the perfect subtrees of
 * the first `firstSeq - 1` leaves). Every subtree an audit path needs either lies among the
 * bundle's leaves or, when it lies wholly before them, is exactly one frontier subtree (the
 * path descends through blocks that straddle the boundary, and the halves of an aligned block
 * that fall before it are the binary decomposition of the prefix). Larger subtree hashes are
 * memoised, so stepping from event to event costs a few thousand hashes, not a whole tree.
 */
import { HASH_SIZE, nodeHash, splitPoint, toHex } from '../../../shared/merkle/hash.ts';
import { verifyInclusion } from '../../../shared/merkle/verify.ts';

const MEMO_MIN = 256;

export interface InclusionResult {
  readonly verified: boolean;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly proof: readonly string[];
}

export class BundleTree {
  readonly #prefix: number;
  readonly #blocks = new Map<string, Uint8Array>();
  readonly #leaves: Uint8Array;
  readonly #memo = new Map<string, Uint8Array>();
  readonly size: number;

  /** `leafHashes`: SHA-256(0x00 ‖ digest) of each event in the bundle, 32 bytes each, in order. */
  constructor(prefixSize: number, frontier: readonly Uint8Array[], leafHashes: Uint8Array) {
    this.#prefix = prefixSize;
    this.#leaves = leafHashes;
    this.size = prefixSize + leafHashes.length / HASH_SIZE;
    let at = 0;
    let i = 0;
    for (let bit = 52; bit >= 0; bit--) {
      const width = 2 ** bit;
      if (Math.floor(prefixSize / width) % 2 === 1) {
        const block = frontier[i++];
        if (!block) throw new RangeError(`a frontier for ${prefixSize} leaves needs more hashes`);
        this.#blocks.set(`${at}:${at + width}`, block);
        at += width;
      }
    }
  }

  /** Proves leaf `index` (seq - 1) against `root`, with RFC 9162's verifier. */
  prove(index: number, root: Uint8Array): InclusionResult {
    const proof: Uint8Array[] = [];
    this.#path(index, 0, this.size, proof);
    const leaf = this.#leaf(index);
    return {
      verified: verifyInclusion(index, this.size, leaf, proof, root),
      leafIndex: index,
      treeSize: this.size,
      rootHash: toHex(root),
      proof: proof.map(toHex),
    };
  }

  #leaf(index: number): Uint8Array {
    const i = index - this.#prefix;
    if (i < 0) throw new RangeError(`leaf ${index} is before the bundle's first event`);
    return this.#leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }

  #subtree(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (hi <= this.#prefix) {
      const block = this.#blocks.get(`${lo}:${hi}`);
      if (!block) throw new RangeError(`subtree ${lo}..${hi} is not one of the frontier's`);
      return block;
    }
    if (n === 1) return this.#leaf(lo);
    const key = `${lo}:${hi}`;
    const known = n >= MEMO_MIN ? this.#memo.get(key) : undefined;
    if (known) return known;
    const k = splitPoint(n);
    const hash = nodeHash(this.#subtree(lo, lo + k), this.#subtree(lo + k, hi));
    if (n >= MEMO_MIN) this.#memo.set(key, hash);
    return hash;
  }

  #path(m: number, lo: number, hi: number, out: Uint8Array[]): void {
    const n = hi - lo;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m - lo < k) {
      this.#path(m, lo, lo + k, out);
      out.push(this.#subtree(lo + k, hi));
    } else {
      this.#path(m, lo + k, hi, out);
      out.push(this.#subtree(lo, lo + k));
    }
  }
}
