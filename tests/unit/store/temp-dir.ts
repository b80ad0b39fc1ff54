/** Temporary directories and workspaces for store tests, removed after each test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { WorkspaceDb } from '../../../electron/engine/store/database.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';

export function useTempDir(): () => string {
  let dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-store-'));
    dirs.push(dir);
    return dir;
  };
}

/** A freshly migrated workspace per test, closed and removed afterwards. */
export function useTempWorkspace(): () => Promise<WorkspaceDb> {
  const tempDir = useTempDir();
  let open: WorkspaceDb[] = [];
  afterEach(async () => {
    for (const db of open) await db.close();
    open = [];
  });
  return async () => {
    const db = await openWorkspaceDatabase(join(tempDir(), 'workspace.db'));
    open.push(db);
    return db;
  };
}
