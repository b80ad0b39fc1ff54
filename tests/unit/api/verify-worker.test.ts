import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDirectApi } from '../../../electron/api/direct.ts';
import { openWorkspace } from '../../../electron/engine/workspace.ts';

async function workspaceWithDecisions(count: number) {
  const workspace = await openWorkspace(join(mkdtempSync(join(tmpdir(), 'charter-verify-')), 'w.db'), { actor: 'test' });
  for (let i = 0; i < count; i++) workspace.governance.decide({ action: i % 2 ? 'stream_chat' : 'present_chart', input: { i } });
  return workspace;
}

describe('audit.verify through the CharterApi', () => {
  it('verifies in a worker with progress events, and names the first tampered event', async () => {
    const workspace = await workspaceWithDecisions(300);
    const { api } = createDirectApi({ engine: workspace, workspacePath: workspace.path, transport: 'direct' });
    const progress: number[] = [];
    const off = api.on('progress', (p) => {
      if (p.operationId === 'v1') progress.push(p.done);
    });
    const report = await api.audit.verify({ operationId: 'v1' });
    off();
    const total = workspace.audit.count();
    expect(report).toMatchObject({ ok: true, eventsChecked: total, cancelled: false, firstBad: null });
    expect(progress.at(-1)).toBe(total);

    const sqlite = new BetterSqlite3(workspace.path);
    sqlite.exec('drop trigger audit_events_append_only_update');
    sqlite.prepare("update audit_events set outcome = 'allow' where seq = 77").run();
    sqlite.close();
    const tampered = await api.audit.verify({ operationId: 'v2' });
    expect(tampered.ok).toBe(false);
    expect(tampered.firstBad?.seq).toBe(77);
    await workspace.close();
  });

  it('cancels by operation id and reports it as cancelled, not as a failure', async () => {
    const workspace = await workspaceWithDecisions(50);
    const { api } = createDirectApi({ engine: workspace, workspacePath: workspace.path, transport: 'direct' });
    const running = api.audit.verify({ operationId: 'slow' });
    expect(await api.audit.cancel({ operationId: 'slow' })).toBe(true);
    const report = await running;
    expect(report.cancelled).toBe(true);
    expect(await api.audit.cancel({ operationId: 'nothing-running' })).toBe(false);
    await workspace.close();
  });
});
