import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import type { WorkspaceDatabase } from '../../../electron/engine/store/schema.ts';
import { all, cachedStatement, defineQuery, first, run } from '../../../electron/engine/store/sync.ts';
import { checksumKind, checksumOfSource } from '../../../electron/engine/store/migration-checksums.ts';

let handles: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const handle of handles) handle.close();
  handles = [];
});

function settingsDb(): { sqlite: BetterSqlite3.Database; kysely: Kysely<WorkspaceDatabase> } {
  const sqlite = new BetterSqlite3(':memory:');
  handles.push(sqlite);
  sqlite.exec('create table settings (key text primary key, value text not null)');
  return { sqlite, kysely: new Kysely<WorkspaceDatabase>({ dialect: new SqliteDialect({ database: sqlite }) }) };
}

describe('synchronous Kysely execution', () => {
  it('runs built queries and prepares each SQL string once per connection', () => {
    const { sqlite, kysely } = settingsDb();
    expect(run(sqlite, kysely.insertInto('settings').values({ key: 'a', value: '1' }))).toBe(1);
    run(sqlite, kysely.insertInto('settings').values({ key: 'b', value: '2' }));
    const query = (key: string) => kysely.selectFrom('settings').select('value').where('key', '=', key);
    expect(first(sqlite, query('a'))).toEqual({ value: '1' });
    expect(first(sqlite, query('b'))).toEqual({ value: '2' });
    expect(all(sqlite, kysely.selectFrom('settings').selectAll().orderBy('key'))).toHaveLength(2);
    const sql = query('a').compile().sql;
    expect(cachedStatement(sqlite, sql)).toBe(cachedStatement(sqlite, sql));
    const other = settingsDb();
    expect(cachedStatement(other.sqlite, sql)).not.toBe(cachedStatement(sqlite, sql));
  });

  it('returns no rows for a write passed to all/first', () => {
    const { sqlite, kysely } = settingsDb();
    expect(all(sqlite, kysely.insertInto('settings').values({ key: 'a', value: '1' }))).toEqual([]);
    expect(first(sqlite, kysely.deleteFrom('settings'))).toBeUndefined();
    expect(first(sqlite, kysely.selectFrom('settings').selectAll())).toBeUndefined();
  });

  it('compiles a defined query once and binds named arguments beside constants', () => {
    const { sqlite, kysely } = settingsDb();
    const put = defineQuery((db, args: { key: string; value: string }) => db.insertInto('settings').values({ key: args.key, value: args.value }));
    const byKeyUnlessDeleted = defineQuery((db, args: { key: string }) =>
      db.selectFrom('settings').select('value').where('key', '=', args.key).where('value', '!=', 'deleted'));
    expect(byKeyUnlessDeleted.sql).toBe(kysely.selectFrom('settings').select('value').where('key', '=', 'k').where('value', '!=', 'deleted').compile().sql);
    put.run(sqlite, { key: 'x', value: 'one' });
    put.run(sqlite, { value: 'deleted', key: 'y' });
    expect(byKeyUnlessDeleted.first(sqlite, { key: 'x' })).toEqual({ value: 'one' });
    expect(byKeyUnlessDeleted.first(sqlite, { key: 'y' })).toBeUndefined();
    expect(byKeyUnlessDeleted.all(sqlite, { key: 'x' })).toEqual([{ value: 'one' }]);
  });
});

describe('migration checksums', () => {
  it('treat CRLF line endings and a BOM as the same migration, and any other edit as a different one', () => {
    const lf = checksumOfSource('export async function up() {}\n');
    expect(checksumOfSource('\uFEFFexport async function up() {}\r\n')).toBe(lf);
    expect(checksumOfSource('export async function up() { }\n')).not.toBe(lf);
    expect(checksumKind(lf)).toBe('sha256');
  });
});
