/**
 * The dynamic part of a decision: a plan checked against one request's input, output and
 * usage, and the agent's quota ledger. Pure apart from reading the ledger.
 */
import type { DecisionRequest, Obligations, Outcome, Reason, RedactionObligation } from '../../../shared/domain.ts';
import type { DecisionPlan, OutboundCheck } from './decision-plan.ts';
import { stringsIn } from './detectors.ts';
import { MISSING, readPointer } from './pointer.ts';
import type { QuotaLedger } from './quota-ledger.ts';
import { usageAmount } from './quota-ledger.ts';

export interface PlanVerdict {
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly obligations: Obligations;
  readonly rulesEvaluated: readonly string[];
}

const NO_REDACTIONS: readonly RedactionObligation[] = [];

export function evaluatePlan(
  plan: DecisionPlan,
  agentId: string,
  request: DecisionRequest,
  ledger: QuotaLedger,
  now: number,
): PlanVerdict {

  if (plan.fixed !== null && (request.output === undefined || (plan.output === null && plan.outbound.length === 0))) {
    return plan.fixed;
  }
  if (plan.fixed !== null && (plan.bypass || plan.denials.length > 0)) return plan.fixed;
  const rules = plan.staticRules.slice();

  if (plan.input) {
    rules.push(plan.input.ruleId);
    const problem = plan.input.validate(request.input);
    if (problem !== null) return deny(plan.input.ruleId, `input rejected: ${problem}`, rules, denied(plan));
  }

  const extraRedactions: RedactionObligation[] = [];
  let escalation: Reason | undefined;
  if (request.output !== undefined) {
    if (plan.output) {
      rules.push(plan.output.ruleId);
      const problem = plan.output.validate(request.output);
      if (problem !== null) return deny(plan.output.ruleId, `output rejected: ${problem}`, rules, denied(plan));
    }
    for (const check of plan.outbound) {
      rules.push(check.ruleId);
      const found = findClassifiedData(check, request.output);
      if (found === null) continue;
      const message = `${check.reason} (found ${found.dataClass}${found.path ? ` at ${found.path}` : ' in text'})`;
      if (check.effect === 'deny') return deny(check.ruleId, message, rules, denied(plan));
      if (check.effect === 'escalate') escalation ??= { ruleId: check.ruleId, message };
      else if (!redacts(plan.redactions, found.path ?? '') && !redacts(extraRedactions, found.path ?? '')) {
        extraRedactions.push({ path: found.path ?? '', dataClass: found.dataClass, method: 'mask', target: 'output' });
      }
    }
  }

  for (const quota of plan.quotas) {
    rules.push(quota.ruleId);
    const amount = usageAmount(request.usage, quota.metric);
    const used = ledger.used(agentId, quota.ruleId, quota.windowMs, now);
    if (used + amount > quota.limit) {
      return deny(
        quota.ruleId,
        `quota exceeded: ${used} of ${quota.limit} ${quota.metric} used in this ${quota.window} window, request needs ${amount}`,
        rules,
        denied(plan),
      );
    }
  }

  for (const approval of plan.approvals) {
    rules.push(approval.ruleId);
    if (approval.applies(request.input)) escalation ??= { ruleId: approval.ruleId, message: approval.reason };
  }

  if (escalation) return { outcome: 'escalate', reasons: [escalation], obligations: obligations(plan, extraRedactions), rulesEvaluated: rules };
  return { outcome: 'allow', reasons: [], obligations: obligations(plan, extraRedactions), rulesEvaluated: rules };
}

/** Decides ahead what no request can change, so evaluation (and a cache hit) just returns it. */
export function withFixedVerdict(plan: DecisionPlan): DecisionPlan {
  const obligations: Obligations = {
    redact: plan.redactions,
    ...(plan.tokenCap !== undefined ? { tokenCap: plan.tokenCap } : {}),
  };
  let fixed: PlanVerdict | null = null;
  if (plan.bypass) fixed = { outcome: 'allow', reasons: [bypassReason], obligations, rulesEvaluated: plan.staticRules };
  else if (plan.denials.length > 0) {
    fixed = { outcome: 'deny', reasons: plan.denials, obligations: { redact: plan.redactions }, rulesEvaluated: plan.staticRules };
  }
  else if (plan.input === null && plan.quotas.length === 0 && plan.approvals.length === 0) {
    fixed = { outcome: 'allow', reasons: [], obligations, rulesEvaluated: plan.staticRules };
  }
  return { ...plan, fixed };
}

/** Counts an allowed request against every quota its plan names. */
export function consumeQuotas(plan: DecisionPlan, agentId: string, request: DecisionRequest, ledger: QuotaLedger, now: number): void {
  for (const quota of plan.quotas) {
    ledger.consume(agentId, quota.ruleId, quota.windowMs, usageAmount(request.usage, quota.metric), now);
  }
}

const bypassReason: Reason = {
  ruleId: 'flags.emergencyBypass',
  message: 'emergency bypass is on: every check was skipped',
};

// Plain functions, not closures made per call: hot-path closures cost an allocation each (and,
// under tsx's keepNames, a defineProperty).
function obligations(plan: DecisionPlan, extra: readonly RedactionObligation[] = NO_REDACTIONS): Obligations {
  return {
    redact: extra.length === 0 ? plan.redactions : [...plan.redactions, ...extra],
    ...(plan.tokenCap !== undefined ? { tokenCap: plan.tokenCap } : {}),
  };
}

/** A denied request streams nothing, so it carries no token cap; its payload is still redacted. */
function denied(plan: DecisionPlan): Obligations {
  return { redact: plan.redactions };
}

function deny(ruleId: string, message: string, rules: string[], obligations: Obligations): PlanVerdict {
  return { outcome: 'deny', reasons: [{ ruleId, message }], obligations, rulesEvaluated: rules };
}

function redacts(redactions: readonly RedactionObligation[], path: string): boolean {
  return redactions.some((r) => r.target === 'output' && r.path === path);
}

function findClassifiedData(check: OutboundCheck, output: unknown): { dataClass: string; path: string | null } | null {
  for (const field of check.fields) {
    const value = readPointer(output, field.pointer);
    if (value !== MISSING && value !== null && value !== '') return { dataClass: field.dataClass, path: field.path };
  }
  if (check.detectors.length === 0) return null;
  const texts = stringsIn(output);
  for (const { dataClass, detect } of check.detectors) {
    if (texts.some(detect)) return { dataClass, path: null };
  }
  return null;
}
