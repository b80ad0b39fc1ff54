/**
 * The governance domain, as every side of Charter sees it: agents, requests, decisions,
 * executions. Pure types and constants; no I/O.
 */

export const MATURITY_LEVELS = ['student', 'intern', 'supervised', 'autonomous'] as const;
export type Maturity = (typeof MATURITY_LEVELS)[number];

/** student = 1 … autonomous = 4; an action of complexity N needs rank ≥ N. */
export function maturityRank(maturity: Maturity): number {
  return MATURITY_LEVELS.indexOf(maturity) + 1;
}

export function isMaturity(value: unknown): value is Maturity {
  return typeof value === 'string' && (MATURITY_LEVELS as readonly string[]).includes(value);
}

export type Outcome = 'allow' | 'deny' | 'escalate';
export const OUTCOMES: readonly Outcome[] = ['allow', 'deny', 'escalate'];

export type FailMode = 'closed' | 'open';

/** Which rung of context resolution named the governing agent. */
export type ResolutionRung = 'explicit' | 'session' | 'workspace_default' | 'system_default';
export const RESOLUTION_RUNGS: readonly ResolutionRung[] = ['explicit', 'session', 'workspace_default', 'system_default'];

export const SYSTEM_DEFAULT_AGENT_ID = 'chat-assistant';
export const SYSTEM_DEFAULT_AGENT_NAME = 'Chat Assistant';

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly maturity: Maturity;
  /** 0..1, fed by execution outcomes. */
  readonly confidence: number;
  /** Name of the contract that governs this agent; null means the workspace default contract. */
  readonly contract: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Session {
  readonly id: string;
  readonly agentId: string | null;
  readonly createdAt: string;
}

/**
 * Tool calls are actions named `tool:<name>`; their complexity is the one the contract declares.
 */
export const TOOL_ACTION_PREFIX = 'tool:';

/** What a caller asks the engine to decide. */
export interface DecisionRequest {
  readonly agentId?: string;
  readonly sessionId?: string;
  /** A catalog action (`stream_chat`) or a tool call (`tool:search_code`). */
  readonly action: string;
  /** The action's input, or a tool call's arguments. */
  readonly input?: unknown;
  /** Present when the decision is about releasing an output (DLP, output schema). */
  readonly output?: unknown;
  /** Resource use this request would consume, counted against quotas. */
  readonly usage?: Usage;
  readonly traceId?: string;
}

export interface Usage {
  readonly calls?: number;
  readonly tokens?: number;
  readonly bytes?: number;
  readonly cost?: number;
}

export type QuotaMetric = keyof Usage;
export const QUOTA_METRICS: readonly QuotaMetric[] = ['calls', 'tokens', 'bytes', 'cost'];

export interface Reason {
  /** Stable id of the rule that produced it, e.g. `maturity.gate` or `support/quotas/stream-tokens`. */
  readonly ruleId: string;
  readonly message: string;
}

export type RedactionMethod = 'mask' | 'hash' | 'remove';

export interface RedactionObligation {
  /** JSON pointer into the input or output. */
  readonly path: string;
  readonly dataClass: string;
  readonly method: RedactionMethod;
  readonly target: 'input' | 'output';
}

export interface Obligations {
  readonly redact: readonly RedactionObligation[];
  /** Maximum tokens a stream may produce under this decision. */
  readonly tokenCap?: number;
}

export interface ContractRef {
  readonly name: string;
  readonly version: number;
  readonly hash: string;
}

/** Why a decision did not come from an ordinary evaluation. */
export type Degradation = 'fail_closed' | 'fail_open' | 'bypass';

export interface Decision {
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly obligations: Obligations;
  readonly contract: ContractRef | null;
  readonly agentId: string;
  readonly action: string;
  readonly rung: ResolutionRung;
  readonly cacheHit: boolean;
  /** Wall time spent deciding, in microseconds. */
  readonly latencyUs: number;
  readonly degraded: Degradation | null;
  /** Every rule id the evaluation looked at; drives test coverage. */
  readonly rulesEvaluated: readonly string[];
}

export type ExecutionStatus = 'running' | 'completed' | 'failed' | 'blocked' | 'awaiting_approval';
export const TERMINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['completed', 'failed', 'blocked'];

export interface Execution {
  readonly id: string;
  readonly agentId: string;
  readonly action: string;
  readonly status: ExecutionStatus;
  readonly parentId: string | null;
  readonly traceId: string;
  readonly decisionOutcome: Outcome;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly error: string | null;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied';

export interface Approval {
  readonly id: string;
  readonly executionId: string;
  readonly agentId: string;
  readonly action: string;
  readonly status: ApprovalStatus;
  readonly reason: string;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

export type ContractVersionStatus = 'draft' | 'published' | 'active' | 'superseded';

export interface ContractVersion {
  readonly contract: string;
  readonly version: number;
  readonly status: ContractVersionStatus;
  /** SHA-256 (hex) of the YAML source. */
  readonly hash: string;
  /** Hash of the version this one was edited from; null for the first. */
  readonly parentHash: string | null;
  readonly source: string;
  readonly createdAt: string;
  readonly publishedAt: string | null;
}
