/**
 * Read-only audit trail queries for the timeline: windows by position (fast at 1,000,000
 * events: an unfiltered window is a primary-key range because seq has no gaps), keyset pages,
 * counts and single events with their payload.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ExpressionBuilder, Kysely, Selectable, SelectQueryBuilder } from 'kysely';
import type { AuditEvent } from '../../shared/audit.ts';
import type { AuditFilter, AuditRow, AuditWindow } from '../../shared/api/types.ts';
import type { AuditEventsTable, WorkspaceDatabase } from '../engine/store/schema.ts';
import { headerFromRow } from '../engine/audit/query.ts';
import { all, first } from '../engine/store/sync.ts';

type Db = Kysely<WorkspaceDatabase>;
type EventsQuery = SelectQueryBuilder<WorkspaceDatabase, 'audit_events', object>;

const ROW_COLUMNS = ['seq', 'ts', 'type', 'agent_id', 'action', 'outcome', 'trace_id', 'payload_hash', 'digest'] as const;

type RawRow = Pick<Selectable<AuditEventsTable>, (typeof ROW_COLUMNS)[number]>;

function toRow(r: RawRow): AuditRow {
  return { ...headerFromRow(r), digest: r.digest };
}

export function hasFilter(filter: AuditFilter): boolean {
  return Boolean(filter.agentId || filter.action || filter.outcome || filter.traceId || filter.fromTs || filter.toTs);
}

function applyFilter<Q extends EventsQuery>(query: Q, filter: AuditFilter): Q {
  return query.where((eb: ExpressionBuilder<WorkspaceDatabase, 'audit_events'>) => {
    const conditions = [];
    if (filter.agentId) conditions.push(eb('agent_id', '=', filter.agentId));
    if (filter.action) conditions.push(eb('action', '=', filter.action));
    if (filter.outcome) conditions.push(eb('outcome', '=', filter.outcome));
    if (filter.traceId) conditions.push(eb('trace_id', '=', filter.traceId));
    if (filter.fromTs) conditions.push(eb('ts', '>=', filter.fromTs));
    if (filter.toTs) conditions.push(eb('ts', '<', filter.toTs));
    return eb.and(conditions);
  }) as Q;
}

export function headSeq(sqlite: BetterSqlite3.Database, db: Db): number {
  const row = first(sqlite, db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('head')));
  return Number(row?.head ?? 0);
}

export function countEvents(sqlite: BetterSqlite3.Database, db: Db, filter: AuditFilter): number {
  if (!hasFilter(filter)) return headSeq(sqlite, db);
  const query = applyFilter(db.selectFrom('audit_events') as EventsQuery, filter).select((eb) => eb.fn.countAll<number>().as('n'));
  return Number(first(sqlite, query)?.n ?? 0);
}

/** Rows `offset … offset+limit` of the filtered timeline, newest first. */
export function auditWindow(sqlite: BetterSqlite3.Database, db: Db, filter: AuditFilter, offset: number, limit: number): AuditWindow {
  const total = countEvents(sqlite, db, filter);
  if (offset >= total) return { rows: [], offset, total };
  let query = db.selectFrom('audit_events').select(ROW_COLUMNS).orderBy('seq', 'desc').limit(limit);
  if (hasFilter(filter)) {
    query = applyFilter(query as EventsQuery, filter).offset(offset) as typeof query;
  } else {
    // seq runs 1..head without gaps, so position → seq is arithmetic: an index range, not a scan.
    query = query.where('seq', '<=', total - offset);
  }
  return { rows: all(sqlite, query).map(toRow), offset, total };
}

export interface KeysetQuery extends AuditFilter {
  readonly afterSeq?: number;
  readonly beforeSeq?: number;
  readonly limit?: number;
  readonly order?: 'asc' | 'desc';
}

export function auditPage(sqlite: BetterSqlite3.Database, db: Db, q: KeysetQuery): readonly AuditRow[] {
  let query = db.selectFrom('audit_events').select(ROW_COLUMNS);
  query = applyFilter(query as EventsQuery, q) as typeof query;
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  query = query.orderBy('seq', q.order ?? 'desc').limit(q.limit ?? 100);
  return all(sqlite, query).map(toRow);
}

export function auditEvent(sqlite: BetterSqlite3.Database, db: Db, seq: number): AuditEvent | null {
  const row = first(
    sqlite,
    db
      .selectFrom('audit_events as e')
      .leftJoin('audit_payloads as p', 'p.seq', 'e.seq')
      .select(['e.seq', 'e.ts', 'e.type', 'e.agent_id', 'e.action', 'e.outcome', 'e.trace_id', 'e.payload_hash', 'e.digest', 'e.prev_digest', 'p.payload', 'p.state'])
      .where('e.seq', '=', seq),
  );
  if (!row) return null;
  return {
    ...toRow(row),
    prevDigest: row.prev_digest,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    payloadState: (row.state ?? 'erased') as AuditEvent['payloadState'],
  };
}
