/**
 * Dashboard figures computed from the audit trail with SQL: decisions over time by outcome,
 * the latency histogram, the cache hit rate and block/escalate rates. The trail is the source
 * of truth, so the dashboard shows what was recorded, including decisions made by the CLI.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DashboardMetrics, HistogramBin, TimeBucket } from '../../shared/api/types.ts';
import type { WorkspaceDatabase } from '../engine/store/schema.ts';
import { all, first } from '../engine/store/sync.ts';

/** Bin edges in microseconds; the last bin is open. */
export const LATENCY_EDGES_US: readonly number[] = [0, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

// The decision payload is the Decision itself or wraps it; read either shape.
const latencyUs = sql<number | null>`coalesce(json_extract(p.payload, '$.latencyUs'), json_extract(p.payload, '$.decision.latencyUs'))`;
const cacheHit = sql<number | null>`coalesce(json_extract(p.payload, '$.cacheHit'), json_extract(p.payload, '$.decision.cacheHit'))`;

export interface MetricsRange {
  readonly fromTs?: string;
  readonly toTs?: string;
  readonly buckets?: number;
}

export function dashboardMetrics(sqlite: BetterSqlite3.Database, db: Kysely<WorkspaceDatabase>, range: MetricsRange): DashboardMetrics {
  const decisions = () => {
    let q = db.selectFrom('audit_events as e').where('e.type', '=', 'decision');
    if (range.fromTs) q = q.where('e.ts', '>=', range.fromTs);
    if (range.toTs) q = q.where('e.ts', '<', range.toTs);
    return q;
  };

  const totals = first(
    sqlite,
    decisions().select([
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(e.outcome = 'deny')`.as('deny'),
      sql<number>`sum(e.outcome = 'escalate')`.as('escalate'),
      sql<string | null>`min(e.ts)`.as('first'),
      sql<string | null>`max(e.ts)`.as('last'),
    ]),
  );
  const n = Number(totals?.n ?? 0);
  if (n === 0 || !totals?.first || !totals.last) {
    return { decisions: 0, overTime: [], bucketMs: 0, latency: emptyHistogram(), latencyP50Us: null, latencyP95Us: null, cacheHitRate: null, blockRate: null, escalateRate: null };
  }

  const firstMs = Date.parse(range.fromTs ?? totals.first);
  const lastMs = Date.parse(range.toTs ?? totals.last) + 1;
  const bucketCount = range.buckets ?? 24;
  const bucketMs = Math.max(1000, Math.ceil((lastMs - firstMs) / bucketCount));
  const bucketExpr = sql<number>`cast(((julianday(e.ts) - julianday(${new Date(firstMs).toISOString()})) * 86400000) / ${bucketMs} as integer)`;
  const perBucket = all(
    sqlite,
    decisions()
      .select([bucketExpr.as('bucket'), 'e.outcome', sql<number>`count(*)`.as('n')])
      .groupBy(['bucket', 'e.outcome']),
  );
  const buckets: { allow: number; deny: number; escalate: number }[] = Array.from({ length: bucketCount }, () => ({ allow: 0, deny: 0, escalate: 0 }));
  for (const row of perBucket) {
    const b = buckets[Math.min(bucketCount - 1, Math.max(0, Number(row.bucket)))];
    if (b && (row.outcome === 'allow' || row.outcome === 'deny' || row.outcome === 'escalate')) b[row.outcome] += Number(row.n);
  }
  const overTime: TimeBucket[] = buckets.map((b, i) => ({ start: new Date(firstMs + i * bucketMs).toISOString(), ...b }));

  const withPayload = () => decisions().leftJoin('audit_payloads as p', 'p.seq', 'e.seq');
  const binExpr = sql<number>`case ${sql.join(
    LATENCY_EDGES_US.slice(1).map((edge, i) => sql`when ${latencyUs} < ${edge} then ${i}`),
    sql` `,
  )} else ${LATENCY_EDGES_US.length - 1} end`;
  const bins = all(
    sqlite,
    withPayload().where(latencyUs, 'is not', null).select([binExpr.as('bin'), sql<number>`count(*)`.as('n')]).groupBy('bin'),
  );
  const latency = emptyHistogram().map((bin, i) => ({ ...bin, count: Number(bins.find((b) => Number(b.bin) === i)?.n ?? 0) }));
  const measured = latency.reduce((s, b) => s + b.count, 0);
  const percentile = (p: number): number | null => {
    if (measured === 0) return null;
    const row = first(
      sqlite,
      withPayload().where(latencyUs, 'is not', null).select(latencyUs.as('us')).orderBy(latencyUs).limit(1).offset(Math.min(measured - 1, Math.floor(measured * p))),
    );
    return row?.us === undefined || row.us === null ? null : Number(row.us);
  };

  const hits = first(
    sqlite,
    withPayload().where(cacheHit, 'is not', null).select([sql<number>`count(*)`.as('n'), sql<number>`sum(${cacheHit} = 1)`.as('hits')]),
  );
  const cacheN = Number(hits?.n ?? 0);

  return {
    decisions: n,
    overTime,
    bucketMs,
    latency,
    latencyP50Us: percentile(0.5),
    latencyP95Us: percentile(0.95),
    cacheHitRate: cacheN === 0 ? null : Number(hits?.hits ?? 0) / cacheN,
    blockRate: Number(totals.deny ?? 0) / n,
    escalateRate: Number(totals.escalate ?? 0) / n,
  };
}

function emptyHistogram(): HistogramBin[] {
  return LATENCY_EDGES_US.map((fromUs, i) => ({ fromUs, toUs: LATENCY_EDGES_US[i + 1] ?? null, count: 0 }));
}
