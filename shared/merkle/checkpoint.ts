/**
 * Signed checkpoints (signed tree heads): the Merkle root of the audit trail at a size, with
 * the chain's head digest, signed as a compact JWS over its canonical JSON (RFC 8785).
 */
import canonicalize from 'canonicalize';
import { equalBytes } from './hash.ts';
import type { JwsCheck, JwsSigner, TrustedKeys } from './jws.ts';
import { verifyJws } from './jws.ts';

export const CHECKPOINT_TYP = 'charter-checkpoint+jws';

export interface Checkpoint {
  readonly treeSize: number;
  /** Hex SHA-256 Merkle tree head (RFC 9162) over the events' digests. */
  readonly rootHash: string;
  /** Digest of the event at seq = treeSize (GENESIS_DIGEST when empty). */
  readonly headDigest: string;
  /** The workspace id. */
  readonly workspace: string;
  /** ISO-8601 UTC. */
  readonly ts: string;
}

export function checkpointBytes(checkpoint: Checkpoint): Uint8Array {
  const { treeSize, rootHash, headDigest, workspace, ts } = checkpoint;
  return new TextEncoder().encode(canonicalize({ treeSize, rootHash, headDigest, workspace, ts }) as string);
}

export function signCheckpoint(checkpoint: Checkpoint, signer: JwsSigner): string {
  return signer.sign(checkpointBytes(checkpoint), CHECKPOINT_TYP);
}

export type CheckpointCheck = JwsCheck | { readonly ok: false; readonly failure: 'mismatch'; readonly kid: string; readonly message: string };

/** Verifies a checkpoint's JWS and that it signs exactly this checkpoint. */
export async function verifyCheckpoint(checkpoint: Checkpoint, jws: string, trusted: TrustedKeys): Promise<CheckpointCheck> {
  const check = await verifyJws(jws, trusted, CHECKPOINT_TYP);
  if (!check.ok) return check;
  if (!equalBytes(check.payload, checkpointBytes(checkpoint))) {
    return { ok: false, failure: 'mismatch', kid: check.kid, message: 'the signature is valid but signs a different checkpoint' };
  }
  return check;
}
