/**
 * Offline verification of a `.charter` bundle, reading it once. Order matters for naming the
 * right failure: the archive's structure, the format version, the signatures over the
 * manifest, the set of files, each file's bytes, then what the events prove (chain, payloads,
 * Merkle root) and, given an earlier bundle, that this one extends it.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { fromHex32 } from '../merkle/hash.ts';
import type { TrustedKeys } from '../merkle/jws.ts';
import { verifyConsistency } from '../merkle/verify.ts';
import { EventChecker } from './event-checker.ts';
import type { BundleFailure } from './failures.ts';
import { BundleRejection, reject } from './failures.ts';
import type { ConsistencyDocument, Manifest, ManifestFile } from './format.ts';
import {
  CONSISTENCY_FILE, DECISIONS_FILE, EVENTS_FILE, FORMAT_VERSION, MANIFEST_FILE, REPORT_FILE, SIGNATURES_FILE,
  contractFileName, parseManifest, peekFormatVersion,
} from './format.ts';
import { THREAD_THRESHOLD, openPacker } from './packer.ts';
import { checkSignatures } from './signatures.ts';
import type { ByteSource, ZipEntry, ZipLimits } from './zip-reader.ts';
import { DEFAULT_ZIP_LIMITS, readEntry, readEntryBytes, readZipEntries } from './zip-reader.ts';

export interface VerifyProgress {
  readonly bytes: number;
  readonly total: number;
}

export interface VerifyBundleOptions {
  /** The keys this verifier trusts; never taken from the bundle. */
  readonly trusted: TrustedKeys;
  /** How many distinct trusted keys must have signed (default 1). */
  readonly threshold?: number;
  /** An earlier bundle of the same workspace, already verified: this one must extend it. */
  readonly previous?: VerifiedBundle;
  readonly limits?: ZipLimits;
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly signal?: AbortSignal;
  /** Hash on a helper thread (default: when the entries hold 8 MiB or more). */
  readonly helperThread?: boolean;
}

export interface VerifiedBundle {
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly signers: readonly string[];
  readonly untrustedSigners: readonly string[];
  /** 'verified' when `previous` was given and this bundle extends it. */
  readonly consistency: 'verified' | 'not_requested';
}

export type BundleVerdict =
  | { readonly ok: true; readonly bundle: VerifiedBundle }
  | { readonly ok: false; readonly failure: BundleFailure };

const MAX_MANIFEST = 16 * 1024 * 1024;
const MAX_SIGNATURES = 1024 * 1024;
const MAX_CONSISTENCY = 1024 * 1024;

export async function verifyBundle(source: ByteSource, options: VerifyBundleOptions): Promise<BundleVerdict> {
  try {
    return { ok: true, bundle: await verify(source, options) };
  } catch (error) {
    if (error instanceof BundleRejection) return { ok: false, failure: error.failure };
    throw error;
  }
}

function small(entries: readonly ZipEntry[], name: string, max: number): ZipEntry {
  const entry = entries.find((e) => e.name === name);
  if (!entry) reject('missing_file', `${name} is missing from the bundle`, { file: name });
  if (entry.method !== 0) reject('archive', `${name}: must be stored uncompressed`, { file: name });
  if (entry.size > max) reject('archive', `${name}: ${entry.size} bytes is more than the ${max} allowed`, { file: name });
  return entry;
}

