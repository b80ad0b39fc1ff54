import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CharterError } from '../../../shared/errors.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import type { WorkbenchMigration } from '../../../electron/engine/store/migrator.ts';
import { WORKBENCH_MIGRATIONS } from '../../../electron/engine/store/migrator.ts';
import { checksumOfSource } from '../../../electron/engine/store/migration-checksums.ts';
import * as addNotes from './fixtures/0002_add_notes.ts';
import * as broken from './fixtures/0002_broken.ts';
import { useTempDir } from '../../unit/store/temp-dir.ts';

const tempDir = useTempDir();

async function refusal(promise: Promise<unknown>): Promise<CharterError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CharterError);
  return error as CharterError;
}

function tables(path: string): string[] {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    return sqlite.prepare(`select name from sqlite_master where type = 'table' order by name`).pluck().all() as string[];
  } finally {
    sqlite.close();
  }
}

/** A closed workspace with this build's migrations, or only those given. */
async function freshWorkspace(migrations?: readonly WorkbenchMigration[]): Promise<string> {
  const path = join(tempDir(), 'workspace.db');
  const db = await openWorkspaceDatabase(path, migrations ? { migrations } : {});
  await db.close();
  return path;
}

/** Runs raw SQL on a closed workspace, as another program would. */
function tamper(path: string, sql: string): void {
  const sqlite = new BetterSqlite3(path);
  sqlite.exec(sql);
  sqlite.close();
}

const initial = WORKBENCH_MIGRATIONS[0] as WorkbenchMigration;
const fixture = (file: string): URL => new URL(`./fixtures/${file}`, import.meta.url);

