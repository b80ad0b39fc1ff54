import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventHeaderBytes, GENESIS_DIGEST } from '../../../shared/audit.ts';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { listCheckpoints } from '../../../electron/engine/audit/checkpoints.ts';
import { sha256Hex } from '../../../electron/engine/audit/digest.ts';
import { getEvent } from '../../../electron/engine/audit/query.ts';
import { verifyChainSync } from '../../../electron/engine/audit/verify.ts';
import type { TempWorkspace } from './fixtures.ts';
import { decisionEvent, tempWorkspace } from './fixtures.ts';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.dispose();
});

describe('AuditLog.append', () => {
  it('chains events from the genesis digest and stores what it returns', () => {
    const log = new AuditLog(ws.db);
    expect(log.head()).toEqual({ seq: 0, digest: GENESIS_DIGEST });
    const first = log.append(decisionEvent(0));
    const second = log.append(decisionEvent(1));
    expect(first.seq).toBe(1);
    expect(first.prevDigest).toBe(GENESIS_DIGEST);
    expect(first.digest).toBe(sha256Hex(GENESIS_DIGEST + eventHeaderBytes(first)));
    expect(second.prevDigest).toBe(first.digest);
    expect(log.head()).toEqual({ seq: 2, digest: second.digest });
    expect(getEvent(ws.db, 2)).toEqual(second);
    expect(verifyChainSync(ws.db)).toEqual({ ok: true, eventsChecked: 2, firstBad: null, headDigest: second.digest });
  });

  it('hashes the payload as stored: canonical JSON, key order does not matter', () => {
    const log = new AuditLog(ws.db);
    const a = log.append({ type: 'flag.changed', payload: { b: 1, a: [true, null] } });
    const b = log.append({ type: 'flag.changed', payload: { a: [true, null], b: 1 } });
    expect(a.payloadHash).toBe(sha256Hex('{"a":[true,null],"b":1}'));
    expect(b.payloadHash).toBe(a.payloadHash);
  });

  it('refuses a payload that is not JSON, and appends nothing', () => {
    const log = new AuditLog(ws.db);
    expect(() => log.append({ type: 'decision', payload: { n: 10n } })).toThrow(/not JSON/);
    expect(() => log.append({ type: 'decision', payload: { n: Number.NaN } })).toThrow(/not JSON/);
    expect(log.head().seq).toBe(0);
    expect(log.append(decisionEvent(0)).seq).toBe(1);
  });

  it('refuses header text that UTF-8 storage would change (a lone surrogate)', () => {
    const log = new AuditLog(ws.db);
    expect(() => log.append({ type: 'decision', agentId: 'bot\ud800', payload: null })).toThrow(/agentId must be well-formed text/);
    log.append({ type: 'decision', agentId: 'bot 🎉 é', payload: null });
    expect(verifyChainSync(ws.db)).toMatchObject({ ok: true, eventsChecked: 1 });
  });

  it('picks up the head of an existing trail when opened again', async () => {
    new AuditLog(ws.db).appendMany([decisionEvent(0), decisionEvent(1), decisionEvent(2)]);
    const again = new AuditLog(ws.db);
    expect(again.head().seq).toBe(3);
    expect(again.append(decisionEvent(3)).seq).toBe(4);
    expect(verifyChainSync(ws.db).ok).toBe(true);
  });

  it('redacts before storage; the chain verifies the redacted payload', () => {
    const log = new AuditLog(ws.db);
    const event = log.append({
      ...decisionEvent(0),
      redactions: [
        { path: '/card', target: 'input', method: 'mask', dataClass: 'PCI' },
        { path: '/reasons/0/message', method: 'hash' },
      ],
    });
    const stored = getEvent(ws.db, event.seq);
    const payload = stored?.payload as { input: { card: string; message: string }; reasons: { message: string }[] };
    expect(payload.input.card).toBe('[masked:PCI]');
    expect(payload.input.message).toBe('hello number 0');
    expect(payload.reasons[0]?.message).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain('4111');
    expect(verifyChainSync(ws.db).ok).toBe(true);
  });
});

