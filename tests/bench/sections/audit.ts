/**
 * Audit trail speed, each side by side with a reference in the same run:
 * - chained appends (redaction-free decision payloads, 100 events per transaction, FULL sync)
 *   against plain better-sqlite3 inserts of the same header and payload rows, no hashing;
 * - chain verification (digests, links, seq continuity) against SHA-256 alone over the same
 *   header bytes in a loop, with no database.
 * Rounds alternate ours/reference so background noise hits both sides alike.
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditAppend } from '../../../electron/engine/audit/audit-log.ts';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { verifyChainSync } from '../../../electron/engine/audit/verify.ts';
import { canonicalPayload, eventDigest, sha256Hex } from '../../../electron/engine/audit/digest.ts';
import { verifyChainInWorker } from '../../../electron/engine/audit/verify-in-worker.ts';
import type { WorkspaceDb } from '../../../electron/engine/store/database.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import { eventHeaderBytes, GENESIS_DIGEST } from '../../../shared/audit.ts';
import type { AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';
import type { BenchSection } from './section.ts';
import { percentile, ratio } from './stats.ts';

const BATCH = 100;
const AGENTS = ['support-1', 'support-2', 'coder-1', 'finance-7', 'ops-1'];
const ACTIONS = ['stream_chat', 'present_form', 'submit_form', 'tool:read_file', 'present_chart'];
const OUTCOMES: readonly Outcome[] = ['allow', 'allow', 'deny', 'allow', 'escalate'];

/** A decision event as the engine records it; its payload is about 300 bytes of JSON. */
function decisionEvent(i: number): AuditAppend {
  const k = i % 5;
  return {
    type: 'decision',
    agentId: AGENTS[k] as string,
    action: ACTIONS[(i >> 3) % 5] as string,
    outcome: OUTCOMES[k] as Outcome,
    traceId: `tr-${(i >> 2).toString(36).padStart(10, '0')}`,
    payload: {
      input: { prompt: `summarise ticket #${10_000 + i} for the customer`, locale: 'en-GB' },
      reasons: [{ ruleId: k === 2 ? 'maturity.gate' : 'tools.allow', message: k === 2 ? 'needs supervised or above' : 'tool is on the allowlist' }],
      obligations: { redact: [], tokenCap: 2048 },
      contract: { name: 'support-assistant', version: 3, hash: 'b1946ac92492d2347c6235b4d2611184' },
      rung: 'explicit',
      cacheHit: i % 3 === 0,
      latencyUs: 1.2 + (i % 7) / 10,
    },
  };
}

interface Temp {
  readonly db: WorkspaceDb;
  dispose(): Promise<void>;
}

