import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../../../electron/engine/audit/checkpoints.ts';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { MerkleSealer } from '../../../electron/engine/bundles/merkle-sealer.ts';
import { workspaceId } from '../../../electron/engine/bundles/workspace-identity.ts';
import { toHex } from '../../../shared/merkle/hash.ts';
import { verifyCheckpoint } from '../../../shared/merkle/checkpoint.ts';
import { MerkleTree } from '../../../shared/merkle/tree.ts';
import { appendEvents, fixture } from './fixture.ts';

describe('checkpoints sealed with the Merkle root', () => {
  it('record the RFC 9162 root of the trail at each checkpoint, signed by the workspace key', async () => {
    const f = await fixture(0);
    const log = new AuditLog(f.db, { checkpointEvery: 10, sealer: new MerkleSealer(f.db.sqlite, { signer: f.signer }) });
    appendEvents(log, 35);
    const digests = f.db.sqlite.prepare('select digest from audit_events order by seq').pluck().all() as string[];
    const tree = MerkleTree.fromLeaves(digests.map((d) => Buffer.from(d, 'hex')));
    const checkpoints = listCheckpoints(f.db);
    expect(checkpoints.map((c) => c.treeSize)).toEqual([10, 20, 30]);
    const trusted = await f.keys.trustedKeys();
    for (const c of checkpoints) {
      expect(c.rootHash).toBe(toHex(tree.root(c.treeSize)));
      expect(c.keyId).toBe(f.signer.kid);
      const signed = { treeSize: c.treeSize, rootHash: c.rootHash as string, headDigest: c.headDigest, workspace: workspaceId(f.db.sqlite), ts: c.createdAt };
      expect((await verifyCheckpoint(signed, c.signature as string, trusted)).ok).toBe(true);
      expect((await verifyCheckpoint({ ...signed, rootHash: '00'.repeat(32) }, c.signature as string, trusted)).ok).toBe(false);
    }
  });

  it('starts over when a rolled-back transaction took events it had seen', async () => {
    const f = await fixture(0);
    const sealer = new MerkleSealer(f.db.sqlite);
    const log = new AuditLog(f.db, { checkpointEvery: 5, sealer });
    try {
      f.db.sqlite.transaction(() => {
        appendEvents(log, 6, 0, ' doomed');
        throw new Error('roll back');
      })();
    } catch {
      // expected
    }
    appendEvents(log, 6, 0, ' kept');
    const digests = f.db.sqlite.prepare('select digest from audit_events order by seq').pluck().all() as string[];
    const root = toHex(MerkleTree.fromLeaves(digests.map((d) => Buffer.from(d, 'hex'))).root(5));
    expect(listCheckpoints(f.db).map((c) => [c.treeSize, c.rootHash, c.signature])).toEqual([[5, root, null]]);
  });
});
