/** A temporary workspace database with the keys tables, removed after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { KEYS_MIGRATION } from '../../../electron/engine/keys/migration.ts';
import type { WorkspaceDb } from '../../../electron/engine/store/database.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import { WORKBENCH_MIGRATIONS } from '../../../electron/engine/store/workbench-migrations.ts';

const dirs: string[] = [];
const dbs: WorkspaceDb[] = [];

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'charter-keys-'));
  dirs.push(dir);
  return dir;
}

export const MIGRATIONS = WORKBENCH_MIGRATIONS.some((m) => m.name === KEYS_MIGRATION.name)
  ? WORKBENCH_MIGRATIONS
  : [...WORKBENCH_MIGRATIONS, KEYS_MIGRATION];

export async function keysWorkspace(path = join(tempDir(), 'ws.db')): Promise<WorkspaceDb> {
  const db = await openWorkspaceDatabase(path, { migrations: MIGRATIONS });
  dbs.push(db);
  return db;
}
