import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSuiteFile, runSuites } from '../../../electron/engine/testing/run-suites.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';
import { RESOLUTION_RUNGS } from '../../../shared/domain.ts';
import { formatDiagnostic } from '../../../shared/errors.ts';

const POLICIES = resolve(import.meta.dirname, '../../../policies');
const SUITES = [
  'default/tests/chat-assistant.test.yaml',
  'examples/tests/support-assistant.test.yaml',
  'examples/tests/finance-agent.test.yaml',
  'examples/tests/finance-emergency.test.yaml',
  'examples/tests/finance-fail-open.test.yaml',
  'examples/tests/coding-agent.test.yaml',
].map((f) => join(POLICIES, f));

const dir = mkdtempSync(join(tmpdir(), 'charter-suites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(POLICIES, 'examples/support-assistant.yaml'), join(dir, 'support-assistant.yaml'));

function suite(name: string, body: string): string {
  const path = join(dir, `${name}.test.yaml`);
  writeFileSync(path, `apiVersion: charter/v1\nkind: TestSuite\nmetadata: { name: ${name} }\n${body}`);
  return path;
}

describe('the policies/ suites', async () => {
  const report = await runSuites(SUITES, { openWorkspace });
  const decisions = report.suites.flatMap((s) => s.cases.map((c) => c.decision!));

  it('all pass, with at least 40 cases', () => {
    const failures = report.suites.flatMap((s) => [...s.diagnostics.map(formatDiagnostic), ...s.cases.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${JSON.stringify(c.mismatches)} ${c.error ?? ''}`)]);
    expect(failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.totals.cases).toBeGreaterThanOrEqual(40);
  });

  it('cover every rule of every example contract', () => {
    expect(report.coverage.map((c) => c.contract).sort()).toEqual(['chat-assistant', 'coding-agent', 'finance-agent', 'support-assistant']);
    for (const c of report.coverage) expect({ contract: c.contract, uncovered: c.uncovered }).toEqual({ contract: c.contract, uncovered: [] });
  });

  it('exercise every rule kind and every resolution rung', () => {
    const reasonIds = new Set(decisions.flatMap((d) => d.reasons.map((r) => r.ruleId)));
    const kinds = [
      /^maturity\.gate$/, /\/complexity\//, /\/tools\/allow$/, /\/tools\/deny$/, /^tools\.undeclared$/, /\/deny\//,
      /\/quotas\//, /\/approvals\//, /^actions\/.+\/input$/, /^actions\/.+\/output$/, /^tools\/.+\/arguments$/,
      /^outbound\//, /^flags\.streaming$/, /^flags\.canvas$/, /^flags\.formGovernance$/, /^flags\.emergencyBypass$/,
      /^failmode\.closed$/, /^failmode\.open$/, /^action\.unknown$/,
    ];
    const evaluated = new Set(decisions.flatMap((d) => d.rulesEvaluated));
    for (const kind of kinds) expect([kind, [...evaluated].some((id) => kind.test(id))]).toEqual([kind, true]);
    for (const kind of kinds.filter((k) => !/complexity/.test(String(k)))) expect([kind, [...reasonIds].some((id) => kind.test(id))]).toEqual([kind, true]);
    expect(new Set(decisions.map((d) => d.rung))).toEqual(new Set(RESOLUTION_RUNGS));
    expect(decisions.some((d) => d.obligations.redact.length > 0 && d.obligations.redact.some((r) => r.target === 'output'))).toBe(true);
    expect(decisions.some((d) => d.obligations.tokenCap !== undefined)).toBe(true);
    expect(decisions.some((d) => d.outcome === 'escalate' && d.reasons[0]!.ruleId.startsWith('outbound/'))).toBe(true);
    expect(decisions.some((d) => d.outcome === 'allow' && d.obligations.redact.some((r) => r.path === '' && r.target === 'output'))).toBe(true);
  });
});

describe('runSuiteFile', () => {
  it('reports a failing case with expected and actual values', async () => {
    const path = suite('failing', `contract: support-assistant.yaml
agents:
  - { id: sam, name: Sam, role: support-agent, maturity: student }
cases:
  - name: wrong on purpose
    request: { agent: sam, action: stream_chat, input: { messages: [{ role: user, content: hi }] } }
    expect: { outcome: allow, ruleId: support/tokenCap, rung: session, tokenCap: 10 }
  - name: right
    request: { agent: sam, action: present_chart }
    expect: { outcome: allow, tokenCap: null, redact: [] }
`);
    const result = await runSuiteFile(path, { openWorkspace });
    expect(result.cases.map((c) => c.status)).toEqual(['fail', 'pass']);
    expect(result.cases[0]!.location).toEqual({ file: path, line: 8, column: 5 });
    expect(result.cases[0]!.mismatches).toEqual([
      { field: 'outcome', expected: 'allow', actual: 'deny' },
      { field: 'ruleId', expected: 'support/tokenCap', actual: ['maturity.gate'] },
      { field: 'rung', expected: 'session', actual: 'explicit' },
      { field: 'tokenCap', expected: 10, actual: null },
    ]);
  });

  it('carries quota state from case to case and resets it when the clock moves past the window', async () => {
    const path = suite('quota', `contract: support-assistant.yaml
start: 2025-01-01T00:00:50Z
agents:
  - { id: sue, name: Sue, role: support-agent, maturity: supervised }
cases:
${[1, 2, 3].map((i) => `  - name: lookup ${i}\n    request: { agent: sue, action: lookup_order, input: { orderId: ORD-00000${i} } }\n    expect: { outcome: allow }`).join('\n')}
  - name: over the limit
    request: { agent: sue, action: lookup_order, input: { orderId: ORD-000004 } }
    expect: { outcome: deny, ruleId: support/quotas/lookups-per-minute }
  - name: a new minute
    advance: 10s
    request: { agent: sue, action: lookup_order, input: { orderId: ORD-000004 } }
    expect: { outcome: allow }
`);
    const result = await runSuiteFile(path, { openWorkspace });
    expect(result.cases.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(result.cases.at(-1)!.at).toBe('2025-01-01T00:01:00.000Z');
  });

  it('reports a suite whose contract is missing or invalid at the reference', async () => {
    const missing = await runSuiteFile(suite('missing', 'contract: nowhere.yaml\ncases:\n  - { name: a, request: { action: present_chart }, expect: { outcome: allow } }\n'), { openWorkspace });
    expect(missing.cases).toEqual([]);
    expect(missing.diagnostics.map(formatDiagnostic)[0]).toMatch(/missing\.test\.yaml:4:11: error: .*nowhere\.yaml: cannot read contract: no such file \[suite\.contract\]$/);

    writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: charter/v1\nkind: AgentContract\nmetadata: { name: broken }\nspec: { rules: [{ id: x, tokenCap: lots }] }\n');
    const invalid = await runSuiteFile(suite('invalid', 'contract: broken.yaml\ncases:\n  - { name: a, request: { action: present_chart }, expect: { outcome: allow } }\n'), { openWorkspace });
    const lines = invalid.diagnostics.map(formatDiagnostic);
    expect(lines[0]).toMatch(/invalid\.test\.yaml:4:11: error: contract .*broken\.yaml is invalid/);
    expect(lines.slice(1).some((l) => /broken\.yaml:4:\d+: error: /.test(l))).toBe(true);
  });

  it('reports an agent the workspace refuses, at the agent', async () => {
    const result = await runSuiteFile(suite('bad-agent', `contract: support-assistant.yaml
agents:
  - { id: Bad_Agent, name: B, role: r, maturity: intern }
cases:
  - { name: a, request: { action: present_chart }, expect: { outcome: allow } }
`), { openWorkspace });
    expect(result.diagnostics.map(formatDiagnostic)[0]).toMatch(/bad-agent\.test\.yaml:6:5: error: cannot create agent Bad_Agent: /);
  });
});
