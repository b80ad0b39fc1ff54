/**
 * Executions: one run of an action. Starting one decides it, opens the execution in the status
 * the decision implies and, for an escalation, files an approval — all in one transaction.
 * Outcomes feed the agent's confidence score.
 */
import { randomUUID } from 'node:crypto';
import type { DecisionRequest, Execution, ExecutionStatus, Outcome } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ExecutionService, StartedExecution } from '../services.ts';
import { adjustConfidence, getAgent } from '../store/agents-repository.ts';
import { insertApproval } from '../store/approvals-repository.ts';
import { getExecution, insertExecution, listExecutions, updateExecutionStatus } from '../store/executions-repository.ts';
import { recordDecision } from './governance-service.ts';
import type { WorkspaceContext } from './workspace-context.ts';

const STATUS_FOR: Readonly<Record<Outcome, ExecutionStatus>> = {
  allow: 'running',
  deny: 'blocked',
  escalate: 'awaiting_approval',
};

/** How much one outcome moves an agent's confidence (clamped to [0, 1] by the store). */
export const CONFIDENCE_DELTA: Readonly<Partial<Record<ExecutionStatus, number>>> = {
  completed: 0.01,
  failed: -0.03,
  blocked: -0.02,
};

export class WorkspaceExecutionService implements ExecutionService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  start(request: DecisionRequest, parentId: string | null = null): StartedExecution {
    if (parentId !== null && !getExecution(this.#ctx.db, parentId)) {
      throw new CharterError('not_found', `parent execution ${parentId} does not exist`);
    }
    const traceId = request.traceId ?? randomUUID();
    const traced: DecisionRequest = { ...request, traceId };
    const decision = this.#ctx.engine.decide(traced, { consumeQuota: true });
    const status = STATUS_FOR[decision.outcome];
    const started = this.#ctx.transact(() => {
      recordDecision(this.#ctx.audit, traced, decision);
      const execution = insertExecution(this.#ctx.db, {
        agentId: decision.agentId,
        action: decision.action,
        status,
        decisionOutcome: decision.outcome,
        parentId,
        traceId,
        contractName: decision.contract?.name ?? null,
        contractVersion: decision.contract?.version ?? null,
        startedAt: this.#now(),
      });
      this.#ctx.audit.append({
        type: 'execution.started',
        agentId: execution.agentId,
        action: execution.action,
        outcome: decision.outcome,
        traceId,
        payload: { executionId: execution.id, status, parentId },
      });
      const approval =
        decision.outcome === 'escalate'
          ? insertApproval(this.#ctx.db, {
              executionId: execution.id,
              agentId: execution.agentId,
              action: execution.action,
              reason: decision.reasons.map((r) => r.message).join('; '),
            })
          : null;
      if (approval) {
        this.#ctx.audit.append({
          type: 'approval.requested',
          agentId: approval.agentId,
          action: approval.action,
          traceId,
          payload: { approvalId: approval.id, executionId: execution.id, reason: approval.reason },
        });
      }
      if (status === 'blocked') this.#feedConfidence(execution.agentId, 'blocked');
      return { execution, decision, approval };
    });
    if (status === 'blocked') this.#ctx.changed();
    return started;
  }

  finish(id: string, status: Extract<ExecutionStatus, 'completed' | 'failed'>, detail?: string): Execution {
    if (status !== 'completed' && status !== 'failed') {
      throw new CharterError('invalid_argument', `an execution finishes as completed or failed, not ${String(status)}`);
    }
    const current = getExecution(this.#ctx.db, id);
    if (!current) throw new CharterError('not_found', `execution ${id} does not exist`);
    if (current.status !== 'running') {
      throw new CharterError('conflict', `execution ${id} is ${current.status}; only a running execution can finish`);
    }
    const finished = this.#ctx.transact(() => {
      const execution = updateExecutionStatus(this.#ctx.db, id, status, { endedAt: this.#now(), error: status === 'failed' ? (detail ?? 'failed') : null });
      this.#ctx.audit.append({
        type: 'execution.status',
        agentId: execution.agentId,
        action: execution.action,
        traceId: execution.traceId,
        payload: { executionId: id, from: current.status, to: status, detail: detail ?? null },
      });
      this.#feedConfidence(execution.agentId, status);
      return execution;
    });
    this.#ctx.changed();
    return finished;
  }

  get(id: string): Execution | undefined {
    return getExecution(this.#ctx.db, id);
  }

  list(filter: { agentId?: string; status?: ExecutionStatus; limit?: number } = {}): readonly Execution[] {
    return listExecutions(this.#ctx.db, filter);
  }

  #feedConfidence(agentId: string, status: ExecutionStatus): void {
    const delta = CONFIDENCE_DELTA[status];
    if (delta !== undefined && getAgent(this.#ctx.db, agentId)) adjustConfidence(this.#ctx.db, agentId, delta);
  }

  #now(): string {
    return new Date(this.#ctx.clock.now()).toISOString();
  }
}
