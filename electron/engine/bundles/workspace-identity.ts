/** A workspace's stable id for bundles: made once, kept in settings under `workspace_id`. */
import type BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';

const KEY = 'workspace_id';

/** The id, made now when the connection can write and there is none yet. */
export function workspaceId(sqlite: BetterSqlite3.Database): string {
  const read = (): string | undefined => {
    const row = sqlite.prepare('select value from settings where key = ?').pluck().get(KEY) as string | undefined;
    return row === undefined ? undefined : (JSON.parse(row) as string);
  };
  const existing = read();
  if (existing) return existing;
  if (sqlite.readonly) return 'unidentified';
  sqlite.prepare('insert or ignore into settings (key, value) values (?, ?)').run(KEY, JSON.stringify(randomUUID()));
  return read() as string;
}

export function workspaceName(path: string): string {
  return basename(path, extname(path)) || 'workspace';
}
