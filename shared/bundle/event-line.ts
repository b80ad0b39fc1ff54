/**
 * One line of `events.ndjson`: the chained header, the payload state and the payload exactly as
 * stored (canonical JSON text), in a fixed key order. The verifier slices the header fields
 * from the line by position (./verify-segment.ts) and hashes the payload's own bytes,
 * so an intact payload costs one SHA-256 and no re-serialisation.
 */
import type { AuditEventHeader, AuditEventType } from '../audit.ts';
import type { Outcome } from '../domain.ts';

export type PayloadState = 'intact' | 'redacted' | 'erased';

export interface EventLine extends AuditEventHeader {
  readonly digest: string;
  readonly payloadState: PayloadState;
}

/** Characters JSON.stringify would escape (lone surrogates included; pairs merely fall back). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify for a string or null, without its cost when nothing needs escaping. */
export function quote(s: string | null): string {
  if (s === null) return 'null';
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The header fields as JSON tokens, each exactly what JSON.stringify gives. */
export interface QuotedHeader {
  readonly seq: string;
  readonly ts: string;
  readonly type: string;
  readonly agentId: string;
  readonly action: string;
  readonly outcome: string;
  readonly traceId: string;
  readonly payloadHash: string;
}

export function quoteHeader(h: AuditEventHeader): QuotedHeader {
  return {
    seq: String(h.seq), ts: quote(h.ts), type: quote(h.type), agentId: quote(h.agentId), action: quote(h.action),
    outcome: quote(h.outcome), traceId: quote(h.traceId), payloadHash: quote(h.payloadHash),
  };
}

/** The chain's header bytes (equal to shared/audit.ts eventHeaderBytes) from quoted fields. */
export function quotedHeaderBytes(q: QuotedHeader): string {
  return `[${q.seq},${q.ts},${q.type},${q.agentId},${q.action},${q.outcome},${q.traceId},${q.payloadHash}]`;
}

/** Everything up to and including `"payload":` from quoted fields. */
export function quotedLinePrefix(q: QuotedHeader, digest: string, payloadState: PayloadState): string {
  return `{"seq":${q.seq},"ts":${q.ts},"type":${q.type},"agentId":${q.agentId},"action":${q.action},"outcome":${q.outcome},`
    + `"traceId":${q.traceId},"payloadHash":${q.payloadHash},"digest":${quote(digest)},"payloadState":"${payloadState}","payload":`;
}

/** Everything up to and including `"payload":` — the payload text and `}` follow. */
export function eventLinePrefix(e: EventLine): string {
  return quotedLinePrefix(quoteHeader(e), e.digest, e.payloadState);
}

const STATES: readonly string[] = ['intact', 'redacted', 'erased'];

function nullableString(v: unknown): v is string | null {
  return v === null || typeof v === 'string';
}

/** Reads the header fields of a parsed line; undefined when a field has the wrong type. */
export function eventLineFields(parsed: unknown): EventLine | undefined {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const o = parsed as Record<string, unknown>;
  if (!Number.isSafeInteger(o.seq) || typeof o.ts !== 'string' || typeof o.type !== 'string'
    || !nullableString(o.agentId) || !nullableString(o.action) || !nullableString(o.outcome) || !nullableString(o.traceId)
    || typeof o.payloadHash !== 'string' || typeof o.digest !== 'string' || !STATES.includes(o.payloadState as string)) {
    return undefined;
  }
  return {
    seq: o.seq as number,
    ts: o.ts,
    type: o.type as AuditEventType,
    agentId: o.agentId,
    action: o.action,
    outcome: o.outcome as Outcome | null,
    traceId: o.traceId,
    payloadHash: o.payloadHash,
    digest: o.digest,
    payloadState: o.payloadState as PayloadState,
  };
}