describe('opening a workspace', () => {
  it('creates every table on a fresh file and records the migration checksum of the file on disk', async () => {
    const path = join(tempDir(), 'new.db');
    const db = await openWorkspaceDatabase(path);
    try {
      const names = db.sqlite.prepare(`select name from sqlite_master where type = 'table'`).pluck().all();
      for (const table of ['settings', 'agents', 'sessions', 'contracts', 'contract_versions', 'executions',
        'approvals', 'audit_events', 'audit_payloads', 'checkpoints']) {
        expect(names).toContain(table);
      }
      const fileHash = createHash('sha256').update(readFileSync(fileURLToPath(initial.source))).digest('hex');
      const row = db.sqlite.prepare('select checksum from charter_migrations where name = ?').get('0001_initial');
      expect(row).toEqual({ checksum: `sha256:${fileHash}` });
    } finally {
      await db.close();
    }
  });

  it('turns on WAL, foreign keys and synchronous=FULL', async () => {
    const db = await openWorkspaceDatabase(join(tempDir(), 'pragmas.db'));
    try {
      expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await db.close();
    }
  });

  it('reopens idempotently, keeping data and migration records', async () => {
    const path = await freshWorkspace();
    const before = new BetterSqlite3(path);
    const records = before.prepare('select * from charter_migrations').all();
    before.prepare(`insert into settings (key, value) values ('k', '"v"')`).run();
    before.close();
    for (let i = 0; i < 2; i++) {
      const db = await openWorkspaceDatabase(path);
      expect(db.sqlite.prepare('select * from charter_migrations').all()).toEqual(records);
      expect(db.sqlite.prepare('select count(*) from kysely_migration').pluck().get()).toBe(WORKBENCH_MIGRATIONS.length);
      expect(db.sqlite.prepare(`select value from settings where key = 'k'`).pluck().get()).toBe('"v"');
      await db.close();
    }
  });

  it('lets concurrent opens of one new file in the same process take turns', async () => {
    const path = join(tempDir(), 'race.db');
    const dbs = await Promise.all([openWorkspaceDatabase(path), openWorkspaceDatabase(path), openWorkspaceDatabase(path)]);
    expect(dbs[2]?.sqlite.prepare('select count(*) from kysely_migration').pluck().get()).toBe(WORKBENCH_MIGRATIONS.length);
    await Promise.all(dbs.map((db) => db.close()));
  });

  it('refuses a workspace whose applied migration changed since, naming the migration, and changes nothing', async () => {
    const path = await freshWorkspace();
    tamper(path, `update charter_migrations set checksum = 'sha256:${'0'.repeat(64)}' where name = '0001_initial'`);
    const bytes = readFileSync(path);
    const error = await refusal(openWorkspaceDatabase(path));
    expect(error.code).toBe('migration_refused');
    expect(error.message).toContain('migration 0001_initial was changed after this workspace applied it');
    expect(error.diagnostics[0]?.location?.file).toBe(fileURLToPath(initial.source));
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a workspace once a migration file it applied is edited on disk', async () => {
    const dir = tempDir();
    const file = join(dir, '0002_add_notes.ts');
    writeFileSync(file, readFileSync(fixture('0002_add_notes.ts')));
    const path = join(dir, 'workspace.db');
    const entry = { name: '0002_add_notes', migration: addNotes, source: pathToFileURL(file) };
    await (await openWorkspaceDatabase(path, { migrations: [initial, entry] })).close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}// an innocent-looking edit\n`);
    // A new migration list, as a new process would have: checksums are read afresh.
    const error = await refusal(openWorkspaceDatabase(path, { migrations: [initial, { ...entry }] }));
    expect(error.message).toContain('migration 0002_add_notes was changed after this workspace applied it');
    expect(error.diagnostics[0]?.location?.file).toBe(file);
  });

  it('refuses a workspace written by a newer Charter, in both modes, leaving it byte-identical', async () => {
    const path = await freshWorkspace();
    tamper(path, `insert into kysely_migration (name, timestamp) values ('0005_future', '2030-01-01T00:00:00.000Z');
                  insert into charter_migrations values ('0005_future', 'sha256:ab', '2030-01-01T00:00:00.000Z')`);
    const bytes = readFileSync(path);
    for (const readonly of [false, true]) {
      const error = await refusal(openWorkspaceDatabase(path, { readonly }));
      expect(error.code).toBe('migration_refused');
      expect(error.message).toBe(`${path}: this workspace was written by a newer version of Charter (migration 0005_future); upgrade Charter to open it`);
    }
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // A read-only connection may leave an empty write-ahead log behind; never any content.
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0);
  });

  it('refuses a file that is not a SQLite database and leaves it alone', async () => {
    const path = join(tempDir(), 'notes.db');
    const text = 'Meeting notes, definitely not SQLite.\n'.repeat(200);
    writeFileSync(path, text);
    const error = await refusal(openWorkspaceDatabase(path));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe(`${path} is not a Charter workspace: it is not a SQLite database`);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses a SQLite database of another application without switching it to WAL', async () => {
    const path = join(tempDir(), 'other.db');
    tamper(path, 'create table users (id integer primary key, email text); create table orders (id integer primary key)');
    const bytes = readFileSync(path);
    const error = await refusal(openWorkspaceDatabase(path));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe(`${path} is not a Charter workspace: it is a SQLite database with other tables (orders, users)`);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses an empty database claimed by another application through its application_id', async () => {
    const path = join(tempDir(), 'claimed.db');
    tamper(path, 'pragma application_id = 1234');
    const error = await refusal(openWorkspaceDatabase(path));
    expect(error.message).toContain('belongs to another application');
  });

  it('reports a missing directory as the store being unavailable', async () => {
    const error = await refusal(openWorkspaceDatabase(join(tempDir(), 'no', 'such', 'dir.db')));
    expect(error.code).toBe('store_unavailable');
  });
});

