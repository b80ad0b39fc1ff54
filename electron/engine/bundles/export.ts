/**
 * Exports a period of the audit trail as a signed `.charter` bundle. The events are cut into
 * segments (./export-segment.ts) that worker threads export at once, each from its own
 * connection: rows re-chained (a broken trail is refused, never signed), lines deflated in
 * ~1 MiB chunks, Merkle subtrees of their leaves. Here their stored bytes are written in order
 * into events.ndjson, their subtrees pushed onto the frontier of the events before the period,
 * their counts summed for the manifest and the report. Memory stays flat but for the leaf
 * hashes a consistency proof needs (32 bytes per event). Runs in-process (CLI) or in a worker
 * thread (./export-in-worker.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { GENESIS_DIGEST } from '../../../shared/audit.ts';
import { CharterError } from '../../../shared/errors.ts';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { HASH_SIZE, toHex } from '../../../shared/merkle/hash.ts';
import { subtreeRoots } from '../../../shared/merkle/ranges.ts';
import { hashLeaves, hashNodes } from '../../../shared/crypto/sha256-batch.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { MerkleTree } from '../../../shared/merkle/tree.ts';
import { crc32Combine } from '../../../shared/bundle/crc32-combine.ts';
import type { ConsistencyDocument, Manifest, ManifestContract, ManifestFile, ManifestSegment } from '../../../shared/bundle/format.ts';
import {
  CONSISTENCY_FILE, EVENTS_FILE, FORMAT_VERSION, MANIFEST_FILE, MANIFEST_TYP, REPORT_FILE, SIGNATURES_FILE,
  contractFileName,
} from '../../../shared/bundle/format.ts';
import { renderReport } from '../../../shared/bundle/report.ts';
import { signaturesDocument } from '../../../shared/bundle/signatures.ts';
import { BundleZipWriter, DEFAULT_LEVEL, DEFLATE_END } from '../../../shared/bundle/zip-writer.ts';
import type { ExportSegmentResult, ExportSegmentTask, PackedSink } from './export-segment.ts';
import { exportSegment } from './export-segment.ts';
import { ExportTally } from './export-tally.ts';
import { OrderedEntry } from './ordered-entry.ts';
import { SegmentPool } from './segment-pool.ts';
import { workspaceId, workspaceName } from './workspace-identity.ts';

export interface ExportProgress {
  readonly phase: 'prefix' | 'events' | 'finishing';
  readonly done: number;
  readonly total: number;
}

export interface ExportBundleOptions {
  /** The bundle file to write; written beside as `.partial` and renamed when complete. */
  readonly out: string;
  /** ISO-8601: events at or after. */
  readonly from?: string | null;
  /** ISO-8601: events before. */
  readonly to?: string | null;
  /** One or more signers; each adds a JWS over the manifest. */
  readonly signers: readonly JwsSigner[];
  /**
   * Signs elsewhere instead (a worker asks its parent, which holds the keys): receives the
   * manifest's bytes, returns the compact JWS. `signers` then only name the kids, for the report.
   */
  readonly signManifest?: (manifest: Uint8Array) => Promise<readonly string[]>;
  readonly workspaceName?: string;
  readonly now?: () => Date;
  /** zlib level for events and decisions (default: the zip writer's DEFAULT_LEVEL). */
  readonly level?: number;
  /** Remember this export so the next one proves it extends it (default true). */
  readonly record?: boolean;
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly signal?: AbortSignal;
  /** Export segments on worker threads (default: from 65,536 events, when the workspace is a file). */
  readonly workerThreads?: boolean;
  /** Events per segment (default SEGMENT_EVENTS; tests use small ones to get many segments). */
  readonly segmentEvents?: number;
}

export interface ExportResult {
  readonly path: string;
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly bytes: number;
}

