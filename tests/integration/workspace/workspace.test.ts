import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../electron/engine/workspace.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { TempWorkspace } from './helpers.ts';
import { SUPPORT_CONTRACT, tempWorkspace } from './helpers.ts';

let t: TempWorkspace;
afterEach(async () => t?.dispose());

async function withSupport(): Promise<TempWorkspace> {
  t = await tempWorkspace();
  const draft = t.ws.contracts.saveDraft(SUPPORT_CONTRACT, null);
  t.ws.contracts.publish('support', draft.version);
  t.ws.contracts.activate('support', draft.version);
  t.ws.agents.create({ id: 'sam', name: 'Sam', role: 'support', maturity: 'supervised', contract: 'support' });
  t.ws.agents.create({ id: 'stu', name: 'Stu', role: 'support', maturity: 'student', contract: 'support' });
  return t;
}

describe('a new workspace', () => {
  it('is governed by the default Chat Assistant contract: a student may not stream', async () => {
    t = await tempWorkspace();
    expect(t.ws.contracts.get('chat-assistant')?.status).toBe('active');
    const d = t.ws.governance.decide({ action: 'stream_chat' });
    expect([d.outcome, d.rung, d.agentId]).toEqual(['deny', 'system_default', 'chat-assistant']);
    expect(d.reasons[0]?.ruleId).toBe('maturity.gate');
  });
});