async function verify(source: ByteSource, options: VerifyBundleOptions): Promise<VerifiedBundle> {
  const threshold = options.threshold ?? 1;
  const entries = await readZipEntries(source, options.limits ?? DEFAULT_ZIP_LIMITS);

  const manifestBytes = await readEntryBytes(source, small(entries, MANIFEST_FILE, MAX_MANIFEST));
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(manifestBytes).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const version = peekFormatVersion(parsed);
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    reject('unsupported_version', `the bundle is format version ${version}; this Charter reads version ${FORMAT_VERSION} — upgrade Charter to verify it`,
      { file: MANIFEST_FILE });
  }

  const signaturesBytes = await readEntryBytes(source, small(entries, SIGNATURES_FILE, MAX_SIGNATURES));
  const signatures = await checkSignatures(signaturesBytes, manifestBytes, options.trusted, threshold);

  // Signed by a trusted key from here on: what the manifest says is what the signer said.
  if (parsed === undefined) reject('archive', 'manifest.json is not JSON', { file: MANIFEST_FILE });
  const manifest = parseManifest(parsed);
  if (canonicalize(parsed) !== Buffer.from(manifestBytes).toString('utf8')) {
    reject('archive', 'manifest.json is not in canonical JSON form (RFC 8785)', { file: MANIFEST_FILE });
  }
  const listed = checkListing(manifest);
  checkFileSet(entries, listed);

  // SHA-256 of every entry, stored and inflated, on a helper thread; lines are checked here.
  const total = entries.reduce((n, e) => n + e.size, 0);
  const pack = openPacker(options.helperThread ?? total >= THREAD_THRESHOLD);
  try {
    const derivedDecisions = pack.hash();
    const events = new EventChecker(manifest, (chunk) => derivedDecisions.update(chunk), (start) => pack.merkle(start, false),
      (onMismatch) => pack.hashChecks(onMismatch), options.previous?.manifest.checkpoint.treeSize ?? null);
    let consistencyBytes: Uint8Array | null = null;
    let done = 0;
    for (const entry of entries) {
      if (entry.name === MANIFEST_FILE || entry.name === SIGNATURES_FILE) continue;
      const expected = listed.get(entry.name) as ManifestFile;
      if (entry.size !== expected.size || entry.packedSize !== expected.packedSize) {
        reject('tampered', `${entry.name}: its size differs from the manifest's`, { file: entry.name });
      }
      if (entry.name === CONSISTENCY_FILE && entry.size > MAX_CONSISTENCY) reject('archive', `${CONSISTENCY_FILE} is too large`, { file: entry.name });
      const content = pack.hash();
      const packed = pack.hash();
      const keep: Uint8Array[] = [];
      await readEntry(source, entry, (chunk) => {
        options.signal?.throwIfAborted();
        content.update(chunk);
        if (entry.name === EVENTS_FILE) events.push(chunk);
        else if (entry.name === CONSISTENCY_FILE) keep.push(Buffer.from(chunk));
        done += chunk.length;
        options.onProgress?.({ bytes: done, total });
        return pack.drain();
      }, (chunk) => packed.update(chunk));
      if (await content.digest() !== expected.sha256 || await packed.digest() !== expected.packedSha256) {
        reject('tampered', `${entry.name}: its content does not match the SHA-256 in the manifest`, { file: entry.name });
      }
      if (entry.name === CONSISTENCY_FILE) consistencyBytes = Buffer.concat(keep);
    }

    const problem = await events.finish();
    if (problem) throw new BundleRejection(problem);
    if (await derivedDecisions.digest() !== listed.get(DECISIONS_FILE)?.sha256) {
      reject('event_mismatch', 'decisions.ndjson does not match the decision events in events.ndjson', { file: DECISIONS_FILE });
    }
    if (manifest.previous) checkOwnProof(manifest, consistencyBytes);
    if (options.previous) checkExtends(manifest, options.previous.manifest, await events.capturedRoot());
  } finally {
    await pack.close();
  }

  return {
    manifest,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
    signers: signatures.signers,
    untrustedSigners: signatures.untrusted,
    consistency: options.previous ? 'verified' : 'not_requested',
  };
}

/** The manifest's own coherence: every file it must list, listed once, contracts by their hash. */
function checkListing(manifest: Manifest): Map<string, ManifestFile> {
  const listed = new Map<string, ManifestFile>();
  for (const file of manifest.files) {
    if (listed.has(file.path) || file.path === MANIFEST_FILE || file.path === SIGNATURES_FILE) {
      reject('archive', `manifest.json lists ${file.path} twice or lists itself`, { file: MANIFEST_FILE });
    }
    listed.set(file.path, file);
  }
  const required = [EVENTS_FILE, DECISIONS_FILE, REPORT_FILE, ...(manifest.previous ? [CONSISTENCY_FILE] : [])];
  for (const name of required) {
    if (!listed.has(name)) reject('archive', `manifest.json does not list ${name}`, { file: MANIFEST_FILE });
  }
  for (const c of manifest.contracts) {
    const file = listed.get(contractFileName(c.name, c.version));
    if (!file || file.sha256 !== c.hash) {
      reject('archive', `manifest.json does not list ${contractFileName(c.name, c.version)} with the contract's hash`, { file: MANIFEST_FILE });
    }
  }
  return listed;
}

