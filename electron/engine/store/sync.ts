/**
 * Runs a Kysely-built query synchronously on better-sqlite3. Kysely stays the typed query
 * builder; execution is synchronous so decisions and audit appends never await.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, InferResult } from 'kysely';

export function all<Q extends Compilable>(sqlite: BetterSqlite3.Database, query: Q): InferResult<Q> {
  const compiled = query.compile();
  const statement = sqlite.prepare(compiled.sql);
  if (!statement.reader) {
    statement.run(...(compiled.parameters as unknown[]));
    return [] as unknown as InferResult<Q>;
  }
  return statement.all(...(compiled.parameters as unknown[])) as InferResult<Q>;
}

export function first<Q extends Compilable>(sqlite: BetterSqlite3.Database, query: Q): InferResult<Q>[number] | undefined {
  return (all(sqlite, query) as unknown[])[0] as InferResult<Q>[number] | undefined;
}

export function run(sqlite: BetterSqlite3.Database, query: Compilable): number {
  const compiled = query.compile();
  return sqlite.prepare(compiled.sql).run(...(compiled.parameters as unknown[])).changes;
}
