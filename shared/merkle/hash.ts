/**
 * RFC 6962 / RFC 9162 hashing: leaves and interior nodes are hashed with distinct one-byte
 * prefixes so a leaf can never be passed off as a node (second-preimage resistance).
 */
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function sha256(data: Uint8Array | string): Uint8Array {
  return hash('sha256', data, 'buffer');
}

// Scratch buffers: hashing a leaf or node allocates only the result (millions per export).
const LEAF_SCRATCH = Buffer.alloc(1 + HASH_SIZE);
const NODE_SCRATCH = Buffer.alloc(1 + 2 * HASH_SIZE);
NODE_SCRATCH[0] = 0x01;

/** SHA-256(0x00 ‖ leaf). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  if (leaf.length !== HASH_SIZE) return hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer');
  LEAF_SCRATCH.set(leaf, 1);
  return hash('sha256', LEAF_SCRATCH, 'buffer');
}

/** SHA-256(0x00 ‖ digest) for a leaf given as 64 hex digits (an audit event's digest). */
export function leafHashHex(digestHex: string): Uint8Array {
  LEAF_SCRATCH.write(digestHex, 1, HASH_SIZE, 'hex');
  return hash('sha256', LEAF_SCRATCH, 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  NODE_SCRATCH.set(left, 1);
  NODE_SCRATCH.set(right, 1 + HASH_SIZE);
  return hash('sha256', NODE_SCRATCH, 'buffer');
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX_64 = /^[0-9a-f]{64}$/;

/** 64 lowercase hex characters to 32 bytes; undefined for anything else. */
export function fromHex32(hex: string): Uint8Array | undefined {
  return typeof hex === 'string' && HEX_64.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
