import { describe, expect, it } from 'vitest';
import { agent, harness } from './harness.ts';

const table = [
  ['student', 'present_chart', 'allow'],
  ['student', 'present_markdown', 'allow'],
  ['student', 'close_canvas', 'allow'],
  ['student', 'stream_chat', 'deny'],
  ['student', 'present_form', 'deny'],
  ['intern', 'stream_chat', 'allow'],
  ['intern', 'llm_stream', 'allow'],
  ['intern', 'present_form', 'allow'],
  ['intern', 'submit_form', 'deny'],
  ['supervised', 'submit_form', 'allow'],
  ['supervised', 'custom_four', 'deny'],
  ['autonomous', 'custom_four', 'allow'],
] as const;

describe('the seed maturity table', () => {
  const spec = `
flags: { formGovernance: false }
actions:
  custom_four: { complexity: 4 }`;
  for (const [maturity, action, outcome] of table) {
    it(`${maturity} → ${action}: ${outcome}`, () => {
      const h = harness(spec, [agent('a', maturity)]);
      const decision = h.engine.decide({ agentId: 'a', action });
      expect(decision.outcome).toBe(outcome);
      if (outcome === 'deny') {
        expect(decision.reasons[0]?.ruleId).toBe('maturity.gate');
        expect(decision.reasons[0]?.message).toContain(`agent a is ${maturity}`);
      }
    });
  }

  it('a complexity override for a role lets a student present forms', () => {
    const h = harness(
      `
rules:
  - id: support
    subjects: { roles: [support] }
    complexity: { present_form: 1 }`,
      [agent('s', 'student', 'support'), agent('o', 'student', 'other')],
    );
    expect(h.engine.decide({ agentId: 's', action: 'present_form' }).outcome).toBe('allow');
    expect(h.engine.decide({ agentId: 's', action: 'present_form' }).rulesEvaluated).toContain('support/complexity/present_form');
    expect(h.engine.decide({ agentId: 'o', action: 'present_form' }).outcome).toBe('deny');
  });

  it('an unknown action is denied with its own rule', () => {
    const h = harness('{}', [agent('a', 'autonomous')]);
    const d = h.engine.decide({ agentId: 'a', action: 'launch_rocket' });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('action.unknown');
  });
});
