import { describe, expect, it } from 'vitest';
import { agent, harness } from './harness.ts';

describe('context resolution', () => {
  const setup = () => {
    const h = harness('{}', [agent('explicit', 'autonomous'), agent('bound', 'intern'), agent('fallback', 'supervised')]);
    h.install('{}', 'chat-assistant');
    h.sessions.set('s1', { id: 's1', agentId: 'bound', createdAt: '' });
    h.sessions.set('empty', { id: 'empty', agentId: null, createdAt: '' });
    return h;
  };

  it('an explicit agent id answers first', () => {
    const d = setup().engine.decide({ agentId: 'explicit', sessionId: 's1', action: 'present_chart' });
    expect([d.rung, d.agentId]).toEqual(['explicit', 'explicit']);
  });

  it("then the session's agent", () => {
    const d = setup().engine.decide({ sessionId: 's1', action: 'stream_chat' });
    expect([d.rung, d.agentId, d.outcome]).toEqual(['session', 'bound', 'allow']);
  });

  it('then the workspace default', () => {
    const h = setup();
    h.settings.defaultAgent = 'fallback';
    const d = h.engine.decide({ sessionId: 'empty', action: 'submit_form' });
    expect([d.rung, d.agentId]).toEqual(['workspace_default', 'fallback']);
  });

  it('then the system default Chat Assistant, a student', () => {
    const d = setup().engine.decide({ action: 'stream_chat' });
    expect([d.rung, d.agentId, d.outcome]).toEqual(['system_default', 'chat-assistant', 'deny']);
    expect(d.contract?.name).toBe('chat-assistant');
  });

  it('an explicit id that names no agent is denied, not silently replaced', () => {
    const d = setup().engine.decide({ agentId: 'ghost', action: 'present_chart' });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('context.unknown-agent');
  });
});

describe('fail mode', () => {
  it('fails closed by default when the contract has no active version', () => {
    const h = harness('{}', [agent('a', 'autonomous', 'x', 'missing')]);
    const d = h.engine.decide({ agentId: 'a', action: 'present_chart' });
    expect(d.outcome).toBe('deny');
    expect(d.degraded).toBe('fail_closed');
    expect(d.reasons[0]?.message).toContain('contract missing has no active version');
  });

  it('fails open when the workspace says so, and records it as degraded', () => {
    const h = harness('{}', [agent('a', 'autonomous', 'x', 'missing')]);
    h.settings.failMode = 'open';
    const d = h.engine.decide({ agentId: 'a', action: 'present_chart' });
    expect([d.outcome, d.degraded]).toEqual(['allow', 'fail_open']);
  });

  it('fails closed when the store is unavailable', () => {
    const h = harness('{}', [agent('a', 'autonomous')]);
    h.settings.storeDown = true;
    const d = h.engine.decide({ agentId: 'a', action: 'present_chart' });
    expect([d.outcome, d.degraded]).toEqual(['deny', 'fail_closed']);
    expect(d.reasons[0]?.message).toContain('store is unavailable');
  });
});

describe('determinism', () => {
  it('the same request and contract version give the same decision', () => {
    const h = harness('rules: [{ id: g, deny: [{ id: d, actions: [close_canvas] }] }]', [agent('a', 'intern')]);
    const strip = (d: ReturnType<typeof h.engine.decide>) => ({ ...d, latencyUs: 0, cacheHit: false });
    const first = strip(h.engine.decide({ agentId: 'a', action: 'close_canvas' }));
    for (let i = 0; i < 5; i++) expect(strip(h.engine.decide({ agentId: 'a', action: 'close_canvas' }))).toEqual(first);
  });
});
