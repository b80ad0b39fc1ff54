/**
 * Usage counted against quotas, per agent and quota rule, in fixed windows. The ledger is the
 * only governance state that changes between decisions; impact analysis replays it from the
 * trail instead of reading the clock.
 */
import type { Usage } from '../../../shared/domain.ts';
import { windowStart } from './quota-window.ts';

interface WindowUse {
  start: number;
  used: number;
}

export class QuotaLedger {
  // agent → quota rule → window; nested so the hot path builds no key strings.
  readonly #windows = new Map<string, Map<string, WindowUse>>();

  used(agentId: string, ruleId: string, windowMs: number, now: number): number {
    const entry = this.#windows.get(agentId)?.get(ruleId);
    return entry && entry.start === windowStart(now, windowMs) ? entry.used : 0;
  }

  consume(agentId: string, ruleId: string, windowMs: number, amount: number, now: number): void {
    const start = windowStart(now, windowMs);
    let rules = this.#windows.get(agentId);
    if (rules === undefined) {
      rules = new Map();
      this.#windows.set(agentId, rules);
    }
    const entry = rules.get(ruleId);
    if (entry && entry.start === start) entry.used += amount;
    else rules.set(ruleId, { start, used: amount });
  }

  clear(): void {
    this.#windows.clear();
  }
}

/** How much of a metric a request consumes; a request is always one call. */
export function usageAmount(usage: Usage | undefined, metric: keyof Usage): number {
  if (metric === 'calls') return usage?.calls ?? 1;
  return usage?.[metric] ?? 0;
}
