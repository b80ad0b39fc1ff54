/**
 * Reading the audit trail: filtered pages by seq (keyset pagination: pass the last seq you got
 * as `afterSeq`, or `beforeSeq` when paging newest first), the tail, the count.
 */
import type { Selectable } from 'kysely';
import type { AuditEvent, AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';
import { sql } from 'kysely';
import { CharterError } from '../../../shared/errors.ts';
import type { AuditQuery } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';
import type { AuditEventsTable } from '../store/schema.ts';
import { all, first } from '../store/sync.ts';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

type Db = Pick<WorkspaceDb, 'sqlite' | 'kysely'>;

type HeaderColumns = Pick<Selectable<AuditEventsTable>, 'seq' | 'ts' | 'type' | 'agent_id' | 'action' | 'outcome' | 'trace_id' | 'payload_hash'>;

type EventRow = Selectable<AuditEventsTable> & { payload: string | null; state: string | null };

/** The chained header of an event, from its row's columns. */
export function headerFromRow(row: HeaderColumns): AuditEventHeader {
  return {
    seq: row.seq,
    ts: row.ts,
    type: row.type as AuditEventType,
    agentId: row.agent_id,
    action: row.action,
    outcome: row.outcome as Outcome | null,
    traceId: row.trace_id,
    payloadHash: row.payload_hash,
  };
}

function toEvent(row: EventRow): AuditEvent {
  return {
    ...headerFromRow(row),
    prevDigest: row.prev_digest,
    digest: row.digest,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    // A missing payload row reads as erased: there is nothing to show.
    payloadState: (row.state ?? 'erased') as AuditEvent['payloadState'],
  };
}

function checkLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_QUERY_LIMIT) {
    throw new CharterError('invalid_argument', `limit must be a whole number from 1 to ${MAX_QUERY_LIMIT}, not ${String(limit)}`, [
      { code: 'audit.query-limit', message: `limit must be 1–${MAX_QUERY_LIMIT}`, severity: 'error', pointer: '/limit' },
    ]);
  }
  return value;
}

/** Windows holding at least this many events are walked in seq order rather than sorted. */
const WIDE_WINDOW = 2000;

function isWideWindow(db: Db, fromTs: string | undefined, toTs: string | undefined): boolean {
  const inWindow = db.sqlite
    .prepare('select count(*) from (select 1 from audit_events where ts >= ? and ts < ? limit ?)')
    .pluck()
    .get(fromTs ?? '', toTs ?? '\uffff', WIDE_WINDOW) as number;
  return inWindow >= WIDE_WINDOW;
}

function selectEvents(db: Db) {
  return db.kysely
    .selectFrom('audit_events as e')
    .leftJoin('audit_payloads as p', 'p.seq', 'e.seq')
    .select([
      'e.seq', 'e.ts', 'e.type', 'e.agent_id', 'e.action', 'e.outcome', 'e.trace_id', 'e.payload_hash',
      'e.prev_digest', 'e.digest', 'p.payload', 'p.state',
    ]);
}

/**
 * One page of events matching every filter given, newest first unless `order: 'asc'`.
 * `fromTs` is inclusive, `toTs` exclusive.
 */
export function queryEvents(db: Db, query: AuditQuery = {}): readonly AuditEvent[] {
  const limit = checkLimit(query.limit, DEFAULT_QUERY_LIMIT);
  let q = selectEvents(db);
  if (query.afterSeq !== undefined) q = q.where('e.seq', '>', query.afterSeq);
  if (query.beforeSeq !== undefined) q = q.where('e.seq', '<', query.beforeSeq);
  if (query.types !== undefined) {
    if (query.types.length === 0) return [];
    q = q.where('e.type', 'in', query.types);
  }
  if (query.agentId !== undefined) q = q.where('e.agent_id', '=', query.agentId);
  if (query.action !== undefined) q = q.where('e.action', '=', query.action);
  if (query.outcome !== undefined) q = q.where('e.outcome', '=', query.outcome);
  if (query.traceId !== undefined) q = q.where('e.trace_id', '=', query.traceId);
  if (query.fromTs !== undefined || query.toTs !== undefined) {
    // A narrow window is best found through the ts index; a wide one by walking seq order and
    // filtering (`+e.ts` keeps SQLite off the ts index, which would fetch and sort the window).
    const ts = isWideWindow(db, query.fromTs, query.toTs) ? sql<string>`+e.ts` : sql<string>`e.ts`;
    if (query.fromTs !== undefined) q = q.where(ts, '>=', query.fromTs);
    if (query.toTs !== undefined) q = q.where(ts, '<', query.toTs);
  }
  const rows = all(db.sqlite, q.orderBy('e.seq', query.order ?? 'desc').limit(limit)) as EventRow[];
  return rows.map(toEvent);
}

/** The last `n` events, oldest first (like `tail`). */
export function tailEvents(db: Db, n = 20): readonly AuditEvent[] {
  return queryEvents(db, { limit: checkLimit(n, 20), order: 'desc' }).slice().reverse();
}

export function getEvent(db: Db, seq: number): AuditEvent | undefined {
  const row = first(db.sqlite, selectEvents(db).where('e.seq', '=', seq)) as EventRow | undefined;
  return row ? toEvent(row) : undefined;
}

/** How many events the trail holds (the head seq when nothing is missing). */
export function countEvents(db: Pick<WorkspaceDb, 'sqlite'>): number {
  return db.sqlite.prepare('select count(*) from audit_events').pluck().get() as number;
}