function seqRange(sqlite: BetterSqlite3.Database, from: string | null, to: string | null): { first: number; last: number } {
  const max = (sqlite.prepare('select coalesce(max(seq), 0) from audit_events').pluck().get() as number);
  const last = to === null ? max : (sqlite.prepare('select coalesce(max(seq), 0) from audit_events where ts < ?').pluck().get(to) as number);
  const firstFound = from === null ? 1 : (sqlite.prepare('select min(seq) from audit_events where ts >= ?').pluck().get(from) as number | null);
  const first = firstFound === null ? last + 1 : Math.min(firstFound, last + 1);
  return { first, last };
}

function isoOrNull(value: string | null | undefined, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (Number.isNaN(Date.parse(value))) throw new CharterError('invalid_argument', `--${name} ${value} is not an ISO-8601 date or time`);
  return new Date(value).toISOString();
}

function contractsOf(sqlite: BetterSqlite3.Database): { readonly ref: ManifestContract; readonly source: string }[] {
  const rows = sqlite.prepare(`select contract, version, hash, source from contract_versions where status <> 'draft' order by contract, version`)
    .raw().all() as [string, number, string, string][];
  return rows.map(([name, version, hash, source]) => ({ ref: { name, version, hash }, source }));
}

/** Runs segment exports (./export-segment.ts), here or on worker threads (./segment-pool.ts). */
export interface SegmentExporter {
  readonly parallelism: number;
  exportSegment(task: ExportSegmentTask, sink: PackedSink): Promise<ExportSegmentResult>;
}

/** Events per segment; segments start at multiples of it (plus one), so each is one Merkle subtree. */
export const SEGMENT_EVENTS = 65_536;
/** From this many events a bundle is exported by worker threads (when the workspace is a file). */
const POOL_FROM = 2 * SEGMENT_EVENTS;

export async function exportBundle(db: { readonly sqlite: BetterSqlite3.Database; readonly path?: string }, options: ExportBundleOptions): Promise<ExportResult> {
  if (options.signers.length === 0) throw new CharterError('invalid_argument', 'a bundle needs at least one signer');
  const sqlite = db.sqlite;
  const from = isoOrNull(options.from, 'from');
  const to = isoOrNull(options.to, 'to');
  if (from !== null && to !== null && from >= to) throw new CharterError('invalid_argument', `--from ${from} is not before --to ${to}`);
  const now = (options.now ?? (() => new Date()))();
  const { first, last } = seqRange(sqlite, from, to);
  const total = last - first + 1;
  const usePool = options.workerThreads ?? (total >= POOL_FROM && db.path !== undefined && db.path !== ':memory:' && db.path !== '');
  const pool = usePool ? SegmentPool.start({ dbPath: db.path as string }) : null;
  try {
    return await exportWith(pool ?? inProcess(sqlite), db, options, { from, to, now, first, last });
  } finally {
    await pool?.close();
  }
}

function inProcess(sqlite: BetterSqlite3.Database): SegmentExporter {
  return { parallelism: 1, exportSegment: (task, sink) => exportSegment(sqlite, task, sink) };
}

interface Range {
  readonly from: string | null;
  readonly to: string | null;
  readonly now: Date;
  readonly first: number;
  readonly last: number;
}

