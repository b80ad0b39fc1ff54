/**
 * Workspace store hot paths, each side by side with a reference in the same run:
 * - `getAgent` (compiled-once query, row → Agent) against a plain better-sqlite3 prepared `get`;
 * - a dynamic Kysely query (`listExecutions` by trace) with the statement cache, against
 *   the same query compiled and prepared on every call (what sync.ts did before the cache);
 * - `insertExecution`, 100 per transaction, against plain prepared inserts of the same rows.
 * Rounds alternate ours/reference so background noise hits both sides alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAgent, insertAgent } from '../../../electron/engine/store/agents-repository.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import { insertExecution, listExecutions } from '../../../electron/engine/store/executions-repository.ts';
import type { BenchSection } from './section.ts';
import { ratio } from './stats.ts';

/** Microseconds per call of `body`, run `n` times. */
function timeUs(n: number, body: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < n; i++) body(i);
  return ((performance.now() - started) * 1000) / n;
}

function best(rounds: number, measure: () => number): number {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) fastest = Math.min(fastest, measure());
  return fastest;
}

export const storeSection: BenchSection = {
  name: 'store',
  async run({ quick, log }) {
    const dir = mkdtempSync(join(tmpdir(), 'charter-bench-store-'));
    const db = await openWorkspaceDatabase(join(dir, 'bench.db'));
    try {
      const n = quick ? 20_000 : 200_000;
      const rounds = quick ? 3 : 5;
      for (let i = 0; i < 50; i++) insertAgent(db, { id: `agent-${i}`, name: `Agent ${i}`, role: 'support', maturity: 'intern' });
      const rawGet = db.sqlite.prepare('select * from agents where id = ?');

      let oursGet = Infinity;
      let rawGetUs = Infinity;
      for (let r = 0; r < rounds; r++) {
        oursGet = Math.min(oursGet, timeUs(n, (i) => getAgent(db, `agent-${i % 50}`)));
        rawGetUs = Math.min(rawGetUs, timeUs(n, (i) => rawGet.get(`agent-${i % 50}`)));
      }
      log(`getAgent            ${oursGet.toFixed(2)} µs   raw prepared get ${rawGetUs.toFixed(2)} µs   ratio ${ratio(rawGetUs, oursGet)}`);

      const batches = quick ? 20 : 100;
      const rawInsert = db.sqlite.prepare(`insert into executions (id, agent_id, action, status, parent_id, trace_id, decision_outcome,
        contract_name, contract_version, started_at, ended_at, error) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      let seq = 0;
      const oursBatch = db.sqlite.transaction(() => {
        for (let i = 0; i < 100; i++) {
          insertExecution(db, { agentId: `agent-${i % 50}`, action: 'stream_chat', status: 'running', decisionOutcome: 'allow',
            traceId: `trace-${seq}`, contractName: 'support', contractVersion: 1 });
          seq++;
        }
      });
      const rawBatch = db.sqlite.transaction(() => {
        for (let i = 0; i < 100; i++) {
          rawInsert.run(`raw-${seq}`, `agent-${i % 50}`, 'stream_chat', 'running', null, `trace-${seq}`, 'allow', 'support', 1,
            new Date().toISOString(), null, null);
          seq++;
        }
      });
      let oursInsert = Infinity;
      let rawInsertUs = Infinity;
      for (let r = 0; r < rounds; r++) {
        oursInsert = Math.min(oursInsert, timeUs(batches, () => oursBatch()) / 100);
        rawInsertUs = Math.min(rawInsertUs, timeUs(batches, () => rawBatch()) / 100);
      }
      log(`insertExecution     ${oursInsert.toFixed(2)} µs   raw prepared insert ${rawInsertUs.toFixed(2)} µs   ratio ${ratio(rawInsertUs, oursInsert)}  (100 per transaction, FULL sync)`);

      const m = quick ? 2_000 : 20_000;
      // One execution per trace: the query itself is an index lookup, so statement overhead shows.
      const filtered = (i: number) => db.kysely.selectFrom('executions').selectAll()
        .where('trace_id', '=', `trace-${i % seq}`).orderBy('started_at', 'desc').orderBy(sql`rowid`, 'desc');
      const cached = best(rounds, () => timeUs(m, (i) => listExecutions(db, { traceId: `trace-${i % seq}` })));
      const uncached = best(rounds, () => timeUs(m, (i) => {
        const compiled = filtered(i).compile();
        db.sqlite.prepare(compiled.sql).all(...compiled.parameters);
      }));
      log(`listExecutions      ${cached.toFixed(2)} µs   compiled+prepared each call ${uncached.toFixed(2)} µs   speed-up ${ratio(uncached, cached)}×`);

      return {
        store_get_agent_us: Math.round(oursGet * 100) / 100,
        store_get_agent_ratio_vs_raw: ratio(rawGetUs, oursGet),
        store_insert_execution_us: Math.round(oursInsert * 100) / 100,
        store_insert_execution_ratio_vs_raw: ratio(rawInsertUs, oursInsert),
        store_statement_cache_speedup: ratio(uncached, cached),
      };
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
