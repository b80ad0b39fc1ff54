/**
 * Runs Kysely-built queries synchronously on better-sqlite3. Kysely stays the typed query
 * builder; execution is synchronous so decisions and audit appends never await.
 *
 * Two ways in:
 * - `all` / `first` / `run` take a built query. The query is compiled on every call (a few µs),
 *   but its prepared statement is cached per connection and SQL string, so preparing (the
 *   expensive part) happens once.
 * - `defineQuery` builds and compiles a query once, with named arguments standing where values
 *   go; each call only binds the arguments to the cached statement. Use it on hot paths.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, InferResult } from 'kysely';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { WorkspaceDatabase } from './schema.ts';

type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** Statements kept per connection; far more than the distinct SQL the store produces. */
const STATEMENT_CACHE_LIMIT = 512;

const statementCaches = new WeakMap<BetterSqlite3.Database, Map<string, Statement>>();

/** The prepared statement for `sql` on this connection, prepared once and then reused. */
export function cachedStatement(sqlite: BetterSqlite3.Database, sql: string): Statement {
  let cache = statementCaches.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCaches.set(sqlite, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = sqlite.prepare(sql) as Statement;
    // Dynamic queries (e.g. `in (?, ?, …)` of varying length) could grow the cache without
    // bound; dropping the oldest entry keeps it small and the common statements hot.
    if (cache.size >= STATEMENT_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(sql, statement);
  }
  return statement;
}

function allRows(statement: Statement, parameters: readonly unknown[]): unknown[] {
  if (!statement.reader) {
    statement.run(...parameters);
    return [];
  }
  return statement.all(...parameters);
}

function firstRow(statement: Statement, parameters: readonly unknown[]): unknown {
  if (!statement.reader) {
    statement.run(...parameters);
    return undefined;
  }
  return statement.get(...parameters);
}

export function all<Q extends Compilable>(sqlite: BetterSqlite3.Database, query: Q): InferResult<Q> {
  const compiled = query.compile();
  return allRows(cachedStatement(sqlite, compiled.sql), compiled.parameters) as InferResult<Q>;
}

export function first<Q extends Compilable>(sqlite: BetterSqlite3.Database, query: Q): InferResult<Q>[number] | undefined {
  const compiled = query.compile();
  return firstRow(cachedStatement(sqlite, compiled.sql), compiled.parameters) as InferResult<Q>[number] | undefined;
}

/** Runs a statement and returns how many rows it changed. */
export function run(sqlite: BetterSqlite3.Database, query: Compilable): number {
  const compiled = query.compile();
  return cachedStatement(sqlite, compiled.sql).run(...compiled.parameters).changes;
}

/** Stands in for a named argument while a query is compiled; see `defineQuery`. */
class ArgumentSlot {
  constructor(readonly name: string) {}
}

/**
 * A Kysely instance that only compiles (SQLite dialect, no connection). Queries built on it
 * compile to exactly the SQL a workspace connection would run.
 */
const compiler = new Kysely<WorkspaceDatabase>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

export interface PreparedQuery<A, R> {
  readonly sql: string;
  all(sqlite: BetterSqlite3.Database, args: A): R[];
  first(sqlite: BetterSqlite3.Database, args: A): R | undefined;
  /** Returns how many rows the statement changed. */
  run(sqlite: BetterSqlite3.Database, args: A): number;
}

type Binder<A> = (args: A) => unknown;

/**
 * Builds and compiles a query once. `build` receives a compile-only Kysely and an `args` object
 * whose properties stand for the values each call will bind:
 *
 *   const agentById = defineQuery((db, args: { id: string }) =>
 *     db.selectFrom('agents').selectAll().where('id', '=', args.id));
 *   agentById.first(sqlite, { id });
 *
 * `build` runs once, so each argument must be a single SQL value: no branching on it, no arrays
 * spread into `in (…)`, no `undefined` (bind `null` instead).
 */
export function defineQuery<A extends object, Q extends Compilable>(
  build: (db: Kysely<WorkspaceDatabase>, args: A) => Q,
): PreparedQuery<A, InferResult<Q>[number]> {
  type R = InferResult<Q>[number];
  const slots = new Proxy({}, { get: (_target, key) => new ArgumentSlot(String(key)) }) as A;
  const compiled = build(compiler, slots).compile();
  const binders: readonly Binder<A>[] = compiled.parameters.map((parameter): Binder<A> => {
    if (parameter instanceof ArgumentSlot) {
      const name = parameter.name as keyof A;
      return (args) => args[name];
    }
    return () => parameter;
  });
  const bind = (args: A): unknown[] => binders.map((binder) => binder(args));
  const sql = compiled.sql;
  return {
    sql,
    all: (sqlite, args) => allRows(cachedStatement(sqlite, sql), bind(args)) as R[],
    first: (sqlite, args) => firstRow(cachedStatement(sqlite, sql), bind(args)) as R | undefined,
    run: (sqlite, args) => cachedStatement(sqlite, sql).run(...bind(args)).changes,
  };
}
