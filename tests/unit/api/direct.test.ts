import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditWatcher } from '../../../electron/api/audit-watcher.ts';
import { createDirectApi } from '../../../electron/api/direct.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';
import type { Workspace } from '../../../electron/engine/workspace.ts';
import type { CharterApi } from '../../../shared/api.ts';
import { CharterError } from '../../../shared/errors.ts';

let workspace: Workspace;
let api: CharterApi;
let events: ReturnType<typeof createDirectApi>['events'];

beforeAll(async () => {
  workspace = await openWorkspace(join(mkdtempSync(join(tmpdir(), 'charter-direct-')), 'w.db'), { actor: 'test' });
  ({ api, events } = createDirectApi({ engine: workspace, workspacePath: workspace.path, transport: 'direct' }));
});
afterAll(async () => workspace.close());

describe('the direct CharterApi over a real workspace', () => {
  it('validates a contract with located diagnostics', async () => {
    const report = await api.contracts.validate({ source: 'apiVersion: charter/v1\nkind: AgentContract\nmetadata:\n  name: x\nspec:\n  failMode: maybe\n' });
    expect(report.ok).toBe(false);
    expect(report.diagnostics[0]?.location?.line).toBe(6);
  });

  it('refuses bad arguments before reaching the engine', async () => {
    await expect(api.contracts.get({ name: 'Not A Slug' } as never)).rejects.toBeInstanceOf(CharterError);
  });

  it('pages the timeline by position, filtered or not, newest first', async () => {
    const student = await api.agents.create({ name: 'Pupil', role: 'learner', maturity: 'student' });
    for (let i = 0; i < 30; i++) await api.governance.simulate({ request: { agentId: student.id, action: i % 3 ? 'present_chart' : 'stream_chat', traceId: `t-${i}` } });
    const head = workspace.audit.count();
    const first = await api.audit.window({ offset: 0, limit: 10 });
    expect(first.total).toBe(head);
    expect(first.rows.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => head - i));
    const tail = await api.audit.window({ offset: head - 3, limit: 10 });
    expect(tail.rows.map((r) => r.seq)).toEqual([3, 2, 1]);

    const denied = await api.audit.window({ agentId: student.id, outcome: 'deny', offset: 0, limit: 100 });
    expect(denied.total).toBe(10);
    expect(denied.rows.every((r) => r.action === 'stream_chat' && r.outcome === 'deny')).toBe(true);
    expect(await api.audit.count({ traceId: 't-7' })).toBe(1);
    const second = await api.audit.window({ agentId: student.id, outcome: 'deny', offset: 5, limit: 3 });
    expect(second.rows.map((r) => r.seq)).toEqual(denied.rows.slice(5, 8).map((r) => r.seq));
    const event = await api.audit.get({ seq: denied.rows[0]!.seq });
    expect(event?.payloadState).toBe('intact');
  });

  it('computes dashboard figures from the trail', async () => {
    const metrics = await api.dashboard.metrics({ buckets: 6 });
    const decisions = await api.audit.window({ offset: 0, limit: 500 });
    const recorded = decisions.rows.filter((r) => r.type === 'decision');
    expect(metrics.decisions).toBe(recorded.length);
    const sum = metrics.overTime.reduce((s, b) => s + b.allow + b.deny + b.escalate, 0);
    expect(sum).toBe(recorded.length);
    expect(metrics.blockRate).toBeCloseTo(recorded.filter((r) => r.outcome === 'deny').length / recorded.length);
    expect(metrics.latency.reduce((s, b) => s + b.count, 0)).toBe(recorded.length);
    expect(metrics.cacheHitRate).not.toBeNull();
  });

  it('stores a suite per contract and runs it with the engine runner, reporting the failing line', async () => {
    const suite = `apiVersion: charter/v1
kind: TestSuite
metadata:
  name: chat
contract: ./chat-assistant.yaml
cases:
  - name: a chart is fine
    request: { action: present_chart }
    expect: { outcome: allow }
  - name: wrong on purpose
    request: { action: stream_chat, input: { messages: [{ role: user, content: hi }] } }
    expect: { outcome: allow }
`;
    await api.tests.saveSuite({ contract: 'chat-assistant', source: suite });
    expect((await api.tests.getSuite({ contract: 'chat-assistant' })).source).toBe(suite);
    const report = await api.tests.run({ contract: 'chat-assistant' });
    expect([report.passed, report.failed]).toEqual([1, 1]);
    const failing = report.cases.find((c) => !c.passed);
    expect(failing).toMatchObject({ name: 'wrong on purpose', expected: 'allow', actual: 'deny', line: 10 });
    expect(report.coverage.length).toBeGreaterThan(0);
  });

  it('announces new audit events, whoever appended them', async () => {
    const watcher = new AuditWatcher(workspace, events);
    const seen: number[] = [];
    const off = api.on('audit.appended', (e) => seen.push(e.headSeq));
    workspace.governance.decide({ action: 'present_chart' });
    watcher.poll();
    watcher.poll();
    off();
    expect(seen).toEqual([workspace.audit.count()]);
  });

  it('turns the bypass flag on and off through settings', async () => {
    expect((await api.settings.update({ emergencyBypass: true })).emergencyBypass).toBe(true);
    expect((await api.settings.get({})).emergencyBypass).toBe(true);
    expect((await api.settings.update({ emergencyBypass: false })).emergencyBypass).toBe(false);
  });
});

describe('sessions', () => {
  it('resolves a simulation through the session rung', async () => {
    const agent = await api.agents.create({ name: 'Helper', role: 'assistant', maturity: 'intern' });
    const session = await api.agents.createSession({ agentId: agent.id });
    const decision = await api.governance.simulate({ request: { sessionId: session.id, action: 'present_chart' } });
    expect(decision.rung).toBe('session');
    expect(decision.agentId).toBe(agent.id);
    await expect(api.agents.createSession({ agentId: 'nobody' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