describe('upgrading a workspace', () => {
  it('applies a new migration to an existing workspace and records its checksum', async () => {
    const path = await freshWorkspace([initial]);
    const migrations = [initial, { name: '0002_add_notes', migration: addNotes, source: fixture('0002_add_notes.ts') }];
    const db = await openWorkspaceDatabase(path, { migrations });
    await db.close();
    expect(tables(path)).toContain('notes');
    const sqlite = new BetterSqlite3(path, { readonly: true });
    expect(sqlite.prepare('select name from charter_migrations order by name').pluck().all()).toEqual(['0001_initial', '0002_add_notes']);
    sqlite.close();
  });

  it('rolls a failing migration back entirely, naming it', async () => {
    const path = await freshWorkspace([initial]);
    const migrations = [initial, { name: '0002_broken', migration: broken, source: fixture('0002_broken.ts') }];
    const error = await refusal(openWorkspaceDatabase(path, { migrations }));
    expect(error.code).toBe('migration_refused');
    expect(error.message).toContain('migration 0002_broken failed (disk on fire)');
    expect(tables(path)).not.toContain('half_done');
    const db = await openWorkspaceDatabase(path, { migrations: [initial] });
    expect(db.sqlite.prepare('select name from kysely_migration').pluck().all()).toEqual(['0001_initial']);
    await db.close();
  });

  it('refuses to apply a migration out of order', async () => {
    const path = await freshWorkspace([initial]);
    const checksum = checksumOfSource(readFileSync(fixture('0002_add_notes.ts'), 'utf8'));
    tamper(path, `insert into kysely_migration values ('0003_later', '2030-01-01T00:00:00.000Z');
                  insert into charter_migrations values ('0003_later', '${checksum}', '2030-01-01T00:00:00.000Z')`);
    const migrations = [
      initial,
      { name: '0002_add_notes', migration: addNotes, source: fixture('0002_add_notes.ts') },
      { name: '0003_later', migration: addNotes, source: fixture('0002_add_notes.ts') },
    ];
    const error = await refusal(openWorkspaceDatabase(path, { migrations }));
    expect(error.message).toContain('migration 0002_add_notes was never applied to this workspace, but the later 0003_later was');
  });

  it('checksums a migration whose file is not on disk (bundled builds) by its functions', async () => {
    const path = join(tempDir(), 'bundled.db');
    const migrations = [{ ...initial, source: new URL('./fixtures/not-shipped.ts', import.meta.url) }];
    await (await openWorkspaceDatabase(path, { migrations })).close();
    const sqlite = new BetterSqlite3(path, { readonly: true });
    expect(sqlite.prepare('select checksum from charter_migrations').pluck().get()).toMatch(/^fn-sha256:[0-9a-f]{64}$/);
    sqlite.close();
    await (await openWorkspaceDatabase(path, { migrations })).close();
    // A build that can read the file cannot compare its checksum with a function checksum; it opens.
    await (await openWorkspaceDatabase(path)).close();
  });
});

describe('opening read-only', () => {
  it('reads an existing workspace and cannot write to it', async () => {
    const path = await freshWorkspace();
    const db = await openWorkspaceDatabase(path, { readonly: true });
    try {
      expect(db.readonly).toBe(true);
      expect(db.sqlite.prepare('select count(*) from agents').pluck().get()).toBe(0);
      expect(() => db.sqlite.prepare(`insert into settings values ('a', '1')`).run()).toThrow(/readonly/);
    } finally {
      await db.close();
    }
  });

  it('reads what a writer connection commits, as a worker thread would', async () => {
    const path = join(tempDir(), 'shared.db');
    const writer = await openWorkspaceDatabase(path);
    const reader = await openWorkspaceDatabase(path, { readonly: true });
    try {
      writer.sqlite.prepare(`insert into settings values ('seen', 'true')`).run();
      expect(reader.sqlite.prepare(`select value from settings where key = 'seen'`).pluck().get()).toBe('true');
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('requires the file to exist and never creates it', async () => {
    const path = join(tempDir(), 'missing.db');
    const error = await refusal(openWorkspaceDatabase(path, { readonly: true }));
    expect(error.code).toBe('not_found');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a workspace that still needs a migration', async () => {
    const path = await freshWorkspace([initial]);
    const migrations = [initial, { name: '0002_add_notes', migration: addNotes, source: fixture('0002_add_notes.ts') }];
    const error = await refusal(openWorkspaceDatabase(path, { readonly: true, migrations }));
    expect(error.message).toContain('migration 0002_add_notes not applied');
  });
});
