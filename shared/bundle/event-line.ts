/**
 * One line of `events.ndjson`: the chained header, the payload state and the payload exactly as
 * stored (canonical JSON text), in a fixed key order. The verifier rebuilds the line's prefix
 * from the parsed header, so any byte that differs from this form is caught, and it hashes the
 * payload's own bytes, so an intact payload costs one SHA-256 and no re-serialisation.
 */
import type { AuditEventHeader, AuditEventType } from '../audit.ts';
import type { Outcome } from '../domain.ts';

export type PayloadState = 'intact' | 'redacted' | 'erased';

export interface EventLine extends AuditEventHeader {
  readonly digest: string;
  readonly payloadState: PayloadState;
}

/** Everything up to and including `"payload":` — the payload text and `}` follow. */
export function eventLinePrefix(e: EventLine): string {
  return `{"seq":${e.seq},"ts":${JSON.stringify(e.ts)},"type":${JSON.stringify(e.type)},"agentId":${JSON.stringify(e.agentId)},`
    + `"action":${JSON.stringify(e.action)},"outcome":${JSON.stringify(e.outcome)},"traceId":${JSON.stringify(e.traceId)},`
    + `"payloadHash":${JSON.stringify(e.payloadHash)},"digest":${JSON.stringify(e.digest)},"payloadState":${JSON.stringify(e.payloadState)},"payload":`;
}

/** `payloadText` is the stored canonical JSON, or null when erased. */
export function eventLine(e: EventLine, payloadText: string | null): string {
  return `${eventLinePrefix(e)}${payloadText ?? 'null'}}\n`;
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

/** One line of `decisions.ndjson`, derived from a `decision` event by export and verify alike. */
export function decisionLine(e: EventLine, payload: unknown): string {
  const p = (payload !== null && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const reasons = Array.isArray(p.reasons)
    ? p.reasons.map((r) => (r !== null && typeof r === 'object' ? (r as Record<string, unknown>).ruleId ?? null : null))
    : null;
  return `${JSON.stringify({
    seq: e.seq,
    ts: e.ts,
    agentId: e.agentId,
    action: e.action,
    outcome: e.outcome,
    traceId: e.traceId,
    contract: p.contract ?? null,
    rules: reasons,
    rung: p.rung ?? null,
    degraded: p.degraded ?? null,
    payloadState: e.payloadState,
  })}\n`;
}
