/**
 * The audit trail's event shape and the exact bytes its hash chain covers. Bundles and the
 * store both verify with these definitions, so they live here, once.
 */
import type { Outcome } from './domain.ts';

export type AuditEventType =
  | 'decision'
  | 'execution.started'
  | 'execution.status'
  | 'approval.requested'
  | 'approval.decided'
  | 'contract.draft_saved'
  | 'contract.published'
  | 'contract.activated'
  | 'contract.rolled_back'
  | 'agent.created'
  | 'agent.updated'
  | 'flag.changed'
  | 'settings.changed'
  | 'bypass.used'
  | 'stream.started'
  | 'stream.token_batch'
  | 'stream.closed'
  | 'canvas.action'
  | 'key.created'
  | 'key.rotated'
  | 'bundle.exported'
  | 'bundle.imported'
  | 'retention.applied'
  | 'erasure.applied';

/** The chained part of an event: small, fixed fields plus the hash of the payload. */
export interface AuditEventHeader {
  /** 1-based position in the trail; no gaps. */
  readonly seq: number;
  /** ISO-8601 UTC with milliseconds. */
  readonly ts: string;
  readonly type: AuditEventType;
  readonly agentId: string | null;
  readonly action: string | null;
  readonly outcome: Outcome | null;
  readonly traceId: string | null;
  /** SHA-256 hex of the canonical JSON (RFC 8785) of the payload as first written. */
  readonly payloadHash: string;
}

export interface AuditEvent extends AuditEventHeader {
  /** Digest of the previous event; GENESIS_DIGEST for seq 1. */
  readonly prevDigest: string;
  /** sha256(prevDigest + eventHeaderBytes(header)), hex. */
  readonly digest: string;
  /** The payload; null once retention or erasure removed it (the chain still verifies). */
  readonly payload: unknown;
  /** Set when the payload was redacted or removed after the fact. */
  readonly payloadState: 'intact' | 'redacted' | 'erased';
}

export const GENESIS_DIGEST = '0'.repeat(64);

/**
 * The bytes the chain hashes for one event, after the previous digest. A JSON array of
 * primitives: JSON.stringify is already canonical (RFC 8785) for strings, integers and null.
 */
export function eventHeaderBytes(header: AuditEventHeader): string {
  return JSON.stringify([
    header.seq,
    header.ts,
    header.type,
    header.agentId,
    header.action,
    header.outcome,
    header.traceId,
    header.payloadHash,
  ]);
}
