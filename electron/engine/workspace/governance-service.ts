/**
 * Decisions as users see them: decided by the engine, then recorded in the audit trail in the
 * same pass — the request's input and output redacted per the decision's obligations.
 */
import type { AuditEvent } from '../../../shared/audit.ts';
import type { Decision, DecisionRequest } from '../../../shared/domain.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { CacheStats, DecideOptions, GovernanceService } from '../services.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export class WorkspaceGovernanceService implements GovernanceService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  decide(request: DecisionRequest, options: DecideOptions = {}): Decision {
    const record = options.record ?? true;
    const decision = this.#ctx.engine.decide(request, { consumeQuota: record });
    if (record) this.#ctx.transact(() => recordDecision(this.#ctx.audit, request, decision));
    return decision;
  }

  cacheStats(): CacheStats {
    return this.#ctx.engine.cache.stats();
  }
}

/** Appends one decision event; call inside the surrounding user action's transaction. */
export function recordDecision(audit: AuditLog, request: DecisionRequest, decision: Decision): AuditEvent {
  return audit.append({
    type: 'decision',
    agentId: decision.agentId,
    action: decision.action,
    outcome: decision.outcome,
    traceId: request.traceId ?? null,
    payload: {
      input: request.input ?? null,
      output: request.output ?? null,
      usage: request.usage ?? null,
      sessionId: request.sessionId ?? null,
      requestedAgentId: request.agentId ?? null,
      reasons: decision.reasons,
      obligations: decision.obligations,
      contract: decision.contract,
      rung: decision.rung,
      cacheHit: decision.cacheHit,
      latencyUs: decision.latencyUs,
      degraded: decision.degraded,
    },
    redactions: decision.obligations.redact,
  });
}
