/**
 * Offline verification of a `.charter` bundle, reading it once. Order matters for naming the
 * right failure: the archive's structure, the format version, the signatures over the
 * manifest, the set of files, each file's bytes, then what the events prove (chain, payloads,
 * Merkle root) and, given an earlier bundle, that this one extends it.
 */
import { createHash } from 'node:crypto';
import { GENESIS_DIGEST } from '../audit.ts';
import canonicalize from 'canonicalize';
import { MerkleBuilder } from '../merkle/builder.ts';
import { fromHex32, toHex } from '../merkle/hash.ts';
import type { TrustedKeys } from '../merkle/jws.ts';
import { verifyConsistency } from '../merkle/verify.ts';
import type { BundleFailure } from './failures.ts';
import { BundleRejection, reject } from './failures.ts';
import type { ConsistencyDocument, Manifest, ManifestFile } from './format.ts';
import {
  CONSISTENCY_FILE, EVENTS_FILE, FORMAT_VERSION, MANIFEST_FILE, REPORT_FILE, SIGNATURES_FILE,
  contractFileName, parseManifest, peekFormatVersion,
} from './format.ts';
import { crc32Combine } from './crc32-combine.ts';
import type { VerifySegmentReport, VerifySegmentTask } from './verify-segment.ts';
import { verifySegment } from './verify-segment.ts';
import { DEFLATE_END } from './zip-writer.ts';
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
  /** Checks events.ndjson's segments, maybe several at once on worker threads (default: here, one by one). */
  readonly segments?: SegmentVerifier;
}

export interface VerifiedBundle {
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly signers: readonly string[];
  readonly untrustedSigners: readonly string[];
  /** 'verified' when `previous` was given and this bundle extends it. */
  readonly consistency: 'verified' | 'not_requested';
}

/** Runs segment checks (./verify-segment.ts); electron/engine/bundles/segment-pool.ts runs them on worker threads. */
export interface SegmentVerifier {
  /** How many segments may be in flight at once. */
  readonly parallelism: number;
  verifySegment(task: VerifySegmentTask): Promise<VerifySegmentReport>;
}

export const IN_PROCESS_SEGMENTS: SegmentVerifier = { parallelism: 1, verifySegment };

export type BundleVerdict =
  | { readonly ok: true; readonly bundle: VerifiedBundle }
  | { readonly ok: false; readonly failure: BundleFailure };

