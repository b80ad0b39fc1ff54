/**
 * Opening a better-sqlite3 connection, apart from the rest of the store so that worker threads
 * which only read (bundle export segments) load nothing else: no Kysely, no migrations.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CharterError } from '../../../shared/errors.ts';

/**
 * better-sqlite3's compiled addon, named directly: without it better-sqlite3 finds the addon
 * through the `bindings` package, which a packaged app need not carry. Inside app.asar, Electron
 * loads the file from app.asar.unpacked. Undefined when the layout is unusual (then `bindings`).
 */
const NATIVE_BINDING: string | undefined = (() => {
  try {
    const manifest = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const addon = join(dirname(manifest), 'build', 'Release', 'better_sqlite3.node');
    return existsSync(addon) || existsSync(addon.replace('app.asar', 'app.asar.unpacked')) ? addon : undefined;
  } catch {
    return undefined;
  }
})();

export function openConnection(path: string, readonly: boolean): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(path, {
      readonly,
      fileMustExist: readonly,
      ...(NATIVE_BINDING !== undefined ? { nativeBinding: NATIVE_BINDING } : {}),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_CANTOPEN' && readonly) {
      throw new CharterError('not_found', `${path}: no workspace at this path`);
    }
    throw new CharterError('store_unavailable', `${path}: cannot open the workspace (${(error as Error).message})`);
  }
}

/**
 * A plain read-only connection to an existing workspace, for worker threads that only read
 * (bundle export segments): no schema check — the thread that started them opened it fully.
 */
export function openReadOnlyConnection(path: string): BetterSqlite3.Database {
  const sqlite = openConnection(path, true);
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

