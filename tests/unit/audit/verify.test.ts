import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { eraseStoredPayload, redactStoredPayload } from '../../../electron/engine/audit/payloads.ts';
import { getEvent } from '../../../electron/engine/audit/query.ts';
import { verifyChainInWorker } from '../../../electron/engine/audit/verify-in-worker.ts';
import type { VerifyOptions } from '../../../electron/engine/audit/verify.ts';
import { PROGRESS_EVERY, verifyChain, verifyChainSync } from '../../../electron/engine/audit/verify.ts';
import type { VerifyProgress } from '../../../electron/engine/services.ts';
import type { AuditEventType } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { TempWorkspace } from './fixtures.ts';
import { decisionEvent, tamperer, tempWorkspace } from './fixtures.ts';

let ws: TempWorkspace;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.dispose();
});

function seed(n: number, checkpointEvery = 0): AuditLog {
  const log = new AuditLog(ws.db, { checkpointEvery });
  log.appendMany(Array.from({ length: n }, (_, i) => decisionEvent(i)));
  return log;
}

/**
 * Every way of verifying must name the same first bad event: sync and async, and the fast
 * header-only pass (payloads: false) must agree with the precise one unless payloads differ.
 */
async function verifyAllWays(options: VerifyOptions = {}, headerOnlyAgrees = true) {
  const sync = verifyChainSync(ws.db, options);
  expect(await verifyChain(ws.db, options)).toEqual(sync);
  if (headerOnlyAgrees && options.payloads === undefined) {
    expect(verifyChainSync(ws.db, { ...options, payloads: false })).toEqual(sync);
    expect(await verifyChain(ws.db, { ...options, payloads: false })).toEqual(sync);
  }
  return sync;
}

function tamper(sql: string, ...params: unknown[]): void {
  const raw = tamperer(ws.path);
  raw.prepare(sql).run(...params);
  raw.close();
}

describe('verifyChain on an intact trail', () => {
  it('checks every event and reports the head digest', async () => {
    const log = seed(50, 10);
    expect(await verifyAllWays()).toEqual({ ok: true, eventsChecked: 50, firstBad: null, headDigest: log.head().digest });
  });

  it('verifies an empty trail', async () => {
    expect(await verifyAllWays()).toMatchObject({ ok: true, eventsChecked: 0, firstBad: null });
  });

  it('verifies a suffix from a given seq', async () => {
    seed(30);
    expect(await verifyAllWays({ fromSeq: 21 })).toMatchObject({ ok: true, eventsChecked: 10 });
  });
});

