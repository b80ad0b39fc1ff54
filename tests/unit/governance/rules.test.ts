import { describe, expect, it } from 'vitest';
import { agent, harness } from './harness.ts';

const coding = `
tools:
  read_file:
    complexity: 1
    arguments:
      type: object
      required: [path]
      properties:
        path: { type: string, pattern: '^src/' }
  run_tests: { complexity: 2 }
  run_shell: { complexity: 1 }
  web_search: { complexity: 1 }
rules:
  - id: coders
    subjects: { roles: [coder] }
    tools:
      allow: [read_file, run_tests, run_shell]
      deny: [run_shell]
    deny:
      - { id: no-close, actions: [close_canvas], reason: Coders keep the canvas. }
`;

describe('tools', () => {
  const h = harness(coding, [agent('c', 'supervised', 'coder'), agent('x', 'supervised', 'writer')]);

  it('allows a listed tool whose arguments match their schema', () => {
    expect(h.engine.decide({ agentId: 'c', action: 'tool:read_file', input: { path: 'src/a.ts' } }).outcome).toBe('allow');
  });

  it('denies arguments that break the schema and says which field', () => {
    const d = h.engine.decide({ agentId: 'c', action: 'tool:read_file', input: { path: '/etc/passwd' } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('tools/read_file/arguments');
    expect(d.reasons[0]?.message).toContain('/path');
  });

  it('deny list wins over allow list', () => {
    const d = h.engine.decide({ agentId: 'c', action: 'tool:run_shell', input: {} });
    expect(d.outcome).toBe('deny');
    expect(d.reasons.map((r) => r.ruleId)).toContain('coders/tools/deny');
  });

  it('a declared tool missing from the allow list is denied', () => {
    const d = h.engine.decide({ agentId: 'c', action: 'tool:web_search', input: {} });
    expect(d.reasons.map((r) => r.ruleId)).toEqual(['coders/tools/allow']);
  });

  it('without an allow list, declared tools follow complexity only', () => {
    expect(h.engine.decide({ agentId: 'x', action: 'tool:web_search', input: {} }).outcome).toBe('allow');
  });

  it('an undeclared tool is denied', () => {
    const d = h.engine.decide({ agentId: 'c', action: 'tool:format_disk' });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('tools.undeclared');
  });

  it('explicit deny rules name themselves', () => {
    const d = h.engine.decide({ agentId: 'c', action: 'close_canvas' });
    expect(d.reasons).toEqual([{ ruleId: 'coders/deny/no-close', message: 'Coders keep the canvas.' }]);
  });
});

describe('quotas under a fake clock', () => {
  const spec = `
rules:
  - id: all
    quotas:
      - { id: per-minute, actions: [present_chart], metric: calls, limit: 3, window: 1m }
      - { id: tokens, actions: [stream_chat], metric: tokens, limit: 100, window: 1h }`;

  it('counts calls in a fixed window and resets when it rolls over', () => {
    const h = harness(spec, [agent('a', 'intern')]);
    for (let i = 0; i < 3; i++) expect(h.engine.decide({ agentId: 'a', action: 'present_chart' }).outcome).toBe('allow');
    const fourth = h.engine.decide({ agentId: 'a', action: 'present_chart' });
    expect(fourth.outcome).toBe('deny');
    expect(fourth.reasons[0]?.ruleId).toBe('all/quotas/per-minute');
    expect(fourth.reasons[0]?.message).toContain('3 of 3 calls');
    h.clock.advance(60_000);
    expect(h.engine.decide({ agentId: 'a', action: 'present_chart' }).outcome).toBe('allow');
  });

  it('meters tokens and keeps agents apart', () => {
    const h = harness(spec, [agent('a', 'intern'), agent('b', 'intern')]);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat', usage: { tokens: 80 } }).outcome).toBe('allow');
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat', usage: { tokens: 30 } }).outcome).toBe('deny');
    expect(h.engine.decide({ agentId: 'b', action: 'stream_chat', usage: { tokens: 30 } }).outcome).toBe('allow');
  });

  it('what-if decisions do not consume quota', () => {
    const h = harness(spec, [agent('a', 'intern')]);
    for (let i = 0; i < 10; i++) h.engine.decide({ agentId: 'a', action: 'present_chart' }, { consumeQuota: false });
    expect(h.engine.decide({ agentId: 'a', action: 'present_chart' }).outcome).toBe('allow');
  });
});

describe('approvals, schemas, data classes', () => {
  const spec = `
actions:
  submit_form:
    input:
      type: object
      required: [amount]
      properties: { amount: { type: number }, email: { type: string } }
    output:
      type: object
      properties: { card: { type: string }, note: { type: string } }
      additionalProperties: false
  stream_chat: {}
classification:
  - { id: email, path: /email, actions: [submit_form], class: PII, redact: hash }
  - { id: card, path: /card, target: output, actions: [submit_form], class: PCI }
outbound:
  - { id: no-cards, classes: [PCI], actions: [submit_form], effect: deny }
  - { id: redact-pii-chat, classes: [PII], actions: [stream_chat], effect: redact }
  - { id: secrets-escalate, classes: [secret], actions: [stream_chat], effect: escalate }
rules:
  - id: refunds
    approvals:
      - id: big
        actions: [submit_form]
        when: [{ path: /amount, op: gt, value: 500 }]
        reason: Refunds over 500 need a human.
    tokenCap: 400
  - id: tighter
    subjects: { maturity: [intern] }
    tokenCap: 200`;
  const h = harness(spec, [agent('s', 'supervised'), agent('i', 'intern')]);

  it('escalates above the threshold and allows below it', () => {
    const big = h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 900 } });
    expect(big.outcome).toBe('escalate');
    expect(big.reasons[0]).toEqual({ ruleId: 'refunds/approvals/big', message: 'Refunds over 500 need a human.' });
    expect(h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 90 } }).outcome).toBe('allow');
  });

  it('rejects input that breaks the action schema', () => {
    const d = h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 'lots' } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('actions/submit_form/input');
  });

  it('rejects output that breaks the output schema', () => {
    const d = h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 1 }, output: { extra: 1 } });
    expect(d.reasons[0]?.ruleId).toBe('actions/submit_form/output');
  });

  it('carries redaction obligations for classified fields', () => {
    const d = h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 1, email: 'a@b.co' } });
    expect(d.obligations.redact).toContainEqual({ path: '/email', dataClass: 'PII', method: 'hash', target: 'input' });
  });

  it('outbound deny stops classified output from leaving', () => {
    const d = h.engine.decide({ agentId: 's', action: 'submit_form', input: { amount: 1 }, output: { card: '4111 1111 1111 1111' } });
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]?.ruleId).toBe('outbound/no-cards');
  });

  it('outbound redact and escalate act on streamed text', () => {
    const pii = h.engine.decide({ agentId: 's', action: 'stream_chat', output: 'write to jane@example.com' });
    expect(pii.outcome).toBe('allow');
    expect(pii.obligations.redact.some((r) => r.dataClass === 'PII' && r.target === 'output')).toBe(true);
    const secret = h.engine.decide({ agentId: 's', action: 'stream_chat', output: 'key sk-abcdefghijklmnopqrstuvwxyz012345' });
    expect(secret.outcome).toBe('escalate');
    expect(secret.reasons[0]?.ruleId).toBe('outbound/secrets-escalate');
  });

  it('the lowest token cap among matching groups applies to streams', () => {
    expect(h.engine.decide({ agentId: 's', action: 'stream_chat' }).obligations.tokenCap).toBe(400);
    expect(h.engine.decide({ agentId: 'i', action: 'stream_chat' }).obligations.tokenCap).toBe(200);
    expect(h.engine.decide({ agentId: 's', action: 'present_chart' }).obligations.tokenCap).toBeUndefined();
  });
});

