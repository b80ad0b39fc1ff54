/** Human decisions on escalated actions: approve resumes the execution, deny blocks it. */
import type { Approval } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ApprovalService } from '../services.ts';
import { decideApproval, getApproval, listApprovals } from '../store/approvals-repository.ts';
import { getExecution, updateExecutionStatus } from '../store/executions-repository.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export class WorkspaceApprovalService implements ApprovalService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  list(status?: Approval['status']): readonly Approval[] {
    return listApprovals(this.#ctx.db, status);
  }

  decide(id: string, verdict: 'approved' | 'denied', by: string): Approval {
    if (verdict !== 'approved' && verdict !== 'denied') {
      throw new CharterError('invalid_argument', `an approval is approved or denied, not ${String(verdict)}`);
    }
    if (typeof by !== 'string' || by.trim() === '') throw new CharterError('invalid_argument', 'say who decides the approval');
    const current = getApproval(this.#ctx.db, id);
    if (!current) throw new CharterError('not_found', `approval ${id} does not exist`);
    if (current.status !== 'pending') throw new CharterError('conflict', `approval ${id} was already ${current.status}`);
    const execution = getExecution(this.#ctx.db, current.executionId);
    return this.#ctx.transact(() => {
      const decided = decideApproval(this.#ctx.db, id, verdict, by);
      if (execution?.status === 'awaiting_approval') {
        updateExecutionStatus(this.#ctx.db, execution.id, verdict === 'approved' ? 'running' : 'blocked');
      }
      this.#ctx.audit.append({
        type: 'approval.decided',
        agentId: decided.agentId,
        action: decided.action,
        outcome: verdict === 'approved' ? 'allow' : 'deny',
        traceId: execution?.traceId ?? null,
        payload: { approvalId: id, executionId: decided.executionId, verdict, by },
      });
      return decided;
    });
  }
}
