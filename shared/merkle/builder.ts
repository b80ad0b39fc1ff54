/**
 * Streaming Merkle tree head: holds only the roots of the perfect subtrees that make up the
 * tree so far (one per set bit of the size), so a million leaves need about twenty hashes of
 * memory. The same state, the "frontier", lets a bundle that starts mid-trail continue the
 * tree from the events before it without carrying them.
 */
import { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash } from './hash.ts';

export class MerkleBuilder {
  #size = 0;
  /** Perfect-subtree roots, largest (leftmost) first; #heights[i] is log2 of its leaf count. */
  readonly #hashes: Uint8Array[] = [];
  readonly #heights: number[] = [];

  /** Resumes a tree from the frontier of its first `size` leaves (see frontier()). */
  static fromFrontier(size: number, frontier: readonly Uint8Array[]): MerkleBuilder {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tree size ${size}`);
    const heights: number[] = [];
    for (let bit = 52; bit >= 0; bit--) if (Math.floor(size / 2 ** bit) % 2 === 1) heights.push(bit);
    if (heights.length !== frontier.length) {
      throw new RangeError(`a tree of size ${size} has a frontier of ${heights.length} hashes, not ${frontier.length}`);
    }
    const builder = new MerkleBuilder();
    builder.#size = size;
    frontier.forEach((h, i) => {
      if (h.length !== HASH_SIZE) throw new RangeError('frontier hashes are 32 bytes');
      builder.#hashes.push(h);
      builder.#heights.push(heights[i] as number);
    });
    return builder;
  }

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf (its data; it is leaf-hashed here). */
  push(leaf: Uint8Array): void {
    this.pushLeafHash(leafHash(leaf));
  }

  pushLeafHash(hashed: Uint8Array): void {
    this.pushSubtree(0, hashed);
  }

  /**
   * Appends a perfect subtree of 2^height leaves given by its root (./ranges.ts): the tree's
   * size must be a multiple of 2^height, as it is for aligned blocks pushed in order.
   */
  pushSubtree(height: number, root: Uint8Array): void {
    if (!Number.isSafeInteger(height) || height < 0 || this.#size % 2 ** height !== 0) {
      throw new RangeError(`a subtree of 2^${height} leaves cannot follow ${this.#size} leaves`);
    }
    if (root.length !== HASH_SIZE) throw new RangeError('subtree roots are 32 bytes');
    let h = root;
    let at = height;
    while (this.#heights.length > 0 && this.#heights[this.#heights.length - 1] === at) {
      this.#heights.pop();
      h = nodeHash(this.#hashes.pop() as Uint8Array, h);
      at++;
    }
    this.#hashes.push(h);
    this.#heights.push(at);
    this.#size += 2 ** height;
  }

  /** MTH of every leaf pushed so far (RFC 9162 §2.1.1). */
  root(): Uint8Array {
    if (this.#hashes.length === 0) return EMPTY_ROOT;
    let r = this.#hashes[this.#hashes.length - 1] as Uint8Array;
    for (let i = this.#hashes.length - 2; i >= 0; i--) r = nodeHash(this.#hashes[i] as Uint8Array, r);
    return r;
  }

  /** The perfect-subtree roots, largest first. */
  frontier(): readonly Uint8Array[] {
    return [...this.#hashes];
  }
}