describe('flags', () => {
  it('streaming off denies streams, canvas off denies canvas actions', () => {
    const h = harness('flags: { streaming: false, canvas: false }', [agent('a', 'autonomous')]);
    expect(h.engine.decide({ agentId: 'a', action: 'stream_chat' }).reasons[0]?.ruleId).toBe('flags.streaming');
    expect(h.engine.decide({ agentId: 'a', action: 'present_chart' }).reasons[0]?.ruleId).toBe('flags.canvas');
  });

  it('form governance denies submissions with no schema to check them against', () => {
    const on = harness('{}', [agent('a', 'autonomous')]);
    expect(on.engine.decide({ agentId: 'a', action: 'submit_form', input: {} }).reasons[0]?.ruleId).toBe('flags.formGovernance');
    const off = harness('flags: { formGovernance: false }', [agent('a', 'autonomous')]);
    expect(off.engine.decide({ agentId: 'a', action: 'submit_form', input: {} }).outcome).toBe('allow');
  });

  it('emergency bypass allows everything, loudly', () => {
    const h = harness('{}', [agent('a', 'student')]);
    h.settings.bypass = true;
    h.engine.invalidate();
    const d = h.engine.decide({ agentId: 'a', action: 'submit_form' });
    expect(d.outcome).toBe('allow');
    expect(d.degraded).toBe('bypass');
    expect(d.reasons[0]?.ruleId).toBe('flags.emergencyBypass');
  });
});

describe('verdicts decided ahead', () => {
  it('a denied action stays denied when the request carries output', () => {
    const h = harness('actions: { present_chart: { output: { type: object } } }\nrules: [{ id: g, deny: [{ id: d, actions: [present_chart] }] }]', [agent('a', 'intern')]);
    expect(h.engine.decide({ agentId: 'a', action: 'present_chart', output: {} }).outcome).toBe('deny');
  });

});

describe('obligations on denials', () => {
  it('a denied stream carries no token cap but keeps its redactions', () => {
    const h = harness(
      'classification: [{ id: e, path: /email, class: PII }]\nrules: [{ id: g, tokenCap: 100 }]',
      [agent('s', 'student')],
    );
    const d = h.engine.decide({ agentId: 's', action: 'stream_chat', input: { email: 'a@b.co' } });
    expect(d.outcome).toBe('deny');
    expect(d.obligations.tokenCap).toBeUndefined();
    expect(d.obligations.redact.map((r) => r.path)).toEqual(['/email']);
  });
});
