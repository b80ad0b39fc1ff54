/** Tools of an attacker: unpack a bundle, change it, zip it again, optionally re-sign it. */
import canonicalize from 'canonicalize';
import { Zip, ZipPassThrough } from 'fflate';
import type { Manifest, ManifestFile } from '../../../shared/bundle/format.ts';
import { EVENTS_FILE, MANIFEST_FILE, MANIFEST_TYP, SIGNATURES_FILE } from '../../../shared/bundle/format.ts';
import { signaturesDocument } from '../../../shared/bundle/signatures.ts';
import { BundleZipWriter } from '../../../shared/bundle/zip-writer.ts';
import { bytesSource, readEntryBytes, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';

export type Files = [string, Uint8Array][];

export async function unpack(bundle: Uint8Array): Promise<Files> {
  const source = bytesSource(bundle);
  const files: Files = [];
  for (const entry of await readZipEntries(source)) files.push([entry.name, await readEntryBytes(source, entry)]);
  return files;
}

const STORED = new Set([MANIFEST_FILE, SIGNATURES_FILE]);

/** Zips the files as they are, in order (the manifest and its signatures untouched). */
export function repack(files: Files): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new BundleZipWriter((c) => chunks.push(Buffer.from(c)), new Date('2025-01-01T00:00:00Z'));
  for (const [name, content] of files) zip.add(name, content, !STORED.has(name));
  zip.finish();
  return Buffer.concat(chunks);
}

/**
 * Zips the files with a fresh manifest listing them (hashes recomputed; events.ndjson as one
 * segment holding as many events as before) and signatures by `signers`; `edit` may change the
 * manifest first.
 */
export function resign(files: Files, signers: readonly JwsSigner[], edit: (m: Manifest) => Manifest = (m) => m): Uint8Array {
  const original = JSON.parse(Buffer.from(get(files, MANIFEST_FILE)).toString()) as Manifest;
  const chunks: Uint8Array[] = [];
  const zip = new BundleZipWriter((c) => chunks.push(Buffer.from(c)), new Date('2025-01-01T00:00:00Z'));
  const listed: ManifestFile[] = [];
  let events = original.events;
  for (const [name, content] of files) {
    if (STORED.has(name)) continue;
    const file = zip.add(name, content, true);
    if (name !== EVENTS_FILE) {
      listed.push(file);
      continue;
    }
    const { sha256: _content, packedSha256, ...sizes } = file;
    listed.push(sizes);
    const count = original.events.segments.reduce((n, s) => n + s.count, 0);
    const segment = { firstSeq: original.events.firstSeq, count, prevDigest: original.events.prevDigest, size: file.size, packedSize: file.packedSize,
      packedSha256: packedSha256 as string };
    events = { ...original.events, segments: count === 0 ? [] : [segment] };
  }
  const manifestBytes = Buffer.from(canonicalize(edit({ ...original, events, files: listed })) as string);
  zip.add(MANIFEST_FILE, manifestBytes, false);
  zip.add(SIGNATURES_FILE, Buffer.from(signaturesDocument(signers.map((s) => s.sign(manifestBytes, MANIFEST_TYP)))), false);
  zip.finish();
  return Buffer.concat(chunks);
}

export function get(files: Files, name: string): Uint8Array {
  const found = files.find(([n]) => n === name);
  if (!found) throw new Error(`no ${name}`);
  return found[1];
}

export function put(files: Files, name: string, content: Uint8Array | string): Files {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return files.map(([n, c]) => [n, n === name ? bytes : c]);
}

/** A zip written by plain fflate, with any names and attributes (for hostile archives). */
export function rawZip(entries: readonly { name: string; content: Uint8Array | string; os?: number; attrs?: number }[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((_e, c) => chunks.push(c));
  for (const e of entries) {
    const file = new ZipPassThrough(e.name);
    if (e.os !== undefined) file.os = e.os;
    if (e.attrs !== undefined) file.attrs = e.attrs;
    file.mtime = new Date('2025-01-01T00:00:00Z');
    zip.add(file);
    file.push(typeof e.content === 'string' ? Buffer.from(e.content) : e.content, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}
