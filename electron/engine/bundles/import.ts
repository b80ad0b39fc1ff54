/**
 * Auditor import: verify a bundle, then extract it into a target folder and nowhere else.
 * Nothing is trusted from the bundle: the keys come from the caller. Every path is resolved and
 * checked to stay inside the target, files are created exclusively (never overwriting, never
 * through an existing symlink), and the target must be new or empty.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { CharterError } from '../../../shared/errors.ts';
import { MANIFEST_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict, VerifyBundleOptions } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { readEntryBytes, readZipEntries, unsafeName } from '../../../shared/bundle/zip-reader.ts';
import { openFileSource } from './file-source.ts';

export interface ImportResult {
  readonly verdict: BundleVerdict;
  /** The files written (relative to the target); empty when verification failed. */
  readonly files: readonly string[];
}

export async function importBundle(path: string, target: string, options: VerifyBundleOptions): Promise<ImportResult> {
  const root = resolve(target);
  const source = await openFileSource(path);
  try {
    const verdict = await verifyBundle(source, options);
    if (!verdict.ok) return { verdict, files: [] };
    mkdirSync(root, { recursive: true });
    if (readdirSync(root).length > 0) throw new CharterError('conflict', `${target}: the import folder must be empty`);
    const listed = new Map(verdict.bundle.manifest.files.map((f) => [f.path, f.sha256]));
    listed.set(MANIFEST_FILE, verdict.bundle.manifestSha256);
    const written: string[] = [];
    try {
      for (const entry of await readZipEntries(source, options.limits)) {
        const destination = resolve(root, entry.name);
        if (unsafeName(entry.name) || !destination.startsWith(root + sep)) {
          throw new CharterError('forbidden', `${entry.name}: would be written outside ${target}`);
        }
        const content = await readEntryBytes(source, entry);
        // The file may have changed since it was verified: what is written must be what was verified.
        const expected = listed.get(entry.name);
        if (expected !== undefined && createHash('sha256').update(content).digest('hex') !== expected) {
          throw new CharterError('conflict', `${entry.name} changed while the bundle was being imported`);
        }
        mkdirSync(dirname(destination), { recursive: true });
        writeFileSync(destination, content, { flag: 'wx' });
        written.push(entry.name);
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
