/**
 * The decision path in one pass: resolve context → cache → compiled contract → decision.
 * Recording the decision in the audit trail is the caller's next step (see the workspace's
 * governance service); the engine itself does no I/O beyond its directory lookups.
 */
import type { Decision, DecisionRequest, FailMode, Reason } from '../../../shared/domain.ts';
import type { Clock } from '../services.ts';
import type { CompiledContract } from './compiled-contract.ts';
import type { DecisionCacheOptions } from './decision-cache.ts';
import { DecisionCache } from './decision-cache.ts';
import type { DecisionPlan } from './decision-plan.ts';
import { consumeQuotas, evaluatePlan } from './evaluate-plan.ts';
import { QuotaLedger } from './quota-ledger.ts';
import type { AgentDirectory } from './resolve-context.ts';
import { resolveContext, SYSTEM_DEFAULT_CONTRACT } from './resolve-context.ts';
import { BUILTIN_RULES } from './rule-ids.ts';

export interface GovernanceDirectory extends AgentDirectory {
  defaultContract(): string | null;
  /** The active version of a contract, compiled; undefined when it has none. May throw when the store fails. */
  compiledContract(name: string): CompiledContract | undefined;
  workspaceBypass(): boolean;
  /** Applies when no contract can be found at all. */
  workspaceFailMode(): FailMode;
}

export interface DecideContext {
  /** Count an allowed request against its quotas (false for what-if simulations). */
  readonly consumeQuota: boolean;
}

const EMPTY_OBLIGATIONS = { redact: [] } as const;

export class GovernanceEngine {
  readonly cache: DecisionCache;
  readonly ledger = new QuotaLedger();
  readonly #directory: GovernanceDirectory;
  readonly #clock: Clock;

  constructor(directory: GovernanceDirectory, clock: Clock, cache: DecisionCacheOptions = {}) {
    this.#directory = directory;
    this.#clock = clock;
    this.cache = new DecisionCache(cache);
  }

  /** Call whenever a contract, agent, session binding or flag changes. */
  invalidate(): void {
    this.cache.invalidate();
  }

  decide(request: DecisionRequest, context: DecideContext = { consumeQuota: true }): Decision {
    const started = performance.now();
    const now = this.#clock.now();
    const resolution = resolveContext(request, this.#directory);
    if (!resolution.ok) {
      return {
        outcome: 'deny',
        reasons: [{ ruleId: BUILTIN_RULES.unknownAgent, message: resolution.message }],
        obligations: EMPTY_OBLIGATIONS,
        contract: null,
        agentId: resolution.agentId,
        action: request.action,
        rung: resolution.rung,
        cacheHit: false,
        latencyUs: elapsedUs(started),
        degraded: null,
        rulesEvaluated: [BUILTIN_RULES.unknownAgent],
      };
    }
    const { agent, rung } = resolution;
    const contractName = agent.contract ?? this.#directory.defaultContract() ?? SYSTEM_DEFAULT_CONTRACT;

    let compiled: CompiledContract | undefined;
    let failure: string;
    try {
      compiled = this.#directory.compiledContract(contractName);
      failure = `contract ${contractName} has no active version`;
    } catch (error) {
      failure = `the contract store is unavailable (${(error as Error).message})`;
    }
    if (!compiled) return this.#failed(this.#directory.workspaceFailMode(), failure, request, agent.id, rung, null, started);

    try {
      let plan: DecisionPlan | undefined = this.cache.get(agent.id, request.action, compiled.ref, now);
      const cacheHit = plan !== undefined;
      if (plan === undefined) {
        plan = compiled.plan(agent, request.action, this.#directory.workspaceBypass());
        this.cache.set(agent.id, request.action, compiled.ref, plan, now);
      }
      const verdict = evaluatePlan(plan, agent.id, request, this.ledger, now);
      if (verdict.outcome === 'allow' && context.consumeQuota && plan.quotas.length > 0) {
        consumeQuotas(plan, agent.id, request, this.ledger, now);
      }
      return {
        outcome: verdict.outcome,
        reasons: verdict.reasons,
        obligations: verdict.obligations,
        contract: compiled.ref,
        agentId: agent.id,
        action: request.action,
        rung,
        cacheHit,
        latencyUs: elapsedUs(started),
        degraded: plan.bypass ? 'bypass' : null,
        rulesEvaluated: verdict.rulesEvaluated,
      };
    } catch (error) {
      return this.#failed(compiled.failMode, `evaluation failed (${(error as Error).message})`, request, agent.id, rung, compiled, started);
    }
  }

  #failed(
    mode: FailMode,
    why: string,
    request: DecisionRequest,
    agentId: string,
    rung: Decision['rung'],
    compiled: CompiledContract | null,
    started: number,
  ): Decision {
    const ruleId = mode === 'open' ? BUILTIN_RULES.failOpen : BUILTIN_RULES.failClosed;
    const reason: Reason = {
      ruleId,
      message: `the engine could not decide: ${why}; fail-${mode} ${mode === 'open' ? 'allowed' : 'denied'} the request`,
    };
    return {
      outcome: mode === 'open' ? 'allow' : 'deny',
      reasons: [reason],
      obligations: EMPTY_OBLIGATIONS,
      contract: compiled?.ref ?? null,
      agentId,
      action: request.action,
      rung,
      cacheHit: false,
      latencyUs: elapsedUs(started),
      degraded: mode === 'open' ? 'fail_open' : 'fail_closed',
      rulesEvaluated: [ruleId],
    };
  }
}

function elapsedUs(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
