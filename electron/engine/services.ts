/**
 * The engine's public surface: transport-agnostic services over one open workspace.
 * The CharterApi (shared/api.ts) exposes these to the UI; the CLI and tests call them
 * directly. Nothing here writes to the console or exits the process.
 */
import type { CacheStats, ContractSummary } from '../../shared/api/types.ts';
import type { AuditEvent, AuditEventType } from '../../shared/audit.ts';
import type { ContractParseResult } from '../../shared/contract/parse.ts';
import type {
  Agent,
  Approval,
  ContractVersion,
  Decision,
  DecisionRequest,
  Execution,
  ExecutionStatus,
  Maturity,
  Outcome,
  Session,
} from '../../shared/domain.ts';

/** Milliseconds since the epoch; injected so quotas and TTLs can be tested. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface NewAgent {
  readonly id?: string;
  readonly name: string;
  readonly role: string;
  readonly maturity: Maturity;
  readonly contract?: string | null;
}

export interface AgentPatch {
  readonly name?: string;
  readonly role?: string;
  readonly maturity?: Maturity;
  readonly contract?: string | null;
}

export interface AgentService {
  list(): readonly Agent[];
  get(id: string): Agent | undefined;
  create(input: NewAgent): Agent;
  update(id: string, patch: AgentPatch): Agent;
  createSession(agentId: string | null): Session;
}

export interface ContractService {
  validate(source: string, file?: string): ContractParseResult;
  list(): readonly ContractSummary[];
  versions(name: string): readonly ContractVersion[];
  /** The active version, or the given one. */
  get(name: string, version?: number): ContractVersion | undefined;
  /**
   * Saves a draft. `parentHash` is the hash of the version the edit started from (null for a
   * new contract); if it is not the contract's head, the save is refused as a conflict.
   */
  saveDraft(source: string, parentHash: string | null): ContractVersion;
  publish(name: string, version: number): ContractVersion;
  activate(name: string, version: number): ContractVersion;
  rollback(name: string, toVersion: number): ContractVersion;
}

export interface WorkspaceFlags {
  readonly emergencyBypass: boolean;
}

export interface SettingsService {
  defaultAgentId(): string | null;
  setDefaultAgent(agentId: string | null): void;
  defaultContract(): string | null;
  setDefaultContract(name: string | null): void;
  flags(): WorkspaceFlags;
  setFlag(name: keyof WorkspaceFlags, value: boolean): void;
}

export interface DecideOptions {
  /** Record the decision in the audit trail (default true). */
  readonly record?: boolean;
}

export interface GovernanceService {
  decide(request: DecisionRequest, options?: DecideOptions): Decision;
  cacheStats(): CacheStats;
}

export interface StartedExecution {
  readonly execution: Execution;
  readonly decision: Decision;
  /** Present when the decision escalated. */
  readonly approval: Approval | null;
}

export interface ExecutionService {
  /** Decides, then opens an execution: running, blocked or awaiting_approval. */
  start(request: DecisionRequest, parentId?: string | null): StartedExecution;
  finish(id: string, status: Extract<ExecutionStatus, 'completed' | 'failed'>, detail?: string): Execution;
  get(id: string): Execution | undefined;
  list(filter?: { agentId?: string; status?: ExecutionStatus; limit?: number }): readonly Execution[];
}

export interface ApprovalService {
  list(status?: Approval['status']): readonly Approval[];
  decide(id: string, verdict: 'approved' | 'denied', by: string): Approval;
}

export interface AuditQuery {
  readonly afterSeq?: number;
  readonly beforeSeq?: number;
  readonly limit?: number;
  readonly types?: readonly AuditEventType[];
  readonly agentId?: string;
  readonly action?: string;
  readonly outcome?: Outcome;
  readonly traceId?: string;
  readonly fromTs?: string;
  readonly toTs?: string;
  /** Newest first (default) or oldest first. */
  readonly order?: 'desc' | 'asc';
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly eventsChecked: number;
  /** The first event whose digest does not match, with what was wrong. */
  readonly firstBad: { readonly seq: number; readonly problem: string } | null;
  readonly headDigest: string;
}

export interface VerifyProgress {
  readonly checked: number;
  readonly total: number;
}

export interface AuditService {
  count(): number;
  head(): { readonly seq: number; readonly digest: string };
  query(query: AuditQuery): readonly AuditEvent[];
  /** Verifies the whole chain, yielding to the event loop between slices. */
  verify(options?: { onProgress?: (p: VerifyProgress) => void; signal?: AbortSignal }): Promise<ChainVerification>;
}

export type { CacheStats, ContractSummary };
