/**
 * The test-suite format (`apiVersion: charter/v1`, `kind: TestSuite`) as typed data.
 * docs/testing.md documents every field; ./parse-suite.ts reads it with positions.
 */
import type { SourceLocation } from '../../../shared/errors.ts';
import type { Degradation, FailMode, Maturity, Outcome, RedactionMethod, ResolutionRung, Usage } from '../../../shared/domain.ts';

export const SUITE_API_VERSION = 'charter/v1';
export const SUITE_KIND = 'TestSuite';

/** Suites start at this instant unless they say otherwise, so quota windows are reproducible. */
export const DEFAULT_SUITE_START = '2025-01-01T00:00:00.000Z';

export interface TestSuite {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** The contract under test, as written (relative to the suite's folder) and resolved. */
  readonly contract: ContractFileRef;
  /** Further contracts to load (published and activated), not measured for coverage. */
  readonly extraContracts: readonly ContractFileRef[];
  /** Clock start, ms since the epoch. */
  readonly start: number;
  readonly agents: readonly SuiteAgent[];
  readonly sessions: readonly SuiteSession[];
  readonly settings: SuiteSettings;
  readonly cases: readonly TestCase[];
}

export interface ContractFileRef {
  readonly path: string;
  readonly resolved: string;
  readonly location: SourceLocation;
}

export interface SuiteAgent {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly maturity: Maturity;
  /** null: governed by the workspace default contract. */
  readonly contract: string | null;
  readonly location: SourceLocation;
}

export interface SuiteSession {
  /** The name cases use; the workspace gives the session its own id. */
  readonly id: string;
  readonly agent: string | null;
  readonly location: SourceLocation;
}

export interface SuiteSettings {
  /** undefined: leave unset. */
  readonly defaultAgent?: string | null;
  /** undefined: the suite's contract is the workspace default contract. */
  readonly defaultContract?: string | null;
  readonly emergencyBypass?: boolean;
  /** What the engine does when no contract can be found for an agent. */
  readonly failMode?: FailMode;
}

export interface TestCase {
  readonly name: string;
  readonly location: SourceLocation;
  /** Set the clock to this instant (ms) before the request. */
  readonly at?: number;
  /** Move the clock forward by this many ms before the request. */
  readonly advance?: number;
  readonly request: CaseRequest;
  readonly expect: Expectation;
}

export interface CaseRequest {
  readonly agent?: string;
  /** A session name from the suite's `sessions`. */
  readonly session?: string;
  readonly action: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly usage?: Usage;
}

export interface Expectation {
  readonly outcome: Outcome;
  /** Every one of these must appear among the decision's reason rule ids. */
  readonly ruleIds: readonly string[];
  readonly rung?: ResolutionRung;
  /** The governing agent's id. */
  readonly agent?: string;
  /** The governing contract's name; null means none governed (fail mode). */
  readonly contract?: string | null;
  readonly degraded?: Degradation | null;
  /** undefined: not checked; null: no token cap expected. */
  readonly tokenCap?: number | null;
  /** undefined: not checked; otherwise exactly these redactions (order does not matter). */
  readonly redact?: readonly ExpectedRedaction[];
}

export interface ExpectedRedaction {
  readonly path: string;
  readonly dataClass?: string;
  readonly method?: RedactionMethod;
  readonly target?: 'input' | 'output';
}
