import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GENESIS_DIGEST, eventHeaderBytes } from '../../../shared/audit.ts';
import type { AuditEventHeader } from '../../../shared/audit.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import { verifyChainInWorker } from '../../../electron/workers/run-verify.ts';

async function workspaceWithChain(events: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'charter-verify-')), 'w.db');
  const db = await openWorkspaceDatabase(path);
  const insert = db.sqlite.prepare('insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = GENESIS_DIGEST;
  db.sqlite.transaction(() => {
    for (let seq = 1; seq <= events; seq++) {
      const header: AuditEventHeader = { seq, ts: new Date(1_700_000_000_000 + seq * 1000).toISOString(), type: 'decision', agentId: 'a', action: 'stream_chat', outcome: 'deny', traceId: null, payloadHash: 'f'.repeat(64) };
      const digest = createHash('sha256').update(prev + eventHeaderBytes(header)).digest('hex');
      insert.run(seq, header.ts, header.type, header.agentId, header.action, header.outcome, header.traceId, header.payloadHash, prev, digest);
      prev = digest;
    }
  })();
  await db.close();
  return path;
}

describe('chain verification in a worker', () => {
  it('verifies an intact chain with progress, and names the first tampered event', async () => {
    const path = await workspaceWithChain(12_000);
    const progress: number[] = [];
    const report = await verifyChainInWorker(path, { onProgress: (done) => progress.push(done) });
    expect(report).toMatchObject({ ok: true, eventsChecked: 12_000, cancelled: false, firstBad: null });
    expect(progress.at(-1)).toBe(12_000);
    expect(progress.length).toBeGreaterThan(1);

    const sqlite = new BetterSqlite3(path);
    sqlite.exec('drop trigger audit_events_append_only_update');
    sqlite.prepare("update audit_events set outcome = 'allow' where seq = 777").run();
    sqlite.close();
    const tampered = await verifyChainInWorker(path);
    expect(tampered.ok).toBe(false);
    expect(tampered.firstBad?.seq).toBe(777);
  });

  it('stops when cancelled', async () => {
    const path = await workspaceWithChain(30_000);
    const controller = new AbortController();
    const report = await verifyChainInWorker(path, { signal: controller.signal, onProgress: () => controller.abort() });
    expect(report.cancelled).toBe(true);
    expect(report.eventsChecked).toBeLessThan(30_000);
  });
});
