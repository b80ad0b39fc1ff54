/**
 * Data the CharterApi carries that the domain types do not already name. These are plain JSON:
 * every transport (IPC structured clone, HTTP JSON) carries them unchanged.
 */
import type { AuditEventHeader } from '../audit.ts';
import type { Diagnostic } from '../errors.ts';
import type { Outcome } from '../domain.ts';

export interface ContractSummary {
  readonly name: string;
  readonly description: string;
  readonly activeVersion: number | null;
  readonly latestVersion: number;
  readonly hasDraft: boolean;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ContractTemplate {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly source: string;
}

export interface WorkspaceSettings {
  readonly defaultAgentId: string | null;
  readonly defaultContract: string | null;
  readonly emergencyBypass: boolean;
}

export interface CacheStats {
  readonly size: number;
  readonly capacity: number;
  readonly ttlMs: number;
  readonly hits: number;
  readonly misses: number;
  readonly invalidations: number;
  readonly hitRate: number;
}

export interface AuditFilter {
  readonly agentId?: string;
  readonly action?: string;
  readonly outcome?: Outcome;
  readonly traceId?: string;
  /** ISO-8601, inclusive. */
  readonly fromTs?: string;
  /** ISO-8601, exclusive. */
  readonly toTs?: string;
}

/** One timeline row: the chained header and its digest, without the payload. */
export interface AuditRow extends AuditEventHeader {
  readonly digest: string;
}

export interface AuditWindow {
  /** Rows newest first, starting at `offset` in the filtered timeline. */
  readonly rows: readonly AuditRow[];
  readonly offset: number;
  /** How many events match the filter. */
  readonly total: number;
}

export interface ChainReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly firstBad: { readonly seq: number; readonly problem: string } | null;
  readonly headDigest: string;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
}

export interface TimeBucket {
  /** ISO-8601 start of the bucket. */
  readonly start: string;
  readonly allow: number;
  readonly deny: number;
  readonly escalate: number;
}

export interface HistogramBin {
  /** Lower bound in microseconds, inclusive. */
  readonly fromUs: number;
  /** Upper bound in microseconds, exclusive; null for the last, open bin. */
  readonly toUs: number | null;
  readonly count: number;
}

export interface DashboardMetrics {
  readonly decisions: number;
  readonly overTime: readonly TimeBucket[];
  readonly bucketMs: number;
  readonly latency: readonly HistogramBin[];
  readonly latencyP50Us: number | null;
  readonly latencyP95Us: number | null;
  /** Share of decisions served from the cache, from the trail (0..1); null with no decisions. */
  readonly cacheHitRate: number | null;
  readonly blockRate: number | null;
  readonly escalateRate: number | null;
}

export interface TestCaseResult {
  readonly suite: string;
  readonly name: string;
  readonly passed: boolean;
  readonly expected: Outcome;
  readonly actual: Outcome | null;
  readonly message: string;
  /** 1-based line of the case in the suite source, when known. */
  readonly line: number | null;
}

export interface RuleCoverage {
  readonly ruleId: string;
  readonly hits: number;
}

export interface TestRunReport {
  readonly passed: number;
  readonly failed: number;
  readonly cases: readonly TestCaseResult[];
  readonly coverage: readonly RuleCoverage[];
  /** Rules exercised / rules declared, 0..1. */
  readonly coverageRatio: number;
  readonly diagnostics: readonly Diagnostic[];
}

export interface SuiteSource {
  readonly contract: string;
  readonly source: string | null;
}

export interface AppInfo {
  readonly version: string;
  readonly transport: 'ipc' | 'bridge' | 'direct';
  readonly workspacePath: string;
}