describe('verifyChain names the first bad event', () => {
  it('when a header field was altered', async () => {
    seed(40);
    tamper(`update audit_events set outcome = 'allow' where seq = 17 and outcome <> 'allow'`);
    tamper(`update audit_events set agent_id = 'someone-else' where seq = 17`);
    tamper(`update audit_events set agent_id = 'someone-else' where seq = 30`);
    expect(await verifyAllWays()).toEqual(
      expect.objectContaining({ ok: false, eventsChecked: 16, firstBad: { seq: 17, problem: 'event 17: digest does not match its contents' } }),
    );
  });

  it('when a stored digest was replaced', async () => {
    seed(20);
    tamper(`update audit_events set digest = ? where seq = 9`, 'f'.repeat(64));
    // Event 9's digest no longer matches its contents (and event 10 no longer links to it).
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 9, problem: 'event 9: digest does not match its contents' });
  });

  it('when the whole chain after an event was recomputed, but a checkpoint pins it', async () => {
    seed(20, 10);
    const raw = tamperer(ws.path);
    const { eventDigest } = await import('../../../electron/engine/audit/digest.ts');
    raw.prepare(`update audit_events set outcome = 'allow' where seq = 3`).run();
    const rows = raw.prepare('select * from audit_events where seq >= 3 order by seq').all() as {
      seq: number; ts: string; type: AuditEventType; agent_id: string | null; action: string | null;
      outcome: Outcome | null; trace_id: string | null; payload_hash: string;
    }[];
    let prev = (raw.prepare('select digest from audit_events where seq = 2').pluck().get() as string);
    for (const r of rows) {
      const digest = eventDigest(prev, {
        seq: r.seq, ts: r.ts, type: r.type, agentId: r.agent_id, action: r.action, outcome: r.outcome, traceId: r.trace_id, payloadHash: r.payload_hash,
      });
      raw.prepare('update audit_events set prev_digest = ?, digest = ? where seq = ?').run(prev, digest, r.seq);
      prev = digest;
    }
    raw.close();
    expect((await verifyAllWays()).firstBad).toEqual({
      seq: 10,
      problem: 'event 10: digest does not match checkpoint 10 (the trail up to here was rewritten, or the checkpoint was altered)',
    });
  });

  it('when a previous-digest link was altered, or lengthened', async () => {
    seed(20);
    tamper(`update audit_events set prev_digest = ? where seq = 5`, 'a'.repeat(64));
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 5, problem: "event 5: its previous-digest link does not match event 4's digest" });
    tamper(`update audit_events set prev_digest = (select digest from audit_events where seq = 4) where seq = 5`);
    tamper(`update audit_events set prev_digest = prev_digest || '[' where seq = 8`);
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 8, problem: "event 8: its previous-digest link does not match event 7's digest" });
  });

  it('when a digest was lengthened', async () => {
    seed(20);
    tamper(`update audit_events set digest = '0' || digest where seq = 20`);
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 20, problem: 'event 20: digest does not match its contents' });
  });

  it('when an event was deleted', async () => {
    seed(100);
    tamper('delete from audit_payloads where seq = 77');
    tamper('delete from audit_events where seq = 77');
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 77, problem: 'event 77 missing (gap between 76 and 78)' });
  });

  it('when the first events were deleted', async () => {
    seed(5);
    tamper('delete from audit_payloads where seq <= 2');
    tamper('delete from audit_events where seq <= 2');
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 1, problem: 'events 1–2 missing (the trail starts at event 3)' });
  });

  it('when the last events were cut off below a checkpoint', async () => {
    seed(25, 10);
    tamper('delete from audit_payloads where seq > 15');
    tamper('delete from audit_events where seq > 15');
    // Truncation with no checkpoint beyond it is undetectable from the table alone: 20 pins it.
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 16, problem: 'events 16–20 missing (checkpoint 20 was recorded, the trail ends at 15)' });
  });

  it('when two events were swapped', async () => {
    seed(20);
    tamper('update audit_events set seq = -1 where seq = 11');
    tamper('update audit_payloads set seq = -1 where seq = 11');
    tamper('update audit_events set seq = 11 where seq = 12');
    tamper('update audit_payloads set seq = 11 where seq = 12');
    tamper('update audit_events set seq = 12 where seq = -1');
    tamper('update audit_payloads set seq = 12 where seq = -1');
    expect((await verifyAllWays()).firstBad).toEqual({ seq: 11, problem: "event 11: its previous-digest link does not match event 10's digest" });
  });

  it('when a payload was altered', async () => {
    seed(12);
    tamper(`update audit_payloads set payload = replace(payload, 'hello', 'HELLO') where seq = 9`);
    expect((await verifyAllWays({}, false)).firstBad).toEqual({ seq: 9, problem: 'event 9: payload was altered (it no longer matches the hash in the chain)' });
    // Header-only verification does not look at payloads.
    expect((await verifyAllWays({ payloads: false })).ok).toBe(true);
  });

  it('when a payload record was deleted', async () => {
    seed(12);
    tamper('delete from audit_payloads where seq = 4');
    expect((await verifyAllWays({}, false)).firstBad).toEqual({ seq: 4, problem: 'event 4: its payload record is missing' });
  });
});

describe('payloads redacted or erased later', () => {
  it('keep the chain verifying, while an altered intact payload still fails', async () => {
    seed(10);
    redactStoredPayload(ws.db, 3, [{ path: '/input/card', method: 'remove' }]);
    eraseStoredPayload(ws.db, 5);
    const three = getEvent(ws.db, 3);
    expect(three?.payloadState).toBe('redacted');
    expect((three?.payload as { input: Record<string, unknown> }).input).toEqual({ message: 'hello number 2' });
    expect(getEvent(ws.db, 5)).toMatchObject({ payload: null, payloadState: 'erased' });
    expect(await verifyAllWays()).toMatchObject({ ok: true, eventsChecked: 10 });
    tamper(`update audit_payloads set payload = '{}' where seq = 6`);
    expect((await verifyAllWays({}, false)).firstBad?.seq).toBe(6);
  });
});

