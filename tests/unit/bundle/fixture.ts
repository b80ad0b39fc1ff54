/** A workspace with a small audit trail, a published contract and a signing key, for bundle tests. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { workspaceId } from '../../../electron/engine/bundles/workspace-identity.ts';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import { PassphraseSecretBox } from '../../../electron/engine/keys/secret-box.ts';
import type { WorkspaceDb } from '../../../electron/engine/store/database.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { keysWorkspace, tempDir } from '../keys/workspace.ts';

export { tempDir };

export interface Fixture {
  readonly db: WorkspaceDb;
  readonly audit: AuditLog;
  readonly keys: KeyStore;
  readonly signer: JwsSigner;
  readonly dir: string;
}

export const testBox = (): PassphraseSecretBox => new PassphraseSecretBox('test passphrase', { costLog2: 10 });

const OUTCOMES = ['allow', 'deny', 'escalate'] as const;

/** Appends `count` events: decisions of each outcome, approvals, executions; day changes every 7. */
export function appendEvents(audit: AuditLog, count: number, startAt = 0, salt = ''): void {
  for (let i = startAt; i < startAt + count; i++) {
    const ts = new Date(Date.UTC(2025, 0, 1 + Math.floor(i / 7), 9, 0, i % 60)).toISOString();
    if (i % 5 === 3) {
      audit.append({ type: 'approval.decided', ts, agentId: 'agent-1', action: 'submit_form', payload: { approvalId: `a${i}`, verdict: i % 2 ? 'approved' : 'denied', by: 'alice' } });
    } else if (i % 5 === 4) {
      audit.append({ type: 'execution.status', ts, agentId: 'agent-2', action: 'stream_chat', payload: { status: 'completed', note: `run ${i}${salt}` } });
    } else {
      const outcome = OUTCOMES[i % 3] as (typeof OUTCOMES)[number];
      audit.append({
        type: 'decision', ts, agentId: `agent-${i % 3}`, action: i % 2 ? 'stream_chat' : 'present_form', outcome, traceId: `t${i}`,
        payload: { input: { q: `question ${i}${salt}`, email: 'x@example.com' }, reasons: [{ ruleId: outcome === 'deny' ? 'maturity.gate' : 'allow.default', message: 'because' }],
          contract: { name: 'support', version: 1, hash: 'ab'.repeat(32) }, rung: 'explicit', degraded: null },
      });
    }
  }
}

export async function fixture(events = 40, path?: string): Promise<Fixture> {
  const dir = tempDir();
  const db = await keysWorkspace(path ?? join(dir, 'ws.db'));
  const now = '2025-01-01T00:00:00.000Z';
  db.sqlite.prepare(`insert or ignore into contracts (name, description, created_at) values ('support', '', ?)`).run(now);
  const source = 'apiVersion: charter/v1\nkind: AgentContract\nmetadata:\n  name: support\n';
  db.sqlite.prepare(`insert or ignore into contract_versions (contract, version, status, hash, parent_hash, source, created_at, published_at)
    values ('support', 1, 'active', ?, null, ?, ?, ?)`).run(createHash('sha256').update(source).digest('hex'), source, now, now);
  workspaceId(db.sqlite);
  const audit = new AuditLog(db, { checkpointEvery: 0 });
  appendEvents(audit, events);
  const keys = new KeyStore(db, testBox());
  const signer = await keys.signer();
  return { db, audit, keys, signer, dir };
}