const MAX_MANIFEST = 16 * 1024 * 1024;
const MAX_SIGNATURES = 1024 * 1024;
const MAX_CONSISTENCY = 1024 * 1024;
/** Stored bytes of events.ndjson read ahead of the segment checks, at most. */
const MAX_AHEAD = 32 << 20;

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

  let consistencyBytes: Uint8Array | null = null;
  let rootAtPrevious: string | null = null;
  const total = entries.reduce((n, e) => n + e.size, 0);
  let done = 0;
  const progress = (bytes: number): void => {
    done += bytes;
    options.onProgress?.({ bytes: done, total });
  };
  for (const entry of entries) {
    if (entry.name === MANIFEST_FILE || entry.name === SIGNATURES_FILE) continue;
    options.signal?.throwIfAborted();
    const expected = listed.get(entry.name) as ManifestFile;
    if (entry.size !== expected.size || entry.packedSize !== expected.packedSize) {
      reject('tampered', `${entry.name}: its size differs from the manifest's`, { file: entry.name });
    }
    if (entry.name === EVENTS_FILE) {
      rootAtPrevious = await checkEvents(source, entry, manifest, options, progress);
      continue;
    }
    if (entry.name === CONSISTENCY_FILE && entry.size > MAX_CONSISTENCY) reject('archive', `${CONSISTENCY_FILE} is too large`, { file: entry.name });
    const content = createHash('sha256');
    const packed = createHash('sha256');
    const keep: Uint8Array[] = [];
    await readEntry(source, entry, (chunk) => {
      options.signal?.throwIfAborted();
      content.update(chunk);
      if (entry.name === CONSISTENCY_FILE) keep.push(Buffer.from(chunk));
      progress(chunk.length);
    }, (chunk) => packed.update(chunk));
    if (content.digest('hex') !== expected.sha256 || packed.digest('hex') !== expected.packedSha256) {
      reject('tampered', `${entry.name}: its content does not match the SHA-256 in the manifest`, { file: entry.name });
    }
    if (entry.name === CONSISTENCY_FILE) consistencyBytes = Buffer.concat(keep);
  }
  if (manifest.previous) checkOwnProof(manifest, consistencyBytes);
  if (options.previous) checkExtends(manifest, options.previous.manifest, rootAtPrevious);

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
  const required = [EVENTS_FILE, REPORT_FILE, ...(manifest.previous ? [CONSISTENCY_FILE] : [])];
  for (const name of required) {
    if (!listed.has(name)) reject('archive', `manifest.json does not list ${name}`, { file: MANIFEST_FILE });
  }
  for (const file of manifest.files) {
    const events = file.path === EVENTS_FILE;
    if (events !== (file.sha256 === undefined) || events !== (file.packedSha256 === undefined)) {
      reject('archive', `manifest.json: ${file.path} ${events ? 'lists hashes of its own; its segments and events carry them' : 'lacks a sha256 or packedSha256'}`,
        { file: MANIFEST_FILE });
    }
  }
  const events = listed.get(EVENTS_FILE) as ManifestFile;
  const segments = manifest.events.segments;
  // (With no events, the entry is only the end of an empty deflate stream.)
  const packedSize = segments.length === 0 ? DEFLATE_END.length : segments.reduce((n, g) => n + g.packedSize, 0);
  if (segments.reduce((n, g) => n + g.size, 0) !== events.size || packedSize !== events.packedSize) {
    reject('archive', 'manifest.json: the segments of events.ndjson do not add up to its size', { file: MANIFEST_FILE });
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

/**
 * Checks events.ndjson segment by segment (in parallel when `options.segments` allows), then
 * joins them: each segment's stored bytes against its packedSha256 (checked by the segment's
 * own thread, and named first), the segments' CRCs against the entry's,
 * each segment's first event against the last of the one before, the Merkle root from the
 * manifest's frontier and the segments' subtrees, the head digest and the counts. Answers the
 * root at the previous bundle's tree size when that falls within reach, else null.
 */
async function checkEvents(
  source: ByteSource,
  entry: ZipEntry,
  manifest: Manifest,
  options: VerifyBundleOptions,
  progress: (bytes: number) => void,
): Promise<string | null> {
  const file = EVENTS_FILE;
  if (entry.method !== 8) reject('archive', `${file} must be deflated`, { file });
  const runner = options.segments ?? IN_PROCESS_SEGMENTS;
  const segments = manifest.events.segments;
  const prefix = manifest.events.firstSeq - 1;
  const captureAt = options.previous?.manifest.checkpoint.treeSize ?? null;
  const reports: Promise<VerifySegmentReport>[] = [];
  // Segments are read ahead of the checks, a few per thread (so none waits for the reading), and
  // no more than MAX_AHEAD bytes of them, so memory stays flat.
  const window = Math.max(1, runner.parallelism) * 2 + 1;
  let ahead = 0;
  const inFlight = new Set<Promise<void>>();
  let offset = entry.dataStart;
  let failed = false;
  for (let i = 0; i < segments.length; i++) {
    options.signal?.throwIfAborted();
    const segment = segments[i] as (typeof segments)[number];
    const packed = await source.read(offset, segment.packedSize);
    offset += segment.packedSize;
    // After a failed segment only the stored bytes' hashes still matter (tampered comes first).
    if (failed) {
      if (createHash('sha256').update(packed).digest('hex') !== segment.packedSha256) {
        reject('tampered', `${file}: its content does not match the SHA-256 in the manifest`, { file });
      }
      continue;
    }
    const end = segment.firstSeq - 1 + segment.count;
    const capture = captureAt !== null && captureAt > segment.firstSeq - 1 && captureAt < end ? captureAt : null;
    const report = runner.verifySegment({ index: i, segment, packed, last: i === segments.length - 1, captureAt: capture });
    reports.push(report);
    ahead += segment.packedSize;
    const settled = report.then((r) => {
      failed ||= r.problem !== null;
      progress(segment.size);
    }, () => {}).finally(() => {
      ahead -= segment.packedSize;
      inFlight.delete(settled);
    });
    inFlight.add(settled);
    while (inFlight.size >= window || ahead > MAX_AHEAD) await Promise.race(inFlight);
  }
  if (segments.length === 0 && !Buffer.from(await source.read(offset, entry.dataEnd - offset)).equals(DEFLATE_END)) {
    reject('tampered', `${file}: it should hold no events, only the end of an empty deflate stream`, { file });
  }
  const done = await Promise.all(reports);
  const tampered = done.find((r) => r.problem?.kind === 'tampered');
  if (tampered) throw new BundleRejection(tampered.problem as BundleFailure);
  let crc = 0;
  done.forEach((r, i) => {
    crc = crc32Combine(crc, r.crc, (segments[i] as (typeof segments)[number]).size);
  });
  const firstProblem = done.find((r) => r.problem !== null);
  if (crc !== entry.crc && !firstProblem) reject('tampered', `${file}: its content does not match its CRC-32`, { file });

  let tree: MerkleBuilder;
  try {
    tree = MerkleBuilder.fromFrontier(prefix, manifest.frontier.map((h) => fromHex32(h) as Uint8Array));
  } catch {
    return reject('event_mismatch', `the manifest's frontier does not describe a tree of ${prefix} events`, { file });
  }
  if (prefix === 0 && manifest.events.prevDigest !== GENESIS_DIGEST) {
    reject('event_mismatch', 'the first event of the trail must follow the genesis digest', { file });
  }
  let rootAtPrevious = captureAt === prefix ? toHex(tree.root()) : null;
  let prevDigest = manifest.events.prevDigest;
  const byType = new Map<string, number>();
  const byOutcome = new Map<string, number>();
  done.forEach((report, i) => {
    const segment = segments[i] as (typeof segments)[number];
    if (segment.prevDigest !== prevDigest) {
      reject('event_mismatch', `event ${segment.firstSeq}: it does not chain to the event before it (segments reordered or changed)`, { file, seq: segment.firstSeq });
    }
    if (report.problem) throw new BundleRejection(report.problem);
    if (report.captured) {
      const at = MerkleBuilder.fromFrontier(tree.size, tree.frontier());
      for (const s of report.captured) at.pushSubtree(s.height, s.root);
      rootAtPrevious = toHex(at.root());
    }
    for (const s of report.subtrees) tree.pushSubtree(s.height, s.root);
    if (captureAt !== null && tree.size === captureAt) rootAtPrevious = toHex(tree.root());
    prevDigest = report.lastDigest;
    for (const [k, n] of Object.entries(report.byType)) byType.set(k, (byType.get(k) ?? 0) + n);
    for (const [k, n] of Object.entries(report.byOutcome)) byOutcome.set(k, (byOutcome.get(k) ?? 0) + n);
  });
  const m = manifest;
  if (prevDigest !== m.checkpoint.headDigest) {
    reject('event_mismatch', `event ${m.checkpoint.treeSize}: the last event is not the checkpoint's head digest`, { file, seq: m.checkpoint.treeSize });
  }
  if (toHex(tree.root()) !== m.checkpoint.rootHash) reject('event_mismatch', 'the Merkle root of the events does not equal the manifest\'s root hash', { file });
  if (!sameCounts(byType, m.counts.eventsByType)) reject('event_mismatch', 'the events by type do not match the manifest\'s counts', { file });
  if (!sameCounts(byOutcome, m.counts.decisionsByOutcome)) reject('event_mismatch', 'the decisions by outcome do not match the manifest\'s counts', { file });
  return rootAtPrevious;
}

function sameCounts(actual: ReadonlyMap<string, number>, expected: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(expected);
  return keys.length === actual.size && keys.every((k) => actual.get(k) === expected[k]);
}
