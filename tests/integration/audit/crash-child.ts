/**
 * Child process for crash.test.ts: appends audit events to the workspace given as argv[2] in
 * small transactions, forever, writing each committed seq to stdout right after its commit.
 * The parent kills it with SIGKILL at random moments.
 */
import { writeSync } from 'node:fs';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: crash-child.ts WORKSPACE');
const db = await openWorkspaceDatabase(path);
const log = new AuditLog(db, { checkpointEvery: 25 });
// One user action: an execution row would sit here too; the audit events commit with it.
const action = db.sqlite.transaction((n: number, i: number): number[] => {
  const seqs: number[] = [];
  for (let k = 0; k < n; k++) {
    seqs.push(log.append({
      type: 'decision',
      agentId: `agent-${i % 4}`,
      action: 'stream_chat',
      outcome: i % 5 === 0 ? 'deny' : 'allow',
      traceId: `crash-${process.pid}-${i}`,
      payload: { i, k, pid: process.pid, note: 'x'.repeat(i % 200) },
    }).seq);
  }
  return seqs;
});
writeSync(1, 'ready\n');
for (let i = 0; ; i++) {
  const seqs = action(1 + (i % 3), i);
  // Synchronous write: once it returns, the parent can read the line even if we die next.
  writeSync(1, `${seqs.join('\n')}\n`);
}
