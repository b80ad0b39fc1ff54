/**
 * Walks the audit chain on a read connection: every event's digest must equal
 * sha256(prevDigest + eventHeaderBytes(header)), its prev_digest must be the previous digest
 * and seq must run 1..n without gaps. Runs inside a worker (see ./verify-chain.worker.ts).
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEventType } from '../../shared/audit.ts';
import { GENESIS_DIGEST, eventHeaderBytes } from '../../shared/audit.ts';
import type { Outcome } from '../../shared/domain.ts';

export interface ChainWalkResult {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly firstBad: { readonly seq: number; readonly problem: string } | null;
  readonly headDigest: string;
  readonly cancelled: boolean;
}

interface Row {
  seq: number;
  ts: string;
  type: string;
  agent_id: string | null;
  action: string | null;
  outcome: string | null;
  trace_id: string | null;
  payload_hash: string;
  prev_digest: string;
  digest: string;
}

export interface WalkOptions {
  readonly onProgress?: (checked: number, total: number) => void;
  readonly shouldStop?: () => boolean;
  /** Progress and cancellation are checked every this many events. */
  readonly every?: number;
}

export function walkChain(sqlite: BetterSqlite3.Database, options: WalkOptions = {}): ChainWalkResult {
  const every = options.every ?? 5000;
  const total = Number((sqlite.prepare('select count(*) as n from audit_events').get() as { n: number }).n);
  const rows = sqlite
    .prepare('select seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest from audit_events order by seq')
    .iterate() as IterableIterator<Row>;
  let prev = GENESIS_DIGEST;
  let checked = 0;
  for (const row of rows) {
    const bad = (problem: string): ChainWalkResult => ({ ok: false, eventsChecked: checked, firstBad: { seq: row.seq, problem }, headDigest: prev, cancelled: false });
    if (row.seq !== checked + 1) return bad(`expected event ${checked + 1} here, found ${row.seq}: an event is missing`);
    if (row.prev_digest !== prev) return bad('its previous-digest does not match the event before it');
    const digest = createHash('sha256')
      .update(prev + eventHeaderBytes({
        seq: row.seq,
        ts: row.ts,
        type: row.type as AuditEventType,
        agentId: row.agent_id,
        action: row.action,
        outcome: row.outcome as Outcome | null,
        traceId: row.trace_id,
        payloadHash: row.payload_hash,
      }))
      .digest('hex');
    if (digest !== row.digest) return bad('its content does not match its digest: it was changed after it was written');
    prev = digest;
    checked += 1;
    if (checked % every === 0) {
      options.onProgress?.(checked, total);
      if (options.shouldStop?.()) {
        rows.return?.();
        return { ok: false, eventsChecked: checked, firstBad: null, headDigest: prev, cancelled: true };
      }
    }
  }
  options.onProgress?.(checked, total);
  return { ok: true, eventsChecked: checked, firstBad: null, headDigest: prev, cancelled: false };
}
