/**
 * The decision cache: plans keyed by agent, action and contract version, bounded by a TTL and
 * an LRU capacity, cleared at once when a contract, agent or flag changes.
 *
 * Entries sit in nested maps (agent → action) rather than under one concatenated key: building
 * and hashing a fresh key string costs more than the rest of a cached decision. Recency is an
 * intrusive doubly linked list, so a hit moves its entry in O(1) without touching the maps.
 */
import type { ContractRef } from '../../../shared/domain.ts';
import type { CacheStats } from '../services.ts';
import type { DecisionPlan } from './decision-plan.ts';

export interface DecisionCacheOptions {
  readonly ttlMs?: number;
  readonly capacity?: number;
}

interface Entry {
  readonly agentId: string;
  readonly action: string;
  contract: string;
  version: number;
  plan: DecisionPlan;
  expiresAt: number;
  newer: Entry | null;
  older: Entry | null;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_CACHE_CAPACITY = 1000;

export class DecisionCache {
  readonly ttlMs: number;
  readonly capacity: number;
  readonly #byAgent = new Map<string, Map<string, Entry>>();
  #newest: Entry | null = null;
  #oldest: Entry | null = null;
  #size = 0;
  #hits = 0;
  #misses = 0;
  #invalidations = 0;

  constructor(options: DecisionCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.capacity = options.capacity ?? DEFAULT_CACHE_CAPACITY;
  }

  get(agentId: string, action: string, contract: ContractRef, now: number): DecisionPlan | undefined {
    const entry = this.#byAgent.get(agentId)?.get(action);
    if (entry === undefined || entry.expiresAt <= now || entry.version !== contract.version || entry.contract !== contract.name) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    if (entry !== this.#newest) {
      this.#unlink(entry);
      this.#pushNewest(entry);
    }
    return entry.plan;
  }

  set(agentId: string, action: string, contract: ContractRef, plan: DecisionPlan, now: number): void {
    if (this.capacity <= 0) return;
    const existing = this.#byAgent.get(agentId)?.get(action);
    if (existing !== undefined) {
      existing.contract = contract.name;
      existing.version = contract.version;
      existing.plan = plan;
      existing.expiresAt = now + this.ttlMs;
      this.#unlink(existing);
      this.#pushNewest(existing);
      return;
    }
    // Evict first: eviction may drop this agent's (then empty) map.
    if (this.#size >= this.capacity && this.#oldest !== null) this.#evict(this.#oldest);
    let actions = this.#byAgent.get(agentId);
    if (actions === undefined) {
      actions = new Map();
      this.#byAgent.set(agentId, actions);
    }
    const entry: Entry = {
      agentId,
      action,
      contract: contract.name,
      version: contract.version,
      plan,
      expiresAt: now + this.ttlMs,
      newer: null,
      older: null,
    };
    actions.set(action, entry);
    this.#pushNewest(entry);
    this.#size++;
  }

  invalidate(): void {
    this.#invalidations++;
    this.#byAgent.clear();
    this.#newest = null;
    this.#oldest = null;
    this.#size = 0;
  }

  stats(): CacheStats {
    const lookups = this.#hits + this.#misses;
    return {
      size: this.#size,
      capacity: this.capacity,
      ttlMs: this.ttlMs,
      hits: this.#hits,
      misses: this.#misses,
      invalidations: this.#invalidations,
      hitRate: lookups === 0 ? 0 : this.#hits / lookups,
    };
  }

  #evict(entry: Entry): void {
    this.#unlink(entry);
    const actions = this.#byAgent.get(entry.agentId);
    actions?.delete(entry.action);
    if (actions?.size === 0) this.#byAgent.delete(entry.agentId);
    this.#size--;
  }

  #unlink(entry: Entry): void {
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    entry.newer = null;
    entry.older = null;
  }

  #pushNewest(entry: Entry): void {
    entry.older = this.#newest;
    entry.newer = null;
    if (this.#newest) this.#newest.newer = entry;
    this.#newest = entry;
    if (this.#oldest === null) this.#oldest = entry;
  }
}
