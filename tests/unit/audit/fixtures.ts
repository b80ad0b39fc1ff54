/** Shared helpers for the audit tests: temporary workspaces, realistic events, a tamperer. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { AuditAppend } from '../../../electron/engine/audit/audit-log.ts';
import type { WorkspaceDb } from '../../../electron/engine/store/database.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';

export interface TempWorkspace {
  readonly dir: string;
  readonly path: string;
  readonly db: WorkspaceDb;
  dispose(): Promise<void>;
}

export async function tempWorkspace(): Promise<TempWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'charter-audit-'));
  const path = join(dir, 'workspace.db');
  const db = await openWorkspaceDatabase(path);
  return {
    dir,
    path,
    db,
    dispose: async () => {
      if (db.sqlite.open) await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const AGENTS = ['support-bot', 'finance-agent', 'coder'] as const;
const ACTIONS = ['stream_chat', 'present_form', 'submit_form', 'tool:search_code'] as const;
const OUTCOMES = ['allow', 'deny', 'escalate'] as const;

/** A decision event like the engine records: ~300 bytes of payload. */
export function decisionEvent(i: number): AuditAppend {
  return {
    type: 'decision',
    agentId: AGENTS[i % AGENTS.length] as string,
    action: ACTIONS[i % ACTIONS.length] as string,
    outcome: OUTCOMES[i % OUTCOMES.length] as (typeof OUTCOMES)[number],
    traceId: `trace-${Math.floor(i / 4)}`,
    ts: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    payload: {
      input: { message: `hello number ${i}`, card: '4111 1111 1111 1111' },
      reasons: [{ ruleId: 'maturity.gate', message: 'stream_chat needs intern or above' }],
      contract: { name: 'support', version: 3 },
      rung: 'explicit',
      cacheHit: i % 2 === 0,
      latencyUs: 1.7,
    },
  };
}

/** A second connection to the same file with the append-only triggers dropped: an attacker. */
export function tamperer(path: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(path);
  raw.pragma('foreign_keys = OFF');
  raw.exec('drop trigger if exists audit_events_append_only_update; drop trigger if exists audit_events_append_only_delete;');
  return raw;
}