async function exportWith(
  runner: SegmentExporter,
  db: { readonly sqlite: BetterSqlite3.Database; readonly path?: string },
  options: ExportBundleOptions,
  { from, to, now, first, last }: Range,
): Promise<ExportResult> {
  const sqlite = db.sqlite;
  const total = last - first + 1;
  const progress = (phase: ExportProgress['phase'], done: number): void => options.onProgress?.({ phase, done, total });
  const cancelled = (): void => {
    if (options.signal?.aborted) throw new CharterError('cancelled', 'the export was cancelled');
  };

  const previous = sqlite.prepare('select tree_size, root_hash from bundle_exports where tree_size <= ? order by tree_size desc, id desc limit 1')
    .raw().get(last) as [number, string] | undefined;
  const proving = previous !== undefined && previous[0] > 0;

  // The events before the period: only their digests, for the Merkle frontier.
  progress('prefix', 0);
  const prefix = await prefixTree(sqlite, first - 1, proving, cancelled);
  const tree = prefix.tree;
  const frontier = tree.frontier().map(toHex);
  const firstPrevDigest = prefix.lastDigest;

  const partial = `${options.out}.partial`;
  const fd = openSync(partial, 'w');
  let bytes = 0;
  try {
    const zip = new BundleZipWriter((chunk) => {
      writeSync(fd, chunk);
      bytes += chunk.length;
    }, now);
    const files: ManifestFile[] = [];
    const contracts = contractsOf(sqlite);
    for (const c of contracts) files.push(zip.add(contractFileName(c.ref.name, c.ref.version), Buffer.from(c.source), true));

    const level = options.level ?? DEFAULT_LEVEL;
    const events = new OrderedEntry(zip.packedEntry(EVENTS_FILE, true));
    const tasks: ExportSegmentTask[] = [];
    const per = options.segmentEvents ?? SEGMENT_EVENTS;
    if (!Number.isSafeInteger(per) || per < 1) throw new CharterError('invalid_argument', `segments of ${per} events are not possible`);
    for (let seq = first; seq <= last;) {
      const end = Math.min(last, Math.ceil(seq / per) * per);
      tasks.push({ index: tasks.length, firstSeq: seq, count: end - seq + 1, level, last: end === last, keepLeaves: proving });
      seq = end + 1;
    }
    let done = 0;
    const results: Promise<ExportSegmentResult>[] = tasks.map(async (task) => {
      await events.turn(task.index - runner.parallelism);
      cancelled();
      const result = await runner.exportSegment(task, (chunk) => events.write(task.index, chunk));
      events.finished(task.index);
      done += task.count;
      progress('events', done);
      return result;
    });
    const segments = await Promise.all(results);
    cancelled();
    // No events: the entry is only the end of an (empty) deflate stream.
    if (tasks.length === 0) events.write(0, Uint8Array.from(DEFLATE_END));

    const manifestSegments: ManifestSegment[] = [];
    const tally = new ExportTally();
    let crc = 0;
    let prevDigest = firstPrevDigest;
    const leaves: Uint8Array[] = prefix.leaves ? [prefix.leaves] : [];
    for (const s of segments) {
      if (s.unchainedAt !== null) throw unchained(s.unchainedAt);
      if (s.segment.prevDigest !== prevDigest) throw unchained(s.segment.firstSeq);
      prevDigest = s.lastDigest;
      manifestSegments.push(s.segment);
      crc = crc32Combine(crc, s.crc, s.segment.size);
      for (const r of s.subtrees) tree.pushSubtree(r.height, r.root);
      if (s.leaves) leaves.push(s.leaves);
      tally.add(s.stats);
    }
    const eventsFile = events.seal(manifestSegments.reduce((n, s) => n + s.size, 0), crc);
    files.push(eventsFile);
    progress('finishing', done);

    const rootHash = toHex(tree.root());
    let previousRef: Manifest['previous'] = null;
    if (previous && proving) {
      const full = new MerkleTree(Buffer.concat(leaves));
      const [size, root] = previous;
      if (toHex(full.root(size)) !== root) {
        throw new CharterError('chain_broken', `the audit trail no longer matches the bundle exported at ${size} events (root ${root}); it was rewritten`);
      }
      previousRef = { treeSize: size, rootHash: root };
      const doc: ConsistencyDocument = {
        from: previousRef,
        to: { treeSize: last, rootHash },
        proof: full.consistencyProof(size, last).map(toHex),
      };
      files.push(zip.add(CONSISTENCY_FILE, Buffer.from(`${JSON.stringify(doc, null, 2)}\n`), false));
    }

    const manifestBase: Omit<Manifest, 'files'> = {
      formatVersion: FORMAT_VERSION,
      workspace: { id: workspaceId(sqlite), name: options.workspaceName ?? workspaceName(db.path ?? 'workspace') },
      createdAt: now.toISOString(),
      period: { from, to },
      contracts: contracts.map((c) => c.ref),
      counts: { events: total, eventsByType: Object.fromEntries(tally.byType), decisionsByOutcome: Object.fromEntries(tally.byOutcome) },
      events: { firstSeq: first, prevDigest: firstPrevDigest, segments: manifestSegments },
      frontier,
      checkpoint: { treeSize: last, rootHash, headDigest: prevDigest },
      previous: previousRef,
    };
    const report = renderReport({
      manifest: manifestBase,
      signerKids: options.signers.map((s) => s.kid),
      perDay: [...tally.perDay.entries()],
      approvals: tally.approvals,
      blocked: tally.blocked,
      blockedTotal: tally.blockedTotal,
    });
    files.push(zip.add(REPORT_FILE, Buffer.from(report), true));

    const manifest: Manifest = { ...manifestBase, files };
    const manifestBytes = Buffer.from(canonicalize(manifest) as string);
    zip.add(MANIFEST_FILE, manifestBytes, false);
    const jws = options.signManifest
      ? await options.signManifest(manifestBytes)
      : options.signers.map((s) => s.sign(manifestBytes, MANIFEST_TYP));
    zip.add(SIGNATURES_FILE, Buffer.from(signaturesDocument(jws)), false);
    zip.finish();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, options.out);
    const manifestSha256 = createHash('sha256').update(manifestBytes).digest('hex');
    if (options.record ?? true) {
      sqlite.prepare(`insert into bundle_exports (tree_size, root_hash, head_digest, first_seq, manifest_sha256, created_at)
        values (?, ?, ?, ?, ?, ?)`).run(last, rootHash, prevDigest, first, manifestSha256, now.toISOString());
    }
    return { path: options.out, manifest, manifestSha256, bytes };
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(partial, { force: true });
    throw error;
  }
}

