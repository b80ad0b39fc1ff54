/** Runs migrations/workbench through Kysely's Migrator. (Checksums and version refusal: see issue #2.) */
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator } from 'kysely';
import { CharterError } from '../../../shared/errors.ts';
import * as m0001 from '../../../migrations/workbench/0001_initial.ts';

const WORKBENCH_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...WORKBENCH_MIGRATIONS }) };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CharterError('migration_refused', `migration ${failed} failed: ${(error as Error).message}`);
  }
}
