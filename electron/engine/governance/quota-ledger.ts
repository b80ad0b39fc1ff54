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
  readonly #windows = new Map<string, WindowUse>();

  used(key: string, windowMs: number, now: number): number {
    const entry = this.#windows.get(key);
    return entry && entry.start === windowStart(now, windowMs) ? entry.used : 0;
  }

  consume(key: string, windowMs: number, amount: number, now: number): void {
    const start = windowStart(now, windowMs);
    const entry = this.#windows.get(key);
    if (entry && entry.start === start) entry.used += amount;
    else this.#windows.set(key, { start, used: amount });
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
