/**
 * Exports a period of the audit trail as a signed `.charter` bundle, streaming: events are read
 * from the store one row at a time, re-chained (a broken trail is refused, never signed),
 * written to the zip in ~1 MiB compressed chunks, and hashed on the way. Memory stays flat but
 * for the leaf hashes a consistency proof needs (32 bytes per event) and the compressed
 * decisions file. Runs in-process (CLI) or in a worker thread (./export-in-worker.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { GENESIS_DIGEST } from '../../../shared/audit.ts';
import type { AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import { MerkleBuilder } from '../../../shared/merkle/builder.ts';
import { toHex } from '../../../shared/merkle/hash.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { MerkleTree } from '../../../shared/merkle/tree.ts';
import type { PayloadState } from '../../../shared/bundle/event-line.ts';
import { decisionLineOf, quoteHeader, quotedHeaderBytes, quotedLinePrefix } from '../../../shared/bundle/event-line.ts';
import type { ConsistencyDocument, Manifest, ManifestContract, ManifestFile } from '../../../shared/bundle/format.ts';
import {
  CONSISTENCY_FILE, DECISIONS_FILE, EVENTS_FILE, FORMAT_VERSION, MANIFEST_FILE, MANIFEST_TYP, REPORT_FILE, SIGNATURES_FILE,
  contractFileName,
} from '../../../shared/bundle/format.ts';
import type { ReportBlocked } from '../../../shared/bundle/report.ts';
import { renderReport } from '../../../shared/bundle/report.ts';
import { signaturesDocument } from '../../../shared/bundle/signatures.ts';
import { TextChunks } from '../../../shared/bundle/text-chunks.ts';
import { decisionPartsOf } from '../../../shared/bundle/decision-parts.ts';
import type { PackedTotals } from '../../../shared/bundle/zip-writer.ts';
import { BundleZipWriter, DEFAULT_LEVEL } from '../../../shared/bundle/zip-writer.ts';
import type { TreeSnapshot } from '../../../shared/bundle/packer.ts';
import { openPacker } from '../../../shared/bundle/packer.ts';
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
  /** Compress and hash on a helper thread (default: from 10,000 events). */
  readonly helperThread?: boolean;
}

export interface ExportResult {
  readonly path: string;
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly bytes: number;
}

type EventRow = [number, string, string, string | null, string | null, string | null, string | null, string, string, string | null, string | null];

const CHUNK = 1 << 20;
const YIELD_EVERY = 4096;

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

