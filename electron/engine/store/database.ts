/**
 * Opens a workspace database: better-sqlite3 underneath, Kysely as the typed query builder.
 * Queries are built with Kysely and run synchronously on better-sqlite3 (see ./sync.ts), so the
 * engine's services stay synchronous after the asynchronous open (migrations).
 *
 * Nothing is written to a database this build refuses (not SQLite, another application's,
 * written by a newer Charter, migrations edited since they ran): the checks read only, and
 * the file's journal mode is switched to WAL only after they pass.
 */
import { resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDatabase } from './schema.ts';
import type { WorkbenchMigration } from './migrator.ts';
import { WORKBENCH_MIGRATIONS, checkWorkspace, migrateToLatest } from './migrator.ts';
import { asWorkspaceError } from './workspace-inspection.ts';
import { openConnection } from './connection.ts';

export { openReadOnlyConnection } from './connection.ts';

export interface WorkspaceDb {
  readonly path: string;
  readonly readonly: boolean;
  readonly sqlite: BetterSqlite3.Database;
  readonly kysely: Kysely<WorkspaceDatabase>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * Open an existing, up-to-date workspace for reading only (worker threads, verification):
   * no migration, the file must exist, a newer or outdated schema is refused.
   */
  readonly readonly?: boolean;
  /** The migrations to apply; this build's by default. Tests pass others to simulate upgrades. */
  readonly migrations?: readonly WorkbenchMigration[];
}

/**
 * Opens of one file within this process, chained. A migration holds SQLite's write lock across
 * awaits, and a second connection waiting for that lock blocks the event loop (busy_timeout is
 * a synchronous wait) — so in-process opens take turns instead. Other processes simply wait.
 */
const openings = new Map<string, Promise<unknown>>();

export function openWorkspaceDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<WorkspaceDb> {
  const key = path === ':memory:' || path === '' ? undefined : resolve(path);
  if (key === undefined) return open(path, options);
  const previous = openings.get(key) ?? Promise.resolve();
  const opened = previous.then(() => open(path, options), () => open(path, options));
  const settled = opened.then(() => undefined, () => undefined);
  openings.set(key, settled);
  void settled.then(() => {
    if (openings.get(key) === settled) openings.delete(key);
  });
  return opened;
}

async function open(path: string, options: OpenDatabaseOptions): Promise<WorkspaceDb> {
  const readonly = options.readonly ?? false;
  const migrations = options.migrations ?? WORKBENCH_MIGRATIONS;
  const sqlite = openConnection(path, readonly);
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // Audit writes must survive power loss: FULL syncs the WAL on every commit.
    sqlite.pragma('synchronous = FULL');
    const state = await checkWorkspace(sqlite, path, migrations);
    const kysely = new Kysely<WorkspaceDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    if (readonly) {
      if (state.kind === 'empty') {
        throw new CharterError('invalid_argument', `${path} is not a Charter workspace: it is empty`);
      }
      if (state.pending.length > 0) {
        throw new CharterError('migration_refused',
          `${path}: this workspace predates this version of Charter (migration ${state.pending[0]} not applied); open it for writing once to upgrade it`);
      }
    } else {
      sqlite.pragma('journal_mode = WAL');
      await migrateToLatest(sqlite, kysely, path, migrations);
    }
    let closed: Promise<void> | undefined;
    return {
      path,
      readonly,
      sqlite,
      kysely,
      // Kysely's destroy() closes the underlying better-sqlite3 handle.
      close: () => (closed ??= kysely.destroy()),
    };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    throw asWorkspaceError(error, path);
  }
}
