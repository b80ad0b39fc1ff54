/**
 * Auditor import: verify a bundle, then extract it into a target folder and nowhere else.
 * Nothing is trusted from the bundle: the keys come from the caller. Every path is resolved and
 * checked to stay inside the target, files are created exclusively (never overwriting, never
 * through an existing symlink), and the target must be new or empty.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { CharterError } from '../../../shared/errors.ts';
import { MANIFEST_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict, VerifyBundleOptions } from '../../../shared/bundle/verify.ts';
import { readEntry, readZipEntries, unsafeName } from '../../../shared/bundle/zip-reader.ts';
import { openFileSource } from './file-source.ts';
import { verifyOpenBundle } from './verify-file.ts';

export interface ImportResult {
  readonly verdict: BundleVerdict;
  /** The files written (relative to the target); empty when verification failed. */
  readonly files: readonly string[];
}

export async function importBundle(path: string, target: string, options: VerifyBundleOptions): Promise<ImportResult> {
  const root = resolve(target);
  const source = await openFileSource(path);
  try {
    const verdict = await verifyOpenBundle(source, options);
    if (!verdict.ok) return { verdict, files: [] };
    mkdirSync(root, { recursive: true });
    if (readdirSync(root).length > 0) throw new CharterError('conflict', `${target}: the import folder must be empty`);
    // Every file's bytes as stored, and the manifest's content (stored as is).
    const listed = new Map(verdict.bundle.manifest.files.map((f) => [f.path, f.packedSha256]));
    listed.set(MANIFEST_FILE, verdict.bundle.manifestSha256);
    const written: string[] = [];
    try {
      for (const entry of await readZipEntries(source, options.limits)) {
        const destination = resolve(root, entry.name);
        if (unsafeName(entry.name) || !destination.startsWith(root + sep)) {
          throw new CharterError('forbidden', `${entry.name}: would be written outside ${target}`);
        }
        mkdirSync(dirname(destination), { recursive: true });
        // Streamed to disk (events.ndjson can be large); 'wx' never overwrites or follows a symlink.
        const fd = openSync(destination, 'wx', 0o644);
        written.push(entry.name);
        const stored = createHash('sha256');
        try {
          await readEntry(source, entry, (chunk) => {
            writeSync(fd, chunk);
          }, (chunk) => stored.update(chunk));
        } finally {
          closeSync(fd);
        }
        // The file may have changed since it was verified: what is written must be what was verified.
        const expected = listed.get(entry.name);
        if (expected !== undefined && stored.digest('hex') !== expected) {
          throw new CharterError('conflict', `${entry.name} changed while the bundle was being imported`);
        }
      }
    } catch (error) {
      for (const name of readdirSync(root)) rmSync(resolve(root, name), { recursive: true, force: true });
      throw error;
    }
    return { verdict, files: written };
  } finally {
    await source.close();
  }
}
