/**
 * What the manifest's counts and the report need from the exported events: events by type,
 * decisions by outcome, events per day, approvals, the first denied decisions. Each segment
 * keeps one (./export-segment.ts); the export adds them up in order (./export.ts).
 */
import type { ReportBlocked } from '../../../shared/bundle/report.ts';

/** A tally as it crosses threads. */
export interface SegmentStats {
  readonly byType: Readonly<Record<string, number>>;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly perDay: readonly (readonly [string, number])[];
  readonly approvals: { readonly requested: number; readonly approved: number; readonly denied: number };
  /** The first few denied decisions, and how many in all. */
  readonly blocked: readonly ReportBlocked[];
  readonly blockedTotal: number;
}

/** Denied decisions the report lists by name. */
export const BLOCKED_KEPT = 50;

function bump<K>(map: Map<K, number>, key: K, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

export class ExportTally {
  readonly byType = new Map<string, number>();
  readonly byOutcome = new Map<string, number>();
  readonly perDay = new Map<string, number>();
  readonly approvals = { requested: 0, approved: 0, denied: 0 };
  readonly blocked: ReportBlocked[] = [];
  blockedTotal = 0;

  /** One event; `payload` is read only for the rare events whose counts need it (lazily). */
  count(seq: number, ts: string, type: string, agentId: string | null, action: string | null, outcome: string | null, payload: () => unknown): void {
    bump(this.byType, type);
    bump(this.perDay, ts.slice(0, 10));
    if (type === 'decision') {
      bump(this.byOutcome, outcome ?? 'none');
      if (outcome === 'deny') {
        this.blockedTotal++;
        if (this.blocked.length < BLOCKED_KEPT) this.blocked.push({ seq, ts, agentId, action, rules: ruleIds(payload()) });
      }
    } else if (type === 'approval.requested') {
      this.approvals.requested++;
    } else if (type === 'approval.decided') {
      const verdict = (payload() as { verdict?: unknown } | null)?.verdict;
      if (verdict === 'approved') this.approvals.approved++;
      else if (verdict === 'denied') this.approvals.denied++;
    }
  }

  /** Adds a later segment's tally. */
  add(stats: SegmentStats): void {
    for (const [k, n] of Object.entries(stats.byType)) bump(this.byType, k, n);
    for (const [k, n] of Object.entries(stats.byOutcome)) bump(this.byOutcome, k, n);
    for (const [k, n] of stats.perDay) bump(this.perDay, k, n);
    this.approvals.requested += stats.approvals.requested;
    this.approvals.approved += stats.approvals.approved;
    this.approvals.denied += stats.approvals.denied;
    this.blocked.push(...stats.blocked.slice(0, BLOCKED_KEPT - this.blocked.length));
    this.blockedTotal += stats.blockedTotal;
  }

  stats(): SegmentStats {
    return {
      byType: Object.fromEntries(this.byType), byOutcome: Object.fromEntries(this.byOutcome), perDay: [...this.perDay.entries()],
      approvals: { ...this.approvals }, blocked: [...this.blocked], blockedTotal: this.blockedTotal,
    };
  }
}

function ruleIds(payload: unknown): string[] {
  const reasons = (payload as { reasons?: unknown } | null)?.reasons;
  if (!Array.isArray(reasons)) return [];
  return reasons.map((r) => (r as { ruleId?: unknown })?.ruleId).filter((id): id is string => typeof id === 'string');
}
