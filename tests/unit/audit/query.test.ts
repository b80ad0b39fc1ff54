import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { countEvents, getEvent, queryEvents, tailEvents } from '../../../electron/engine/audit/query.ts';
import type { TempWorkspace } from './fixtures.ts';
import { decisionEvent, tempWorkspace } from './fixtures.ts';

let ws: TempWorkspace;
const N = 120;
beforeAll(async () => {
  ws = await tempWorkspace();
  const log = new AuditLog(ws.db);
  log.appendMany(Array.from({ length: N }, (_, i) => decisionEvent(i)));
  log.append({ type: 'agent.created', agentId: 'coder', payload: { name: 'Coder' }, ts: '2025-02-01T00:00:00.000Z' });
});
afterAll(async () => {
  await ws.dispose();
});

const seqs = (events: readonly { seq: number }[]): number[] => events.map((e) => e.seq);

describe('queryEvents', () => {
  it('returns the newest page first with payloads, by default 100 events', () => {
    const page = queryEvents(ws.db, {});
    expect(page).toHaveLength(100);
    expect(page[0]).toMatchObject({ seq: N + 1, type: 'agent.created', payload: { name: 'Coder' }, payloadState: 'intact' });
    expect(page[1]?.payload).toMatchObject({ input: { message: `hello number ${N - 1}` } });
  });

  it('pages by seq in both directions without overlap or holes', () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = queryEvents(ws.db, { limit: 25, beforeSeq: before });
      if (page.length === 0) break;
      seen.push(...seqs(page));
      before = page.at(-1)?.seq;
    }
    expect(seen).toEqual(Array.from({ length: N + 1 }, (_, i) => N + 1 - i));
    const asc = queryEvents(ws.db, { order: 'asc', afterSeq: 10, limit: 3 });
    expect(seqs(asc)).toEqual([11, 12, 13]);
  });

  it('filters by type, agent, action, outcome, trace and time range, all together', () => {
    expect(seqs(queryEvents(ws.db, { types: ['agent.created'] }))).toEqual([N + 1]);
    expect(queryEvents(ws.db, { types: [] })).toEqual([]);
    const coder = queryEvents(ws.db, { agentId: 'coder', limit: 1000 });
    expect(coder.every((e) => e.agentId === 'coder')).toBe(true);
    expect(coder).toHaveLength(N / 3 + 1);
    const denied = queryEvents(ws.db, { outcome: 'deny', action: 'present_form', limit: 1000 });
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((e) => e.outcome === 'deny' && e.action === 'present_form')).toBe(true);
    expect(seqs(queryEvents(ws.db, { traceId: 'trace-2', order: 'asc' }))).toEqual([9, 10, 11, 12]);
    // decisionEvent(i) is at 2025-01-01 + i seconds; from inclusive, to exclusive.
    const window = queryEvents(ws.db, { fromTs: '2025-01-01T00:00:10.000Z', toTs: '2025-01-01T00:00:15.000Z', order: 'asc' });
    expect(seqs(window)).toEqual([11, 12, 13, 14, 15]);
    expect(seqs(queryEvents(ws.db, { agentId: 'support-bot', fromTs: '2025-01-01T00:00:10.000Z', toTs: '2025-01-01T00:00:15.000Z' }))).toEqual([13]);
  });

  it('refuses a limit outside 1–1000', () => {
    expect(() => queryEvents(ws.db, { limit: 0 })).toThrow(/limit must be a whole number from 1 to 1000/);
    expect(() => queryEvents(ws.db, { limit: 5000 })).toThrow(/limit/);
  });
});

describe('tailEvents, getEvent, countEvents', () => {
  it('gives the last n events oldest first', () => {
    expect(seqs(tailEvents(ws.db, 3))).toEqual([N - 1, N, N + 1]);
  });

  it('gets one event and counts them', () => {
    expect(getEvent(ws.db, 1)).toMatchObject({ seq: 1, agentId: 'support-bot', outcome: 'allow' });
    expect(getEvent(ws.db, 10_000)).toBeUndefined();
    expect(countEvents(ws.db)).toBe(N + 1);
  });
});

describe('time windows wide enough to be walked in seq order', () => {
  it('find the same events as a narrow index-driven window would', async () => {
    const wide = await tempWorkspace();
    try {
      const log = new AuditLog(wide.db, { checkpointEvery: 0 });
      // 2500 events with timestamps out of seq order now and then (a clock stepping back).
      log.appendMany(Array.from({ length: 2500 }, (_, i) => ({
        type: 'decision' as const,
        agentId: i % 2 ? 'a' : 'b',
        ts: new Date(Date.UTC(2025, 0, 1) + (i % 100 === 0 ? -1000 : i * 1000)).toISOString(),
        payload: i,
      })));
      const fromTs = '2025-01-01T00:00:05.000Z';
      const toTs = '2025-01-01T00:40:00.000Z';
      const expected = (order: 'asc' | 'desc', agent?: string): number[] => {
        const all: number[] = [];
        for (let i = 0; i < 2500; i++) {
          const ts = new Date(Date.UTC(2025, 0, 1) + (i % 100 === 0 ? -1000 : i * 1000)).toISOString();
          if (ts >= fromTs && ts < toTs && (agent === undefined || agent === (i % 2 ? 'a' : 'b'))) all.push(i + 1);
        }
        return (order === 'asc' ? all : all.reverse()).slice(0, 50);
      };
      expect(expected('asc').length).toBe(50);
      expect(seqs(queryEvents(wide.db, { fromTs, toTs, order: 'asc', limit: 50 }))).toEqual(expected('asc'));
      expect(seqs(queryEvents(wide.db, { fromTs, toTs, limit: 50 }))).toEqual(expected('desc'));
      expect(seqs(queryEvents(wide.db, { fromTs, toTs, agentId: 'a', limit: 50 }))).toEqual(expected('desc', 'a'));
    } finally {
      await wide.dispose();
    }
  });
});
