/**
 * Opens a workspace database: better-sqlite3 underneath, Kysely as the typed query builder.
 * Queries are built with Kysely and run synchronously on better-sqlite3 (see ./sync.ts), so the
 * engine's services stay synchronous after the asynchronous open (migrations).
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { WorkspaceDatabase } from './schema.ts';
import { migrateToLatest } from './migrator.ts';

export interface WorkspaceDb {
  readonly path: string;
  readonly sqlite: BetterSqlite3.Database;
  readonly kysely: Kysely<WorkspaceDatabase>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Open an existing workspace for reading only (workers, verification). */
  readonly readonly?: boolean;
}

export async function openWorkspaceDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<WorkspaceDb> {
  const sqlite = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    if (!options.readonly) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // Audit writes must survive power loss: FULL syncs the WAL on every commit.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    const kysely = new Kysely<WorkspaceDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    if (!options.readonly) await migrateToLatest(kysely);
    return {
      path,
      sqlite,
      kysely,
      // Kysely's destroy() closes the underlying better-sqlite3 handle.
      close: () => kysely.destroy(),
    };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    throw error;
  }
}
