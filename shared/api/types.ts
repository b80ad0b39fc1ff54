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

// ---- signing keys and bundles -------------------------------------------------------------

/** Does this workspace have a signing key, and how is its private half sealed here? */
export interface KeyStatus {
  readonly hasKey: boolean;
  /** The active key's id (its RFC 7638 thumbprint), or null. */
  readonly kid: string | null;
  /** How the active key is sealed ('safestorage', 'passphrase'), or null without a key. */
  readonly keyBox: string | null;
  /** What seals a new key here: the OS keychain (Electron safeStorage) or a passphrase. */
  readonly backend: 'keychain' | 'passphrase';
  /** True when creating, rotating or signing with the key needs a passphrase from the user. */
  readonly needsPassphrase: boolean;
  /** Why the keychain is not used here (no keychain over the bridge, a plain-text backend…), or null. */
  readonly keychainProblem: string | null;
}

export interface SigningKeySummary {
  readonly kid: string;
  readonly status: 'active' | 'retired';
  readonly box: string;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

export interface TrustedKeySummary {
  readonly kid: string;
  readonly label: string;
  readonly addedAt: string;
}

export interface KeysList {
  readonly signing: readonly SigningKeySummary[];
  readonly trusted: readonly TrustedKeySummary[];
  /** This workspace's public keys (active and retired) as a JWKS, to give to auditors. */
  readonly jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] };
}

export interface BundleExportResult {
  readonly cancelled: boolean;
  /** Opens this export with `bundles.open({ exportId })`; null when cancelled. */
  readonly exportId: string | null;
  readonly fileName: string;
  /** Where the file went, in words: a full path (desktop) or `exports/<name>` in the workspace's folder. */
  readonly location: string;
  readonly bytes: number;
  readonly events: number;
  readonly firstSeq: number;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly kid: string;
  readonly elapsedMs: number;
}

export type BundleFailureClass =
  | 'signature' | 'untrusted_key' | 'tampered' | 'missing_file' | 'extra_file'
  | 'event_mismatch' | 'consistency' | 'archive' | 'unsupported_version';

export interface BundleSummary {
  readonly workspace: { readonly id: string; readonly name: string };
  readonly createdAt: string;
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly events: number;
  readonly firstSeq: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly decisionsByOutcome: Readonly<Record<string, number>>;
  readonly checkpoint: { readonly treeSize: number; readonly rootHash: string; readonly headDigest: string };
  readonly previous: { readonly treeSize: number; readonly rootHash: string } | null;
  readonly contracts: readonly { readonly name: string; readonly version: number; readonly hash: string }[];
  /**
   * `sha256` of the content and `packedSha256` of the bytes as stored — both null for
   * events.ndjson, whose segments carry their own and whose events are proven one by one.
   */
  readonly files: readonly { readonly path: string; readonly size: number; readonly sha256: string | null; readonly packedSha256: string | null }[];
  /** How many segments events.ndjson holds (each verified on its own, in parallel). */
  readonly segments: number;
}

/** What opening a bundle found: verified (with a handle to browse it) or refused, and why. */
export type BundleCheck =
  | {
    readonly ok: true;
    readonly handle: string;
    readonly fileName: string;
    readonly bytes: number;
    readonly signers: readonly string[];
    readonly untrustedSigners: readonly string[];
    readonly summary: BundleSummary;
  }
  | {
    readonly ok: false;
    readonly fileName: string;
    readonly bytes: number;
    readonly failure: {
      readonly kind: BundleFailureClass;
      readonly title: string;
      readonly message: string;
      readonly file: string | null;
      readonly seq: number | null;
      readonly kid: string | null;
    };
    /** What to do about it, in words. */
    readonly advice: string;
  };

export interface BundleOpenResult {
  /** The user closed the file dialog, or cancelled verification. */
  readonly cancelled: boolean;
  readonly check: BundleCheck | null;
  readonly elapsedMs: number;
}

/** One event of an opened bundle, without its payload. */
export interface BundleEventRow extends AuditEventHeader {
  readonly digest: string;
  readonly payloadState: 'intact' | 'redacted' | 'erased';
}

export interface BundleEventsPage {
  readonly rows: readonly BundleEventRow[];
  readonly offset: number;
  /** Events matching the filter. */
  readonly total: number;
  /** Distinct values in the bundle, for the filter pickers (at most 200 each). */
  readonly facets: { readonly agents: readonly string[]; readonly actions: readonly string[]; readonly types: readonly string[] };
}

export interface BundleEventDetail {
  readonly event: BundleEventRow;
  readonly payload: unknown;
  /** An RFC 9162 inclusion proof of this event in the signed tree, checked against the manifest's root. */
  readonly inclusion: {
    readonly verified: boolean;
    readonly leafIndex: number;
    readonly treeSize: number;
    readonly rootHash: string;
    readonly proof: readonly string[];
  };
}
