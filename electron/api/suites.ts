/**
 * Test suites edited in the app: stored per contract in the workspace's settings table (key
 * `suite:<contract>`), and run by the engine's suite runner against the contract's latest version.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { TestRunReport } from '../../shared/api/types.ts';
import type { ContractVersion } from '../../shared/domain.ts';
import { CharterError } from '../../shared/errors.ts';
import type { WorkspaceDatabase } from '../engine/store/schema.ts';
import { first, run } from '../engine/store/sync.ts';

const key = (contract: string): string => `suite:${contract}`;

export function loadSuite(sqlite: BetterSqlite3.Database, db: Kysely<WorkspaceDatabase>, contract: string): string | null {
  return first(sqlite, db.selectFrom('settings').select('value').where('key', '=', key(contract)))?.value ?? null;
}

export function saveSuite(sqlite: BetterSqlite3.Database, db: Kysely<WorkspaceDatabase>, contract: string, source: string): void {
  run(sqlite, db.insertInto('settings').values({ key: key(contract), value: source }).onConflict((oc) => oc.column('key').doUpdateSet({ value: source })));
}

export function runContractSuite(_version: ContractVersion, _suite: string): TestRunReport {
  throw new CharterError('internal', 'The test runner is not available in this build yet.');
}