describe('decisions land in the audit trail', () => {
  it('records each decision with reasons, redacting classified fields', async () => {
    await withSupport();
    t.ws.governance.decide({ agentId: 'sam', action: 'submit_form', input: { amount: 10, email: 'jane@example.com' } });
    const [event] = t.ws.audit.query({ types: ['decision'], limit: 1 });
    expect(event).toMatchObject({ type: 'decision', agentId: 'sam', action: 'submit_form', outcome: 'allow' });
    const payload = event!.payload as { input: { email: string; amount: number } };
    expect(payload.input.amount).toBe(10);
    expect(payload.input.email).not.toContain('jane');
    expect((await t.ws.audit.verify()).ok).toBe(true);
  });

  it('a what-if decision is not recorded', async () => {
    await withSupport();
    const before = t.ws.audit.count();
    t.ws.governance.decide({ agentId: 'stu', action: 'present_chart' }, { record: false });
    expect(t.ws.audit.count()).toBe(before);
  });

  it('survives reopening: the chain still verifies and the head continues', async () => {
    await withSupport();
    t.ws.governance.decide({ agentId: 'sam', action: 'present_chart' });
    const head = t.ws.audit.head();
    await t.ws.close();
    const again = await openWorkspace(t.path);
    try {
      expect(again.audit.head()).toEqual(head);
      again.governance.decide({ agentId: 'sam', action: 'present_chart' });
      expect(again.audit.head().seq).toBe(head.seq + 1);
      expect((await again.audit.verify()).ok).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('executions and approvals', () => {
  it('an escalated action waits for a human; approval resumes it, completion raises confidence', async () => {
    await withSupport();
    const started = t.ws.executions.start({ agentId: 'sam', action: 'submit_form', input: { amount: 900 } });
    expect(started.execution.status).toBe('awaiting_approval');
    expect(started.approval?.status).toBe('pending');
    t.ws.approvals.decide(started.approval!.id, 'approved', 'ann');
    expect(t.ws.executions.get(started.execution.id)?.status).toBe('running');
    const before = t.ws.agents.get('sam')!.confidence;
    t.ws.executions.finish(started.execution.id, 'completed');
    expect(t.ws.agents.get('sam')!.confidence).toBeGreaterThan(before);
    const types = t.ws.audit.query({ traceId: started.execution.traceId, order: 'asc' }).map((e) => e.type);
    expect(types).toEqual(['decision', 'execution.started', 'approval.requested', 'approval.decided', 'execution.status']);
  });

  it('a denied action is blocked and lowers confidence; a form submission links to its form', async () => {
    await withSupport();
    const blocked = t.ws.executions.start({ agentId: 'stu', action: 'submit_form', input: { amount: 1 } });
    expect(blocked.execution.status).toBe('blocked');
    expect(t.ws.agents.get('stu')!.confidence).toBeLessThan(0.5);
    const form = t.ws.executions.start({ agentId: 'sam', action: 'present_form', input: {} });
    const submit = t.ws.executions.start({ agentId: 'sam', action: 'submit_form', input: { amount: 5 } }, form.execution.id);
    expect(submit.execution.parentId).toBe(form.execution.id);
  });
});

describe('contract versions', () => {
  it('refuses a divergent edit instead of overwriting it', async () => {
    await withSupport();
    const v1 = t.ws.contracts.get('support')!;
    const edited = SUPPORT_CONTRACT.replace('Support agents.', 'Support agents, v2.');
    const v2 = t.ws.contracts.saveDraft(edited, v1.hash);
    expect(v2.version).toBe(2);
    const other = SUPPORT_CONTRACT.replace('Support agents.', 'A rival edit.');
    expect(() => t.ws.contracts.saveDraft(other, v1.hash)).toThrow(/changed since this edit began/);
    expect(t.ws.contracts.get('support', 2)?.source).toBe(edited);
  });

  it('activating a new version changes decisions at once; rollback restores the old rules', async () => {
    await withSupport();
    expect(t.ws.governance.decide({ agentId: 'sam', action: 'present_chart' }).outcome).toBe('allow');
    const v1 = t.ws.contracts.get('support')!;
    const strict = SUPPORT_CONTRACT.replace('spec:\n', 'spec:\n  flags: { canvas: false }\n');
    const v2 = t.ws.contracts.saveDraft(strict, v1.hash);
    t.ws.contracts.publish('support', v2.version);
    t.ws.contracts.activate('support', v2.version);
    expect(t.ws.governance.decide({ agentId: 'sam', action: 'present_chart' }).outcome).toBe('deny');
    t.ws.contracts.rollback('support', 1);
    const d = t.ws.governance.decide({ agentId: 'sam', action: 'present_chart' });
    expect([d.outcome, d.contract?.version]).toEqual(['allow', 1]);
    expect(t.ws.contracts.get('support', 2)?.status).toBe('superseded');
  });

  it('an invalid contract is refused with located diagnostics and changes nothing', async () => {
    t = await tempWorkspace();
    const before = t.ws.audit.count();
    let error: unknown;
    try {
      t.ws.contracts.saveDraft('apiVersion: charter/v1\nkind: AgentContract\nmetadata: { name: x }\nspec:\n  failMode: sideways\n', null);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CharterError);
    expect((error as CharterError).diagnostics[0]?.location?.line).toBe(5);
    expect(t.ws.contracts.list().map((c) => c.name)).toEqual(['chat-assistant']);
    expect(t.ws.audit.count()).toBe(before);
  });
});

describe('settings and flags', () => {
  it('emergency bypass is audited and shows on every decision', async () => {
    await withSupport();
    t.ws.settings.setFlag('emergencyBypass', true);
    const d = t.ws.governance.decide({ agentId: 'stu', action: 'submit_form' });
    expect([d.outcome, d.degraded]).toEqual(['allow', 'bypass']);
    expect(t.ws.audit.query({ types: ['flag.changed'] })).toHaveLength(1);
  });

  it('the workspace default agent answers the third rung', async () => {
    await withSupport();
    t.ws.settings.setDefaultAgent('sam');
    const d = t.ws.governance.decide({ action: 'present_chart' });
    expect([d.rung, d.agentId]).toEqual(['workspace_default', 'sam']);
  });

  it('an agent whose contract has no active version is denied, fail-closed', async () => {
    await withSupport();
    t.ws.agents.create({ id: 'orphan', name: 'Orphan', role: 'x', maturity: 'autonomous', contract: 'nowhere' });
    const d = t.ws.governance.decide({ agentId: 'orphan', action: 'present_chart' });
    expect([d.outcome, d.degraded]).toEqual(['deny', 'fail_closed']);
  });
});

describe('checkpoints', () => {
  it('each checkpoint records the Merkle root of the trail at its size', async () => {
    t = await tempWorkspace({ audit: { checkpointEvery: 4 } });
    for (let i = 0; i < 8; i++) t.ws.governance.decide({ action: 'present_chart' });
    const rows = t.ws.db.sqlite.prepare('select tree_size, root_hash from checkpoints order by tree_size').all() as { tree_size: number; root_hash: string | null }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.root_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(rows.map((r) => r.root_hash)).size).toBe(rows.length);
  });
});
