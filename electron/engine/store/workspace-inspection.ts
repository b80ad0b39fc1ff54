/**
 * Looks at a database before Charter touches it: is it SQLite, is it a Charter workspace, was
 * it written by a newer Charter, were its migrations edited since they ran. Reads only, so a
 * refused file is left exactly as it was.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MIGRATION_TABLE } from 'kysely';
import type { Diagnostic } from '../../../shared/errors.ts';
import { CharterError } from '../../../shared/errors.ts';
import { checksumKind } from './migration-checksums.ts';
import type { WorkbenchMigration } from './workbench-migrations.ts';

/** `PRAGMA application_id` of every Charter workspace: "CHRT". */
export const CHARTER_APPLICATION_ID = 0x43485254;

/** Our record of each applied migration's checksum, beside Kysely's own migration table. */
export const MIGRATION_CHECKSUM_TABLE = 'charter_migrations';
export const KYSELY_MIGRATION_TABLE = DEFAULT_MIGRATION_TABLE;

export interface WorkspaceState {
  /** `empty`: no tables yet, a workspace to be created. */
  readonly kind: 'empty' | 'workspace';
  /** Applied migrations, by name. */
  readonly applied: readonly string[];
  /** Known migrations not yet applied, in the order they will run. */
  readonly pending: readonly string[];
}

function refuse(code: 'migration_refused' | 'invalid_argument' | 'store_unavailable', diagnosticCode: string,
  message: string, file?: string): never {
  const diagnostic: Diagnostic = {
    code: diagnosticCode,
    message,
    severity: 'error',
    ...(file ? { location: { file, line: 1, column: 1 } } : {}),
  };
  throw new CharterError(code, message, [diagnostic]);
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The CharterError for a SQLite failure that means "this file cannot be a workspace right now"
 * (not a database, damaged, locked, read-only, disk trouble); any other error is returned as it is.
 */
export function asWorkspaceError(error: unknown, path: string): unknown {
  if (error instanceof CharterError) return error;
  const code = sqliteCode(error);
  try {
    if (code === 'SQLITE_NOTADB') {
      refuse('invalid_argument', 'store.not-sqlite', `${path} is not a Charter workspace: it is not a SQLite database`);
    }
    if (code?.startsWith('SQLITE_CORRUPT')) {
      refuse('store_unavailable', 'store.corrupt', `${path} is damaged and cannot be opened as a workspace (${(error as Error).message})`);
    }
    if (code?.startsWith('SQLITE_BUSY')) {
      refuse('store_unavailable', 'store.busy', `${path} is locked by another program; try again when it has finished`);
    }
    if (code?.startsWith('SQLITE_READONLY')) {
      refuse('store_unavailable', 'store.read-only', `${path} cannot be written (a read-only file or folder); open it read-only instead`);
    }
    if (code === 'SQLITE_FULL' || code?.startsWith('SQLITE_IOERR')) {
      refuse('store_unavailable', 'store.io', `${path} could not be read or written (${(error as Error).message})`);
    }
  } catch (refusal) {
    return refusal;
  }
  return error;
}

function userTables(sqlite: BetterSqlite3.Database, path: string): string[] {
  try {
    return (sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`)
      .pluck().all() as string[]);
  } catch (error) {
    throw asWorkspaceError(error, path);
  }
}

function sourceFile(migration: WorkbenchMigration): string {
  return migration.source.protocol === 'file:' ? fileURLToPath(migration.source) : migration.source.href;
}

function shortChecksum(checksum: string): string {
  const colon = checksum.indexOf(':');
  return checksum.slice(colon + 1, colon + 13);
}

/**
 * What the database at `path` holds, or a CharterError saying why Charter must not open it.
 * `known` is this build's migrations in order; `checksums` their current checksums.
 */
export function inspectWorkspace(sqlite: BetterSqlite3.Database, path: string, known: readonly WorkbenchMigration[],
  checksums: ReadonlyMap<string, string>): WorkspaceState {
  const tables = userTables(sqlite, path);
  const applicationId = sqlite.pragma('application_id', { simple: true }) as number;
  if (applicationId !== 0 && applicationId !== CHARTER_APPLICATION_ID) {
    refuse('invalid_argument', 'store.foreign-database',
      `${path} is not a Charter workspace: it belongs to another application (application_id 0x${applicationId.toString(16)})`);
  }
  if (tables.length === 0) return { kind: 'empty', applied: [], pending: known.map((m) => m.name) };
  if (!tables.includes(MIGRATION_CHECKSUM_TABLE) || !tables.includes(KYSELY_MIGRATION_TABLE)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, … (${tables.length} tables)` : '');
    refuse('invalid_argument', 'store.foreign-database',
      `${path} is not a Charter workspace: it is a SQLite database with other tables (${shown})`);
  }

  const applied = (sqlite.prepare(`select name from ${KYSELY_MIGRATION_TABLE} order by name`).pluck().all() as string[]);
  const recorded = new Map((sqlite.prepare(`select name, checksum from ${MIGRATION_CHECKSUM_TABLE}`).all() as
    { name: string; checksum: string }[]).map((row) => [row.name, row.checksum]));
  const knownNames = new Set(known.map((m) => m.name));

  const unknown = [...new Set([...applied, ...recorded.keys()])].filter((name) => !knownNames.has(name)).sort();
  if (unknown.length > 0) {
    refuse('migration_refused', 'store.newer-workspace',
      `${path}: this workspace was written by a newer version of Charter (migration ${unknown[unknown.length - 1]}); upgrade Charter to open it`);
  }

  const appliedSet = new Set(applied);
  for (const migration of known) {
    if (!appliedSet.has(migration.name)) continue;
    const stored = recorded.get(migration.name);
    const current = checksums.get(migration.name);
    if (stored === undefined) {
      refuse('migration_refused', 'store.migration-unrecorded',
        `${path}: migration ${migration.name} is applied but its checksum is missing; the workspace's migration records were altered`);
    }
    if (current !== undefined && checksumKind(stored) === checksumKind(current) && stored !== current) {
      const file = sourceFile(migration);
      refuse('migration_refused', 'store.migration-changed',
        `${path}: migration ${migration.name} was changed after this workspace applied it ` +
        `(checksum recorded ${shortChecksum(stored)}…, ${file} now ${shortChecksum(current)}…); ` +
        `restore the migration as it was, or open the workspace with the Charter build that created it`, file);
    }
  }

  const pending = known.map((m) => m.name).filter((name) => !appliedSet.has(name));
  const lastApplied = applied[applied.length - 1];
  const skipped = pending.find((name) => lastApplied !== undefined && name < lastApplied);
  if (skipped !== undefined) {
    refuse('migration_refused', 'store.migration-out-of-order',
      `${path}: migration ${skipped} was never applied to this workspace, but the later ${lastApplied} was; it cannot be applied out of order`);
  }
  return { kind: 'workspace', applied, pending };
}
