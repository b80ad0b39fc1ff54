/**
 * Exports one segment of events.ndjson (shared/bundle/format.ts ManifestSegment) from a
 * connection of its own: reads the rows, re-chains them (a broken trail is refused, never
 * signed), writes the lines in ~1 MiB chunks each deflated afresh and sync-flushed — so any
 * segment's stored bytes inflate on their own and all of them concatenate into one deflate
 * stream — and computes the Merkle subtrees of its leaves. Several run at once on worker threads
 * (./segment-pool.ts); ./export.ts joins their output in order.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { GENESIS_DIGEST } from '../../../shared/audit.ts';
import type { AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import type { Outcome } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import { createSha256Batch, hashLeaves, hashNodes } from '../../../shared/crypto/sha256-batch.ts';
import { HASH_SIZE } from '../../../shared/merkle/hash.ts';
import type { SubtreeRoot } from '../../../shared/merkle/ranges.ts';
import { subtreeRoots } from '../../../shared/merkle/ranges.ts';
import type { PayloadState } from '../../../shared/bundle/event-line.ts';
import { quoteHeader, quotedHeaderBytes, quotedLinePrefix } from '../../../shared/bundle/event-line.ts';
import type { ManifestSegment } from '../../../shared/bundle/format.ts';
import { TextChunks } from '../../../shared/bundle/text-chunks.ts';
import type { SegmentStats } from './export-tally.ts';
import { ExportTally } from './export-tally.ts';
import { DEFLATE_END, deflateChunk } from '../../../shared/bundle/zip-writer.ts';

export interface ExportSegmentTask {
  readonly index: number;
  readonly firstSeq: number;
  readonly count: number;
  /** zlib level. */
  readonly level: number;
  /** The last segment ends the deflate stream. */
  readonly last: boolean;
  /** Return the leaf hashes too (a consistency proof needs every leaf). */
  readonly keepLeaves: boolean;
}

export interface ExportSegmentResult {
  readonly index: number;
  readonly segment: ManifestSegment;
  readonly crc: number;
  readonly lastDigest: string;
  readonly subtrees: readonly SubtreeRoot[];
  readonly leaves: Uint8Array | null;
  /** The first event whose stored digest is not SHA-256(previous digest ‖ header), if any. */
  readonly unchainedAt: number | null;
  readonly stats: SegmentStats;
}

/** Receives the segment's stored bytes in order; may make the segment wait (memory stays bounded). */
export type PackedSink = (chunk: Uint8Array) => void | Promise<void>;

type EventRow = [number, string, string, string | null, string | null, string | null, string | null, string, string, string | null, string | null];

const CHUNK = 1 << 20;
/** Rows between chain checks (one batched hash run). */
const CHAIN_BATCH = 4096;

export async function exportSegment(sqlite: BetterSqlite3.Database, task: ExportSegmentTask, sink: PackedSink): Promise<ExportSegmentResult> {
  const { firstSeq, count } = task;
  const lastSeq = firstSeq + count - 1;
  const prevDigest = firstSeq === 1
    ? GENESIS_DIGEST
    : (sqlite.prepare('select digest from audit_events where seq = ?').pluck().get(firstSeq - 1) as string | undefined);
  if (prevDigest === undefined) throw new CharterError('chain_broken', `the audit trail has no event ${firstSeq - 1}`);

  let size = 0;
  let packedSize = 0;
  let crc = 0;
  let waiting: Promise<void> | null = null;
  const packedHash = createHash('sha256');
  const put = (packed: Uint8Array): void => {
    packedSize += packed.length;
    packedHash.update(packed);
    const wait = sink(packed);
    if (wait) waiting = wait;
  };
  // Each chunk is deflated as soon as it is full, so one buffer serves for all.
  const lines = new TextChunks((chunk) => {
    size += chunk.length;
    crc = crc32(chunk, crc);
    put(deflateChunk(chunk, task.level));
  }, CHUNK, true);

  const batch = createSha256Batch();
  const checks: { seq: number; digest: string }[] = [];
  let unchainedAt: number | null = null;
  const runChecks = (): void => {
    if (checks.length === 0) return;
    batch.run();
    for (let i = 0; i < checks.length && unchainedAt === null; i++) {
      if (!batch.matches(i, (checks[i] as { digest: string }).digest)) unchainedAt = (checks[i] as { seq: number }).seq;
    }
    batch.reset();
    checks.length = 0;
  };

  const leaves = Buffer.allocUnsafe(count * HASH_SIZE);
  const tally = new ExportTally();
  let previous = prevDigest;
  let expectedSeq = firstSeq;
  const rows = sqlite.prepare(`select e.seq, e.ts, e.type, e.agent_id, e.action, e.outcome, e.trace_id, e.payload_hash,
      e.digest, p.payload, p.state
    from audit_events e left join audit_payloads p on p.seq = e.seq where e.seq between ? and ? order by e.seq`).raw();
  for (const row of rows.iterate(firstSeq, lastSeq) as Iterable<EventRow>) {
    const [seq, ts, type, agentId, action, outcome, traceId, payloadHash, digest, payloadText, state] = row;
    if (seq !== expectedSeq || digest.length !== 64) unchainedAt ??= seq;
    if (unchainedAt !== null) break;
    const payloadState = (payloadText === null ? 'erased' : (state ?? 'intact')) as PayloadState;
    const header: AuditEventHeader = { seq, ts, type: type as AuditEventType, agentId, action, outcome: outcome as Outcome | null, traceId, payloadHash };
    const q = quoteHeader(header);
    const headerBytes = quotedHeaderBytes(q);
    if (!batch.hasRoom(64 + headerBytes.length * 3)) runChecks();
    batch.begin();
    batch.write(previous);
    batch.write(headerBytes);
    batch.end();
    checks.push({ seq, digest });
    leaves.write(digest, (seq - firstSeq) * HASH_SIZE, HASH_SIZE, 'hex');
    previous = digest;
    expectedSeq++;
    lines.write(quotedLinePrefix(q, digest, payloadState));
    // Written apart: joining them first would copy the payload once more.
    if (payloadText !== null) lines.write(payloadText);
    lines.write(payloadText === null ? 'null}\n' : '}\n');
    tally.count(seq, ts, type, agentId, action, outcome, () => (payloadText === null ? null : JSON.parse(payloadText)));
    if (checks.length >= CHAIN_BATCH) runChecks();
    if (waiting) {
      await waiting;
      waiting = null;
    }
  }
  runChecks();
  if (unchainedAt === null && expectedSeq !== lastSeq + 1) {
    throw new CharterError('chain_broken', `the audit trail has gaps between events ${firstSeq} and ${lastSeq}`);
  }
  const stats = tally.stats();
  const segment: ManifestSegment = { firstSeq, count, prevDigest, size: 0, packedSize: 0, packedSha256: '' };
  if (unchainedAt !== null) return { index: task.index, segment, crc, lastDigest: previous, subtrees: [], leaves: null, unchainedAt, stats };
  lines.flush();
  if (task.last) put(Uint8Array.from(DEFLATE_END)); // a copy: chunks move to another thread
  if (waiting) await waiting;
  const hashed = Buffer.allocUnsafe(leaves.length);
  hashLeaves(leaves, hashed);
  return {
    index: task.index,
    segment: { ...segment, size, packedSize, packedSha256: packedHash.digest('hex') },
    crc,
    lastDigest: previous,
    subtrees: subtreeRoots(hashed, firstSeq - 1, hashNodes),
    leaves: task.keepLeaves ? hashed : null,
    unchainedAt: null,
    stats,
  };
}
