/**
 * Checksums of the workspace migrations, so a workspace can tell when a migration it applied
 * has since been edited.
 *
 * A checksum is `sha256:<hex>` of the migration file's text, line endings normalised to LF and
 * a leading BOM dropped (a checkout with CRLF line endings is the same migration).
 *
 * Packaged builds may bundle the migrations into one script, leaving no file on disk to read.
 * Then the checksum falls back to `fn-sha256:<hex>` over the migration's compiled `up`/`down`
 * functions. The two kinds are never compared with each other: a workspace created in
 * development and opened by a bundled build (or the reverse) keeps the checksums it recorded,
 * and checking resumes with a build of the same kind. That is the price of bundling; shipping the
 * migration files beside the bundle (asar keeps them readable) keeps the full check.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { WorkbenchMigration } from './workbench-migrations.ts';

export const FILE_CHECKSUM_KIND = 'sha256';
export const FUNCTION_CHECKSUM_KIND = 'fn-sha256';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function checksumOfSource(source: string): string {
  const normalised = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return `${FILE_CHECKSUM_KIND}:${sha256(normalised)}`;
}

function checksumOfFunctions(entry: WorkbenchMigration): string {
  const { up, down } = entry.migration;
  return `${FUNCTION_CHECKSUM_KIND}:${sha256(`${String(up)}\n${String(down ?? '')}`)}`;
}

/** `sha256`, `fn-sha256`, … — checksums are comparable only within one kind. */
export function checksumKind(checksum: string): string {
  const colon = checksum.indexOf(':');
  return colon < 0 ? '' : checksum.slice(0, colon);
}

async function checksumOf(entry: WorkbenchMigration): Promise<string> {
  try {
    return checksumOfSource(await readFile(entry.source, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return checksumOfFunctions(entry);
    throw error;
  }
}

const memo = new WeakMap<readonly WorkbenchMigration[], Promise<ReadonlyMap<string, string>>>();

/** Name → checksum for each migration; files are read once per process. */
export function migrationChecksums(migrations: readonly WorkbenchMigration[]): Promise<ReadonlyMap<string, string>> {
  let pending = memo.get(migrations);
  if (!pending) {
    pending = Promise.all(migrations.map(async (m) => [m.name, await checksumOf(m)] as const)).then((pairs) => new Map(pairs));
    // A failed read (permissions, I/O) should be retried by the next open, not remembered.
    pending.catch(() => memo.delete(migrations));
    memo.set(migrations, pending);
  }
  return pending;
}
