/**
 * Proof generation over the leaf hashes of a log, kept in one contiguous buffer (32 bytes per
 * leaf: a million events take 32 MB). Definitions follow RFC 9162 §2.1.
 */
import { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash, splitPoint } from './hash.ts';

export class MerkleTree {
  readonly #leaves: Uint8Array;
  readonly size: number;

  /** `leafHashes` holds size × 32 bytes: each leaf's SHA-256(0x00 ‖ data). */
  constructor(leafHashes: Uint8Array) {
    if (leafHashes.length % HASH_SIZE !== 0) throw new RangeError('leaf hashes must be 32 bytes each');
    this.#leaves = leafHashes;
    this.size = leafHashes.length / HASH_SIZE;
  }

  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    const buffer = new Uint8Array(leaves.length * HASH_SIZE);
    leaves.forEach((leaf, i) => buffer.set(leafHash(leaf), i * HASH_SIZE));
    return new MerkleTree(buffer);
  }

  /** MTH(D[0:n]), the root of the tree's first n leaves. */
  root(n: number = this.size): Uint8Array {
    this.#checkSize(n);
    return n === 0 ? EMPTY_ROOT : this.#subtree(0, n);
  }

  /** PATH(m, D[0:n]): the audit path of leaf m in the tree of size n. */
  inclusionProof(index: number, n: number = this.size): Uint8Array[] {
    this.#checkSize(n);
    if (!Number.isSafeInteger(index) || index < 0 || index >= n) throw new RangeError(`leaf ${index} is not in a tree of size ${n}`);
    const proof: Uint8Array[] = [];
    this.#path(index, 0, n, proof);
    return proof;
  }

  /** PROOF(m, D[0:n]): proves the tree of size m is a prefix of the tree of size n. */
  consistencyProof(m: number, n: number = this.size): Uint8Array[] {
    this.#checkSize(n);
    if (!Number.isSafeInteger(m) || m < 0 || m > n) throw new RangeError(`tree size ${m} is not within 0..${n}`);
    const proof: Uint8Array[] = [];
    if (m > 0 && m < n) this.#subproof(m, 0, n, true, proof);
    return proof;
  }

  #checkSize(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.size) throw new RangeError(`tree size ${n} is not within 0..${this.size}`);
  }

  #leaf(i: number): Uint8Array {
    return this.#leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
  }

  /** MTH(D[lo:hi]), hi > lo. */
  #subtree(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 1) return this.#leaf(lo);
    const k = splitPoint(n);
    return nodeHash(this.#subtree(lo, lo + k), this.#subtree(lo + k, hi));
  }

  // Proof elements are appended leaf-side first, the order the verifier consumes them.
  #path(m: number, lo: number, hi: number, out: Uint8Array[]): void {
    const n = hi - lo;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.#path(m, lo, lo + k, out);
      out.push(this.#subtree(lo + k, hi));
    } else {
      this.#path(m - k, lo + k, hi, out);
      out.push(this.#subtree(lo, lo + k));
    }
  }

  #subproof(m: number, lo: number, hi: number, complete: boolean, out: Uint8Array[]): void {
    const n = hi - lo;
    if (m === n) {
      if (!complete) out.push(this.#subtree(lo, hi));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.#subproof(m, lo, lo + k, complete, out);
      out.push(this.#subtree(lo + k, hi));
    } else {
      this.#subproof(m - k, lo + k, hi, false, out);
      out.push(this.#subtree(lo, lo + k));
    }
  }
}