function checkFileSet(entries: readonly ZipEntry[], listed: ReadonlyMap<string, ManifestFile>): void {
  const present = new Set(entries.map((e) => e.name));
  for (const name of listed.keys()) {
    if (!present.has(name)) reject('missing_file', `${name} is listed in the manifest but missing from the bundle`, { file: name });
  }
  for (const entry of entries) {
    if (entry.name !== MANIFEST_FILE && entry.name !== SIGNATURES_FILE && !listed.has(entry.name)) {
      reject('extra_file', `${entry.name} is in the bundle but not in the manifest`, { file: entry.name });
    }
  }
}

function hashes(list: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = list.map((h) => (typeof h === 'string' ? fromHex32(h) : undefined));
  return out.every((h) => h !== undefined) ? (out as Uint8Array[]) : undefined;
}

/** consistency.json must prove the manifest's `previous` checkpoint is a prefix of this one. */
function checkOwnProof(manifest: Manifest, bytes: Uint8Array | null): void {
  const previous = manifest.previous as NonNullable<Manifest['previous']>;
  let doc: ConsistencyDocument | undefined;
  try {
    doc = JSON.parse(Buffer.from(bytes ?? new Uint8Array(0)).toString('utf8')) as ConsistencyDocument;
  } catch {
    doc = undefined;
  }
  const proof = hashes(doc?.proof);
  if (!doc || !proof || doc.from?.treeSize !== previous.treeSize || doc.from?.rootHash !== previous.rootHash
    || doc.to?.treeSize !== manifest.checkpoint.treeSize || doc.to?.rootHash !== manifest.checkpoint.rootHash) {
    reject('consistency', 'consistency.json does not prove the step from the previous checkpoint to this one', { file: CONSISTENCY_FILE });
  }
  const ok = verifyConsistency(previous.treeSize, manifest.checkpoint.treeSize, fromHex32(previous.rootHash) as Uint8Array,
    fromHex32(manifest.checkpoint.rootHash) as Uint8Array, proof);
  if (!ok) {
    reject('consistency', `the consistency proof from tree size ${previous.treeSize} to ${manifest.checkpoint.treeSize} does not verify`,
      { file: CONSISTENCY_FILE });
  }
}

/**
 * This bundle's tree must extend the earlier bundle's tree (same workspace, no fork): through
 * its consistency proof from exactly that checkpoint, or through the root this bundle's own
 * events give at that size (`rootAtPrevious`, when the earlier checkpoint falls within the
 * frontier and the events here).
 */
function checkExtends(manifest: Manifest, earlier: Manifest, rootAtPrevious: string | null): void {
  const from = earlier.checkpoint;
  const to = manifest.checkpoint;
  const fail = (why: string): never => reject('consistency', `this bundle does not extend the previous one: ${why}`);
  if (earlier.workspace.id !== manifest.workspace.id) fail(`it is from workspace ${manifest.workspace.id}, the previous from ${earlier.workspace.id}`);
  if (from.treeSize > to.treeSize) fail(`the previous bundle ends at ${from.treeSize} events, after this one (${to.treeSize})`);
  if (from.treeSize === to.treeSize && from.rootHash !== to.rootHash) {
    fail(`both end at ${to.treeSize} events with different root hashes (a forked history)`);
  }
  if (rootAtPrevious !== null) {
    if (rootAtPrevious !== from.rootHash) fail(`at tree size ${from.treeSize} the roots differ (a forked history)`);
    return;
  }
  if (manifest.previous && manifest.previous.treeSize === from.treeSize) {
    // checkOwnProof verified the proof from manifest.previous; it must be the earlier bundle's head.
    if (manifest.previous.rootHash !== from.rootHash) fail(`at tree size ${from.treeSize} the roots differ (a forked history)`);
    return;
  }
  fail(`it carries no consistency proof from tree size ${from.treeSize}, and its events start after it`);
}