describe('progress and cancellation', () => {
  it('reports progress every PROGRESS_EVERY events and at the end', async () => {
    const n = PROGRESS_EVERY + 100;
    const log = new AuditLog(ws.db, { checkpointEvery: 0 });
    const payload = { small: true };
    ws.db.sqlite.transaction(() => {
      for (let i = 0; i < n; i++) log.append({ type: 'stream.token_batch', payload, ts: '2025-01-01T00:00:00.000Z' });
    })();
    for (const payloads of [true, false]) {
      for (const verify of [verifyChain, verifyChainSync]) {
        const seen: VerifyProgress[] = [];
        const result = await verify(ws.db, { payloads, onProgress: (p) => seen.push(p) });
        expect(result).toMatchObject({ ok: true, eventsChecked: n });
        expect(seen).toEqual([{ checked: PROGRESS_EVERY, total: n }, { checked: n, total: n }]);
      }
    }
    // A break deep inside a later chunk of the fast pass is still named exactly.
    tamper(`update audit_events set action = 'tool:rm' where seq = ?`, n - 7);
    expect((await verifyAllWays()).firstBad).toEqual({ seq: n - 7, problem: `event ${n - 7}: digest does not match its contents` });
  });

  it('cancels promptly with a cancelled CharterError', async () => {
    seed(10);
    const controller = new AbortController();
    controller.abort();
    await expect(verifyChain(ws.db, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(() => verifyChainSync(ws.db, { signal: controller.signal })).toThrow(CharterError);
  });
});

describe('verifyChainInWorker', () => {
  it('verifies in a worker thread with its own connection and names the first bad event', async () => {
    seed(30);
    await ws.db.close();
    const progress: VerifyProgress[] = [];
    expect(await verifyChainInWorker(ws.path, { onProgress: (p) => progress.push(p) })).toMatchObject({ ok: true, eventsChecked: 30 });
    expect(progress.at(-1)).toEqual({ checked: 30, total: 30 });
    tamper(`update audit_events set ts = '2020-01-01T00:00:00.000Z' where seq = 12`);
    expect((await verifyChainInWorker(ws.path)).firstBad).toEqual({ seq: 12, problem: 'event 12: digest does not match its contents' });
  });

  it('splits the trail across threads and still names the first bad event, even at a range boundary', async () => {
    seed(300, 50);
    await ws.db.close();
    const threaded = { threads: 3, minEventsPerThread: 50 };
    const progress: VerifyProgress[] = [];
    const intact = await verifyChainInWorker(ws.path, { ...threaded, onProgress: (p) => progress.push(p) });
    const { openWorkspaceDatabase } = await import('../../../electron/engine/store/database.ts');
    const reopened = await openWorkspaceDatabase(ws.path);
    expect(intact).toEqual(verifyChainSync(reopened));
    await reopened.close();
    expect(intact).toMatchObject({ ok: true, eventsChecked: 300 });
    expect(progress.at(-1)).toEqual({ checked: 300, total: 300 });
    // Ranges are 1–100, 101–200, 201–300: break the boundary event 100 and a later one.
    tamper('delete from audit_payloads where seq = 100');
    tamper('delete from audit_events where seq = 100');
    tamper(`update audit_events set type = 'bypass.used' where seq = 250`);
    expect(await verifyChainInWorker(ws.path, threaded)).toMatchObject({
      ok: false,
      eventsChecked: 99,
      firstBad: { seq: 100, problem: 'event 100 missing (gap between 99 and 101)' },
    });
  });

  it('rejects with a cancelled error when aborted', async () => {
    seed(5);
    const controller = new AbortController();
    const running = verifyChainInWorker(ws.path, { signal: controller.signal });
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('says so when there is no workspace at the path', async () => {
    await expect(verifyChainInWorker(`${ws.dir}/nothing.db`)).rejects.toMatchObject({ code: 'not_found' });
  });
});