/** The Merkle tree of the first `size` events, from their stored digests; their leaf hashes too when `keepLeaves`. */
async function prefixTree(sqlite: BetterSqlite3.Database, size: number, keepLeaves: boolean, cancelled: () => void)
  : Promise<{ tree: MerkleBuilder; lastDigest: string; leaves: Uint8Array | null }> {
  const tree = new MerkleBuilder();
  const kept: Uint8Array[] = [];
  let lastDigest = GENESIS_DIGEST;
  const BLOCK = 1 << 16;
  const digests = sqlite.prepare('select seq, digest from audit_events where seq between ? and ? order by seq').raw();
  for (let start = 0; start < size; start += BLOCK) {
    const n = Math.min(BLOCK, size - start);
    const block = Buffer.allocUnsafe(n * HASH_SIZE);
    let i = 0;
    for (const [seq, digest] of digests.iterate(start + 1, start + n) as Iterable<[number, string]>) {
      if (seq !== start + 1 + i) break;
      block.write(digest, i * HASH_SIZE, HASH_SIZE, 'hex');
      lastDigest = digest;
      i++;
    }
    if (i !== n) throw new CharterError('chain_broken', `the audit trail has gaps before event ${start + i + 1}`);
    const leaves = Buffer.allocUnsafe(block.length);
    hashLeaves(block, leaves);
    for (const r of subtreeRoots(leaves, start, hashNodes)) tree.pushSubtree(r.height, r.root);
    if (keepLeaves) kept.push(leaves);
    await new Promise<void>((resolve) => setImmediate(resolve));
    cancelled();
  }
  return { tree, lastDigest, leaves: keepLeaves ? Buffer.concat(kept) : null };
}

function unchained(seq: number): CharterError {
  return new CharterError('chain_broken', `audit event ${seq} does not chain to the one before it; run "charter audit verify" — a broken trail is not exported`);
}