export async function exportBundle(db: { readonly sqlite: BetterSqlite3.Database; readonly path?: string }, options: ExportBundleOptions): Promise<ExportResult> {
  if (options.signers.length === 0) throw new CharterError('invalid_argument', 'a bundle needs at least one signer');
  const sqlite = db.sqlite;
  const from = isoOrNull(options.from, 'from');
  const to = isoOrNull(options.to, 'to');
  if (from !== null && to !== null && from >= to) throw new CharterError('invalid_argument', `--from ${from} is not before --to ${to}`);
  const now = (options.now ?? (() => new Date()))();
  const { first, last } = seqRange(sqlite, from, to);
  const total = last - first + 1;
  const progress = (phase: ExportProgress['phase'], done: number): void => options.onProgress?.({ phase, done, total });
  const pause = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new CharterError('cancelled', 'the export was cancelled');
  };

  const previous = sqlite.prepare('select tree_size, root_hash from bundle_exports where tree_size <= ? order by tree_size desc, id desc limit 1')
    .raw().get(last) as [number, string] | undefined;
  const proving = previous !== undefined && previous[0] > 0;
  // Compression, file hashes and the Merkle tree are worked on a helper thread for large trails.
  const pack = openPacker(options.helperThread ?? last >= 10_000);
  const tree = pack.merkle(new MerkleBuilder(), proving);

  // The events before the period: only their digests, for the Merkle frontier.
  let prevDigest = GENESIS_DIGEST;
  let beforePeriod: Promise<TreeSnapshot>;
  try {
    const prefix = sqlite.prepare('select digest from audit_events where seq < ? order by seq').pluck();
    let n = 0;
    for (const digest of prefix.iterate(first) as Iterable<string>) {
      tree.push(digest);
      prevDigest = digest;
      if (++n % (YIELD_EVERY * 8) === 0) {
        progress('prefix', 0);
        await pause();
        await pack.drain();
      }
    }
    if (n !== first - 1) throw new CharterError('chain_broken', `the audit trail has gaps before event ${first}`);
    beforePeriod = tree.snapshot();
    beforePeriod.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  } catch (error) {
    await pack.close();
    throw error;
  }
  const firstPrevDigest = prevDigest;

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
    const eventsEntry = zip.packedEntry(EVENTS_FILE, true);
    const events = pack.deflate(level, (packed, sealed) => eventsEntry.write(packed, sealed));
    // decisions.ndjson is compressed meanwhile and kept in memory until the zip is free.
    const decisionsPacked: Uint8Array[] = [];
    const decisions = pack.deflate(level, (packed) => decisionsPacked.push(packed));
    const byType = new Map<string, number>();
    const byOutcome = new Map<string, number>();
    const perDay = new Map<string, number>();
    const approvals = { requested: 0, approved: 0, denied: 0 };
    const blocked: ReportBlocked[] = [];
    let blockedTotal = 0;
    const eventChunks = new TextChunks((chunk) => events.write(chunk), CHUNK);
    const decisionChunks = new TextChunks((chunk) => decisions.write(chunk), CHUNK);
    let done = 0;
    // The stored prev_digest is not read: each digest is recomputed from the one before.
    const rows = sqlite.prepare(`select e.seq, e.ts, e.type, e.agent_id, e.action, e.outcome, e.trace_id, e.payload_hash,
        e.digest, p.payload, p.state
      from audit_events e left join audit_payloads p on p.seq = e.seq where e.seq between ? and ? order by e.seq`).raw();
    let expectedSeq = first;
    let unchainedAt: number | null = null;
    const chain = pack.hashChecks((seq) => {
      unchainedAt = Math.min(seq, unchainedAt ?? seq);
    });
    for (const row of rows.iterate(first, last) as Iterable<EventRow>) {
      const [seq, ts, type, agentId, action, outcome, traceId, payloadHash, digest, payloadText, state] = row;
      const payloadState = (payloadText === null ? 'erased' : (state ?? 'intact')) as PayloadState;
      const header: AuditEventHeader = { seq, ts, type: type as AuditEventType, agentId, action, outcome: outcome as Outcome | null, traceId, payloadHash };
      const q = quoteHeader(header);
      if (seq !== expectedSeq || digest.length !== 64) throw unchained(seq);
      // Checked on the helper thread; every verdict is in before anything is signed.
      chain.push(seq, prevDigest + quotedHeaderBytes(q), digest);
      expectedSeq++;
      prevDigest = digest;
      tree.push(digest);
      eventChunks.write(quotedLinePrefix(q, digest, payloadState));
      eventChunks.write(payloadText === null ? 'null}\n' : `${payloadText}}\n`);
      byType.set(type, (byType.get(type) ?? 0) + 1);
      const day = ts.slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      if (type === 'decision') {
        const payload = payloadText === null ? null : (JSON.parse(payloadText) as unknown);
        byOutcome.set(outcome ?? 'none', (byOutcome.get(outcome ?? 'none') ?? 0) + 1);
        decisionChunks.write(decisionLineOf(q, payloadState, decisionPartsOf(payload)));
        if (outcome === 'deny') {
          blockedTotal++;
          if (blocked.length < 50) blocked.push({ seq, ts, agentId, action, rules: ruleIds(payload) });
        }
      } else if (type === 'approval.requested') {
        approvals.requested++;
      } else if (type === 'approval.decided') {
        const verdict = payloadText === null ? null : (JSON.parse(payloadText) as { verdict?: unknown }).verdict;
        if (verdict === 'approved') approvals.approved++;
        else if (verdict === 'denied') approvals.denied++;
      }
      if (++done % YIELD_EVERY === 0) {
        progress('events', done);
        await pause();
        await pack.drain();
      }
    }
    if (done !== total) throw new CharterError('chain_broken', `the audit trail has gaps between events ${first} and ${last}`);
    await chain.flush();
    if (unchainedAt !== null) throw unchained(unchainedAt);
    eventChunks.flush();
    decisionChunks.flush();
    files.push({ path: EVENTS_FILE, ...manifestSums(await events.end()) });
    files.push(zip.addPacked(DECISIONS_FILE, true, decisionsPacked, await decisions.end()));
    progress('finishing', done);

    const head = await tree.snapshot();
    const rootHash = toHex(head.root);
    const frontier = (await beforePeriod).frontier.map(toHex);
    let previousRef: Manifest['previous'] = null;
    if (previous && head.leaves) {
      const full = new MerkleTree(head.leaves);
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
      counts: { events: total, eventsByType: Object.fromEntries(byType), decisionsByOutcome: Object.fromEntries(byOutcome) },
      events: { firstSeq: first, prevDigest: firstPrevDigest },
      frontier,
      checkpoint: { treeSize: last, rootHash, headDigest: prevDigest },
      previous: previousRef,
    };
    const report = renderReport({
      manifest: manifestBase,
      signerKids: options.signers.map((s) => s.kid),
      perDay: [...perDay.entries()],
      approvals,
      blocked,
      blockedTotal,
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
  } finally {
    await pack.close();
  }
}

function unchained(seq: number): CharterError {
  return new CharterError('chain_broken', `audit event ${seq} does not chain to the one before it; run "charter audit verify" — a broken trail is not exported`);
}

function manifestSums(s: PackedTotals): Omit<ManifestFile, 'path'> {
  return { size: s.size, sha256: s.sha256, packedSize: s.packedSize, packedSha256: s.packedSha256 };
}

function ruleIds(payload: unknown): string[] {
  const reasons = (payload as { reasons?: unknown } | null)?.reasons;
  if (!Array.isArray(reasons)) return [];
  return reasons.map((r) => (r as { ruleId?: unknown })?.ruleId).filter((id): id is string => typeof id === 'string');
}
