import { describe, expect, it } from 'vitest';
import { DecisionCache } from '../../../electron/engine/governance/decision-cache.ts';
import type { DecisionPlan } from '../../../electron/engine/governance/decision-plan.ts';
import { agent, harness } from './harness.ts';

const plan = (action: string) => ({ action }) as unknown as DecisionPlan;

describe('decision cache', () => {
  it('hits on the second identical request and reports its hit rate', () => {
    const h = harness('{}', [agent('a', 'intern')]);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).cacheHit).toBe(false);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).cacheHit).toBe(true);
    expect(h.engine.cache.stats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5 });
  });

  it('expires entries after the TTL (60 s by default)', () => {
    const h = harness('{}', [agent('a', 'intern')]);
    h.engine.decide({ agentId: 'a', action: 'stream_chat' });
    h.clock.advance(59_999);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).cacheHit).toBe(true);
    h.clock.advance(60_001);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).cacheHit).toBe(false);
  });

  it('is invalidated at once when the contract changes, and the new rules apply', () => {
    const h = harness('{}', [agent('a', 'intern')]);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).outcome).toBe('allow');
    h.install('flags: { streaming: false }', 'test', 2);
    const d = h.engine.decide({ agentId: 'a', action: 'stream_chat' });
    expect([d.outcome, d.cacheHit, d.contract?.version]).toEqual(['deny', false, 2]);
  });

  it('is invalidated when an agent changes maturity', () => {
    const h = harness('{}', [agent('a', 'student')]);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).outcome).toBe('deny');
    h.agents.set('a', agent('a', 'intern'));
    h.engine.invalidate();
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).outcome).toBe('allow');
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new DecisionCache({ capacity: 2 });
    const v1 = { name: 'c', version: 1, hash: 'h' };
    cache.set('x', 'a', v1, plan('a'), 0);
    cache.set('y', 'b', v1, plan('b'), 0);
    cache.get('x', 'a', v1, 1);
    cache.set('y', 'c', v1, plan('c'), 1);
    expect(cache.get('y', 'b', v1, 2)).toBeUndefined();
    expect(cache.get('x', 'a', v1, 2)?.action).toBe('a');
    expect(cache.get('y', 'c', v1, 2)?.action).toBe('c');
    expect(cache.stats().size).toBe(2);
  });

  it('never serves a plan made under another contract version', () => {
    const cache = new DecisionCache();
    cache.set('x', 'a', { name: 'c', version: 1, hash: 'h1' }, plan('a'), 0);
    expect(cache.get('x', 'a', { name: 'c', version: 2, hash: 'h2' }, 1)).toBeUndefined();
    expect(cache.get('x', 'a', { name: 'other', version: 1, hash: 'h1' }, 1)).toBeUndefined();
  });
});
