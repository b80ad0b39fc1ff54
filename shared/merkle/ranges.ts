/**
 * A Merkle tree computed in independent pieces. Any run of leaves [start, end) splits into
 * maximal perfect subtrees that are aligned (a subtree of 2^h leaves starts at a multiple of
 * 2^h), and each of those is a node of every RFC 9162 tree that contains the run. So workers can
 * hash their own ranges of leaves, and the pieces, pushed in order onto the frontier of the
 * leaves before them (MerkleBuilder.pushSubtree), give the same root as one pass over all.
 */
import { HASH_SIZE } from './hash.ts';

export interface SubtreeRoot {
  /** log2 of its leaf count. */
  readonly height: number;
  readonly root: Uint8Array;
}

/** The aligned perfect subtrees covering leaves [start, end), left to right, as [first leaf, height]. */
export function alignedBlocks(start: number, end: number): readonly (readonly [number, number])[] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`bad leaf range ${start}..${end}`);
  }
  const blocks: (readonly [number, number])[] = [];
  let at = start;
  while (at < end) {
    // The largest power of two that divides `at` (any, for 0) and still fits before `end`.
    let height = 0;
    while ((at === 0 || at % 2 ** (height + 1) === 0) && at + 2 ** (height + 1) <= end) height++;
    blocks.push([at, height]);
    at += 2 ** height;
  }
  return blocks;
}

/** SHA-256(0x01 ‖ left ‖ right) for n pairs laid end to end (2n × 32 bytes) into out (n × 32). */
export type NodeHasher = (pairs: Uint8Array, out: Uint8Array) => void;

/**
 * The roots of alignedBlocks(start, start + n) from the n leaf hashes of that range (32 bytes
 * each, `leafHashes` is not changed), one level at a time so each level is one batched call.
 */
export function subtreeRoots(leafHashes: Uint8Array, start: number, hashNodes: NodeHasher): SubtreeRoot[] {
  const n = leafHashes.length / HASH_SIZE;
  const roots: SubtreeRoot[] = [];
  for (const [first, height] of alignedBlocks(start, start + n)) {
    const from = (first - start) * HASH_SIZE;
    // A copy (Buffer's own slice() would be a view), hashed in place level by level.
    let level = Uint8Array.prototype.slice.call(leafHashes, from, from + 2 ** height * HASH_SIZE);
    for (let h = 0; h < height; h++) {
      const above = level.subarray(0, level.length / 2);
      hashNodes(level, above);
      level = above;
    }
    roots.push({ height, root: Uint8Array.prototype.slice.call(level, 0, HASH_SIZE) });
  }
  return roots;
}
