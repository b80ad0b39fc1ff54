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
import type { ManifestSegment } from '../../../shared/bundle/format.ts';
import { EVENTS_FILE, MANIFEST_FILE } from '../../../shared/bundle/format.ts';
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
        // The file may have changed since it was verified: what is written must be what was verified.
        const stored = entry.name === EVENTS_FILE
          ? segmentHashes(verdict.bundle.manifest.events.segments)
          : wholeHash(listed.get(entry.name));
        try {
          await readEntry(source, entry, (chunk) => {
            writeSync(fd, chunk);
          }, (chunk) => stored.update(chunk));
        } finally {
          closeSync(fd);
        }
        if (!stored.matches()) throw new CharterError('conflict', `${entry.name} changed while the bundle was being imported`);
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

interface StoredCheck {
  update(chunk: Uint8Array): void;
  matches(): boolean;
}

/** SHA-256 of an entry's stored bytes against the manifest's (none listed: nothing to check). */
function wholeHash(expected: string | undefined): StoredCheck {
  const hash = createHash('sha256');
  return { update: (chunk) => hash.update(chunk), matches: () => expected === undefined || hash.digest('hex') === expected };
}

/** events.ndjson's stored bytes, segment by segment, against each segment's packedSha256. */
function segmentHashes(segments: readonly ManifestSegment[]): StoredCheck {
  let index = 0;
  let left = segments[0]?.packedSize ?? 0;
  let hash = createHash('sha256');
  let ok = true;
  return {
    update: (chunk) => {
      let at = 0;
      while (at < chunk.length) {
        const segment = segments[index];
        if (!segment) return; // bytes past the segments: the end of the deflate stream
        const take = Math.min(left, chunk.length - at);
        hash.update(chunk.subarray(at, at + take));
        at += take;
        left -= take;
        if (left === 0) {
          ok &&= hash.digest('hex') === segment.packedSha256;
          index++;
          left = segments[index]?.packedSize ?? 0;
          hash = createHash('sha256');
        }
      }
    },
    matches: () => ok && index === segments.length,
  };
}
