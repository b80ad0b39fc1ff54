/**
 * Brings a workspace to this build's schema: inspects it (./workspace-inspection.ts), then runs
 * the pending migrations through Kysely's Migrator and records each one's checksum — all in one
 * `BEGIN IMMEDIATE` transaction, so a failed or interrupted upgrade leaves the workspace as it
 * was and two processes opening the same new workspace cannot both migrate it.
 *
 * Kysely's Migrator would itself reject migrations it does not know ("corrupted migrations:
 * previously executed migration … is missing") and ones out of order; the inspection refuses
 * those cases first, in Charter's words, before anything is written.
 *
 * For migration authors: foreign keys are on and `PRAGMA foreign_keys` cannot change inside a
 * transaction, so a migration that rebuilds a table uses `PRAGMA defer_foreign_keys = ON`.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, MigrationProvider, Migration } from 'kysely';
import { Migrator } from 'kysely';
import { CharterError } from '../../../shared/errors.ts';
import { migrationChecksums } from './migration-checksums.ts';
import type { WorkbenchMigration } from './workbench-migrations.ts';
import { WORKBENCH_MIGRATIONS } from './workbench-migrations.ts';
import type { WorkspaceState } from './workspace-inspection.ts';
import { CHARTER_APPLICATION_ID, MIGRATION_CHECKSUM_TABLE, asWorkspaceError, inspectWorkspace } from './workspace-inspection.ts';

export { WORKBENCH_MIGRATIONS };
export type { WorkbenchMigration };

/** Inspects the workspace at `path` and refuses it if this build must not open it. Reads only. */
export async function checkWorkspace(sqlite: BetterSqlite3.Database, path: string,
  migrations: readonly WorkbenchMigration[] = WORKBENCH_MIGRATIONS): Promise<WorkspaceState> {
  return inspectWorkspace(sqlite, path, migrations, await migrationChecksums(migrations));
}

function providerOf(migrations: readonly WorkbenchMigration[]): MigrationProvider {
  const table: Record<string, Migration> = {};
  for (const entry of migrations) table[entry.name] = entry.migration;
  return { getMigrations: async () => table };
}

/**
 * Applies every pending migration and records its checksum. Refuses (CharterError
 * 'migration_refused' / 'invalid_argument') a workspace this build must not touch.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator works on any schema
export async function migrateToLatest(sqlite: BetterSqlite3.Database, kysely: Kysely<any>, path: string,
  migrations: readonly WorkbenchMigration[] = WORKBENCH_MIGRATIONS): Promise<void> {
  const checksums = await migrationChecksums(migrations);
  if (inspectWorkspace(sqlite, path, migrations, checksums).pending.length === 0) return;

  sqlite.exec('begin immediate');
  try {
    // Another process may have migrated between the first look and the lock: look again.
    const state = inspectWorkspace(sqlite, path, migrations, checksums);
    if (state.pending.length > 0) {
      sqlite.exec(`create table if not exists ${MIGRATION_CHECKSUM_TABLE} (
        name text primary key, checksum text not null, recorded_at text not null)`);
      // Our transaction is the migration transaction: the Migrator must not open its own.
      const migrator = new Migrator({ db: kysely, provider: providerOf(migrations), disableTransactions: true });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        const detail = error instanceof Error ? error.message : String(error);
        throw new CharterError('migration_refused', failed
          ? `${path}: migration ${failed} failed (${detail}); the workspace was left unchanged`
          : `${path}: the workspace's migrations do not match this build (${detail}); the workspace was left unchanged`);
      }
      const record = sqlite.prepare(`insert into ${MIGRATION_CHECKSUM_TABLE} (name, checksum, recorded_at) values (?, ?, ?)
        on conflict (name) do update set checksum = excluded.checksum, recorded_at = excluded.recorded_at`);
      const now = new Date().toISOString();
      for (const result of results ?? []) {
        if (result.status === 'Success') record.run(result.migrationName, checksums.get(result.migrationName), now);
      }
      sqlite.pragma(`application_id = ${CHARTER_APPLICATION_ID}`);
    }
    sqlite.exec('commit');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    throw asWorkspaceError(error, path);
  }
}
