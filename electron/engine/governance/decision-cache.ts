/**
 * The decision cache: plans keyed by agent, action and contract version, bounded by a TTL and
 * an LRU capacity, cleared at once when a contract, agent or flag changes.
 */
import type { CacheStats } from '../services.ts';
import type { DecisionPlan } from './decision-plan.ts';

export interface DecisionCacheOptions {
  readonly ttlMs?: number;
  readonly capacity?: number;
}

interface Entry {
  readonly plan: DecisionPlan;
  readonly expiresAt: number;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_CACHE_CAPACITY = 1000;

export class DecisionCache {
  readonly ttlMs: number;
  readonly capacity: number;
  // A Map iterates in insertion order; re-inserting on a hit makes the first key the least recent.
  readonly #entries = new Map<string, Entry>();
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  constructor(options: DecisionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.capacity = options.capacity ?? DEFAULT_CACHE_CAPACITY;
  }

  static key(agentId: string, action: string, contractName: string, version: number): string {
    return `${agentId}\u0000${action}\u0000${contractName}\u0000${version}`;
  }

  get(key: string, now: number): DecisionPlan | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#entries.delete(key);
    if (entry.expiresAt <= now) {
      this.#misses++;
      return undefined;
    }
    this.#entries.set(key, entry);
    this.#hits++;
    return entry.plan;
  }

  set(key: string, plan: DecisionPlan, now: number): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { plan, expiresAt: now + this.ttlMs });
  }

  invalidate(): void {
    this.#invalidations++;
    this.#entries.clear();
  }

  stats(): CacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      size: this.#entries.size,
      capacity: this.capacity,
      ttlMs: this.ttlMs,
      hits: this.#hits,
      misses: this.#misses,
      invalidations: this.#invalidations,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }
}
