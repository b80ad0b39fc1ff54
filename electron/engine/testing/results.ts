/** What running test suites produces, as data. The CLI formats it; nothing here prints. */
import type { Decision } from '../../../shared/domain.ts';
import type { Diagnostic, SourceLocation } from '../../../shared/errors.ts';

export type CaseStatus = 'pass' | 'fail' | 'error';

/** One expectation that did not hold. */
export interface Mismatch {
  /** `outcome`, `ruleId`, `rung`, `agent`, `contract`, `degraded`, `tokenCap`, `redact`. */
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface CaseResult {
  readonly name: string;
  readonly location: SourceLocation;
  readonly status: CaseStatus;
  readonly mismatches: readonly Mismatch[];
  /** The decision, when one was made. */
  readonly decision: Decision | null;
  /** Why the case could not run (status `error`). */
  readonly error: string | null;
  /** Clock at the request, ISO-8601. */
  readonly at: string;
}

export interface SuiteResult {
  readonly file: string;
  /** null when the suite could not be read. */
  readonly name: string | null;
  /** Name of the contract under test, when it loaded. */
  readonly contract: string | null;
  readonly contractFile: string | null;
  /** Problems that kept the suite from running: a malformed suite or contract. */
  readonly diagnostics: readonly Diagnostic[];
  readonly cases: readonly CaseResult[];
  readonly durationMs: number;
  /** Rule ids the contract defines, and which of them the cases evaluated. */
  readonly ruleIds: readonly string[];
  readonly rulesEvaluated: readonly string[];
}

export interface ContractCoverage {
  readonly contract: string;
  readonly file: string;
  readonly total: number;
  readonly covered: readonly string[];
  readonly uncovered: readonly string[];
  /** covered ÷ total, 1 when the contract defines no rules. */
  readonly ratio: number;
  /** Built-in rules (maturity.gate, flags.*, …) the cases exercised. */
  readonly builtins: readonly string[];
}

export interface TestReport {
  readonly ok: boolean;
  readonly suites: readonly SuiteResult[];
  readonly coverage: readonly ContractCoverage[];
  readonly totals: {
    readonly suites: number;
    /** Suites that could not run. */
    readonly brokenSuites: number;
    readonly cases: number;
    readonly passed: number;
    readonly failed: number;
    readonly errored: number;
  };
  readonly durationMs: number;
}