async function tempWorkspace(name: string): Promise<Temp> {
  const dir = mkdtempSync(join(tmpdir(), `charter-bench-${name}-`));
  const db = await openWorkspaceDatabase(join(dir, 'workspace.db'));
  return { db, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Plain inserts of the same rows into the same tables: no canonical JSON, no hashing. */
function rawInserter(sqlite: BetterSqlite3.Database): (events: readonly AuditAppend[], firstSeq: number) => void {
  const insertEvent = sqlite.prepare(
    `insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPayload = sqlite.prepare(`insert into audit_payloads (seq, payload, state) values (?, ?, 'intact')`);
  const fixed = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  return sqlite.transaction((events: readonly AuditAppend[], firstSeq: number) => {
    let seq = firstSeq;
    for (const e of events) {
      insertEvent.run(seq, new Date().toISOString(), e.type, e.agentId, e.action, e.outcome, e.traceId, fixed, fixed, fixed);
      insertPayload.run(seq, JSON.stringify(e.payload));
      seq++;
    }
  });
}

async function appendBench(quick: boolean, log: (line: string) => void): Promise<{ ours: number; raw: number }> {
  const pairs = quick ? 60 : 300;
  const batches: AuditAppend[][] = [];
  for (let b = 0; b < 20; b++) batches.push(Array.from({ length: BATCH }, (_, i) => decisionEvent(b * BATCH + i)));
  const ours = await tempWorkspace('ours');
  const raw = await tempWorkspace('raw');
  try {
    const audit = new AuditLog(ours.db);
    const oursBatch = ours.db.sqlite.transaction((events: readonly AuditAppend[]) => {
      for (const e of events) audit.append(e);
    });
    const rawBatch = rawInserter(raw.db.sqlite);
    let rawSeq = 1;
    const timeOurs = (batch: readonly AuditAppend[]): number => {
      const t = performance.now();
      oursBatch(batch);
      return performance.now() - t;
    };
    const timeRaw = (batch: readonly AuditAppend[]): number => {
      const t = performance.now();
      rawBatch(batch, rawSeq);
      rawSeq += batch.length;
      return performance.now() - t;
    };
    // Warm-up, not counted.
    for (const batch of batches.slice(0, 5)) {
      timeOurs(batch);
      timeRaw(batch);
    }
    // Batch by batch, alternating which side goes first; the median batch time of each side
    // keeps a stall caused by other processes (fsync, CPU) from landing on one side only.
    const oursMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const batch = batches[i % batches.length] as AuditAppend[];
      if (i % 2 === 0) {
        oursMs.push(timeOurs(batch));
        rawMs.push(timeRaw(batch));
      } else {
        rawMs.push(timeRaw(batch));
        oursMs.push(timeOurs(batch));
      }
    }
    const result = { ours: (BATCH / percentile(oursMs, 0.5)) * 1000, raw: (BATCH / percentile(rawMs, 0.5)) * 1000 };
    log(`append: ${pairs} transactions of ${BATCH} events per side, alternating, synchronous=FULL (median transaction)`);
    log(`  chained AuditLog.append   ${Math.round(result.ours).toLocaleString('en')} events/s`);
    log(`  plain better-sqlite3      ${Math.round(result.raw).toLocaleString('en')} events/s`);
    return result;
  } finally {
    await ours.dispose();
    await raw.dispose();
  }
}

/**
 * Fills a workspace quickly (setup, not measured): the same chained rows AuditLog writes, one
 * realistic payload shared by all events, a checkpoint every 1000, big transactions, no fsync,
 * and without the query indexes, which verification never reads (it walks seq order).
 */
function fill(db: WorkspaceDb, n: number): void {
  const sqlite = db.sqlite;
  sqlite.pragma('synchronous = OFF');
  sqlite.exec('drop index audit_events_agent; drop index audit_events_trace; drop index audit_events_ts;');
  const insertEvent = sqlite.prepare(
    `insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPayload = sqlite.prepare(`insert into audit_payloads (seq, payload, state) values (?, ?, 'intact')`);
  const insertCheckpoint = sqlite.prepare('insert into checkpoints (tree_size, head_digest, created_at) values (?, ?, ?)');
  const text = canonicalPayload(decisionEvent(0).payload);
  const payloadHash = sha256Hex(text);
  const t0 = Date.UTC(2025, 0, 1);
  let prev = GENESIS_DIGEST;
  const chunk = sqlite.transaction((from: number, to: number) => {
    for (let seq = from; seq <= to; seq++) {
      const e = decisionEvent(seq);
      const header: AuditEventHeader = {
        seq, ts: new Date(t0 + seq * 250).toISOString(), type: e.type, agentId: e.agentId ?? null, action: e.action ?? null,
        outcome: e.outcome ?? null, traceId: e.traceId ?? null, payloadHash,
      };
      const digest = eventDigest(prev, header);
      insertEvent.run(seq, header.ts, header.type, header.agentId, header.action, header.outcome, header.traceId, payloadHash, prev, digest);
      insertPayload.run(seq, text);
      if (seq % 1000 === 0) insertCheckpoint.run(seq, digest, header.ts);
      prev = digest;
    }
  });
  for (let from = 1; from <= n; from += 20_000) chunk(from, Math.min(n, from + 19_999));
  sqlite.pragma('synchronous = FULL');
}

/** The strings the chain hashes (prev digest + header bytes) for up to `max` events. */
function headerStrings(db: WorkspaceDb, max: number): string[] {
  const rows = db.sqlite
    .prepare('select seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest from audit_events order by seq limit ?')
    .raw()
    .iterate(max) as IterableIterator<[number, string, AuditEventType, string | null, string | null, Outcome | null, string | null, string, string]>;
  const out: string[] = [];
  for (const r of rows) {
    const header: AuditEventHeader = { seq: r[0], ts: r[1], type: r[2], agentId: r[3], action: r[4], outcome: r[5], traceId: r[6], payloadHash: r[7] };
    out.push(r[8] + eventHeaderBytes(header));
  }
  return out;
}

async function verifyBench(quick: boolean, log: (line: string) => void): Promise<{ ours: number; raw: number }> {
  const n = quick ? 100_000 : 1_000_000;
  const rounds = quick ? 2 : 3;
  const ws = await tempWorkspace('verify');
  try {
    const t0 = performance.now();
    fill(ws.db, n);
    log(`verify: filled ${n.toLocaleString('en')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup)`);
    const strings = headerStrings(ws.db, Math.min(n, 200_000));
    let sink = 0;
    const runRef = (): number => {
      const t = performance.now();
      for (let i = 0; i < strings.length; i++) sink += hash('sha256', strings[i] as string, 'hex').length;
      return (strings.length / (performance.now() - t)) * 1000;
    };
    const runOurs = (payloads: boolean): number => {
      const t = performance.now();
      const result = verifyChainSync(ws.db, { payloads });
      if (!result.ok || result.eventsChecked !== n) throw new Error(`verification failed: ${JSON.stringify(result)}`);
      if (result.headDigest === GENESIS_DIGEST) throw new Error('empty chain');
      return (n / (performance.now() - t)) * 1000;
    };
    let ours = 0;
    let ref = 0;
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        ours = Math.max(ours, runOurs(false));
        ref = Math.max(ref, runRef());
      } else {
        ref = Math.max(ref, runRef());
        ours = Math.max(ours, runOurs(false));
      }
    }
    const withPayloads = runOurs(true);
    if (sink === 0) throw new Error('unreachable');
    const tw = performance.now();
    const threaded = await verifyChainInWorker(ws.db.path, { payloads: false, threads: 2 });
    if (!threaded.ok || threaded.eventsChecked !== n) throw new Error(`verification failed: ${JSON.stringify(threaded)}`);
    const twoThreads = (n / (performance.now() - tw)) * 1000;
    log(`  verifyChain (digests, links, seq)     ${Math.round(ours).toLocaleString('en')} events/s (best of ${rounds}, one thread)`);
    log(`  verifyChain incl. payload hashes      ${Math.round(withPayloads).toLocaleString('en')} events/s`);
    log(`  verifyChainInWorker, 2 threads        ${Math.round(twoThreads).toLocaleString('en')} events/s (incl. starting the workers)`);
    log(`  SHA-256 alone over the header bytes   ${Math.round(ref).toLocaleString('en')} hashes/s (best of ${rounds})`);
    return { ours, raw: ref };
  } finally {
    await ws.dispose();
  }
}

export const auditSection: BenchSection = {
  name: 'audit',
  async run({ quick, log }) {
    const append = await appendBench(quick, log);
    const verify = await verifyBench(quick, log);
    return {
      audit_append_events_per_s: Math.round(append.ours),
      audit_append_ratio_vs_raw: ratio(append.ours, append.raw),
      chain_verify_events_per_s: Math.round(verify.ours),
      chain_verify_ratio_vs_raw_hash: ratio(verify.ours, verify.raw),
    };
  },
};