describe('head and the surrounding transaction', () => {
  it('rolls the head back when the caller transaction throws', () => {
    const log = new AuditLog(ws.db);
    log.append(decisionEvent(0));
    const action = ws.db.sqlite.transaction((fail: boolean) => {
      log.append(decisionEvent(1));
      log.append(decisionEvent(2));
      if (fail) throw new Error('execution row refused');
    });
    expect(() => action(true)).toThrow('execution row refused');
    expect(log.head().seq).toBe(1);
    const next = log.append(decisionEvent(3));
    expect(next.seq).toBe(2);
    action(false);
    expect(log.head().seq).toBe(4);
    expect(verifyChainSync(ws.db)).toMatchObject({ ok: true, eventsChecked: 4 });
  });

  it('rolls back to the right head when a nested savepoint fails and the outer transaction commits', () => {
    const log = new AuditLog(ws.db);
    const inner = ws.db.sqlite.transaction(() => {
      log.append(decisionEvent(1));
      throw new Error('inner');
    });
    ws.db.sqlite.transaction(() => {
      log.append(decisionEvent(0));
      expect(() => inner()).toThrow('inner');
      log.append(decisionEvent(2));
    })();
    expect(log.head().seq).toBe(2);
    expect(verifyChainSync(ws.db)).toMatchObject({ ok: true, eventsChecked: 2 });
  });

  it('a rolled-back transaction followed directly by another one chains correctly', () => {
    const log = new AuditLog(ws.db);
    const tx = ws.db.sqlite.transaction((fail: boolean, i: number) => {
      log.append(decisionEvent(i));
      if (fail) throw new Error('boom');
    });
    for (let i = 0; i < 20; i++) {
      try {
        tx(i % 3 === 0, i);
      } catch {
        // expected for every third action
      }
    }
    expect(verifyChainSync(ws.db)).toMatchObject({ ok: true, eventsChecked: 13 });
  });

  it('appendMany is atomic', () => {
    const log = new AuditLog(ws.db);
    log.append(decisionEvent(0));
    expect(() => log.appendMany([decisionEvent(1), { type: 'decision', payload: () => 1 }])).toThrow(/not JSON/);
    expect(log.head().seq).toBe(1);
    expect(log.appendMany([decisionEvent(1), decisionEvent(2)]).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('keeps chaining when another connection appended meanwhile', async () => {
    const mine = new AuditLog(ws.db);
    mine.append(decisionEvent(0));
    const { openWorkspaceDatabase } = await import('../../../electron/engine/store/database.ts');
    const other = await openWorkspaceDatabase(ws.path);
    new AuditLog(other).append(decisionEvent(1));
    await other.close();
    expect(mine.append(decisionEvent(2)).seq).toBe(3);
    expect(verifyChainSync(ws.db)).toMatchObject({ ok: true, eventsChecked: 3 });
  });
});

describe('checkpoints', () => {
  it('records one every N events, in the same transaction, and on demand', () => {
    const log = new AuditLog(ws.db, { checkpointEvery: 5 });
    log.appendMany(Array.from({ length: 12 }, (_, i) => decisionEvent(i)));
    expect(listCheckpoints(ws.db).map((c) => c.treeSize)).toEqual([5, 10]);
    const fail = ws.db.sqlite.transaction(() => {
      log.appendMany([decisionEvent(12), decisionEvent(13), decisionEvent(14)]);
      throw new Error('rolled back');
    });
    expect(() => fail()).toThrow('rolled back');
    expect(listCheckpoints(ws.db).map((c) => c.treeSize)).toEqual([5, 10]);
    const onDemand = log.checkpoint();
    expect(onDemand).toMatchObject({ treeSize: 12, headDigest: log.head().digest, rootHash: null, signature: null });
    expect(log.checkpoint()).toEqual(onDemand);
    expect(getEvent(ws.db, 10)?.digest).toBe(listCheckpoints(ws.db)[1]?.headDigest);
  });

  it('passes each new checkpoint to the sealer and stores its seal', () => {
    const log = new AuditLog(ws.db, {
      checkpointEvery: 2,
      sealer: { seal: (c) => ({ rootHash: `root-${c.treeSize}`, signature: 'sig', keyId: 'k1' }) },
    });
    log.appendMany([decisionEvent(0), decisionEvent(1)]);
    expect(listCheckpoints(ws.db)[0]).toMatchObject({ treeSize: 2, rootHash: 'root-2', signature: 'sig', keyId: 'k1' });
  });

  it('refuses an on-demand checkpoint of an empty trail', () => {
    expect(() => new AuditLog(ws.db).checkpoint()).toThrow(/empty/);
  });
});
