/**
 * Checks one segment of events.ndjson on its own (shared/bundle/format.ts ManifestSegment):
 * inflates its stored bytes, reads every line, and recomputes what the lines claim — each
 * event's digest from its header and the digest before it, each intact payload's hash, seqs in
 * order with no gap — then the Merkle subtrees its leaves make. The verifier runs segments in
 * parallel (on worker threads when it has them) and joins the results: links between segments,
 * subtrees onto the frontier, CRCs and counts.
 *
 * Hashes are batched (shared/crypto/sha256-batch.ts): a batch's verdicts come after later lines
 * were read, so the first problem is the one at the lowest seq, whenever it was found.
 */
import { hash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { constants, crc32, createInflateRaw } from 'node:zlib';
import canonicalize from 'canonicalize';
import { createSha256Batch, hashLeaves, hashNodes } from '../crypto/sha256-batch.ts';
import type { Sha256Batch } from '../crypto/sha256-batch.ts';
import { HASH_SIZE } from '../merkle/hash.ts';
import type { SubtreeRoot } from '../merkle/ranges.ts';
import { subtreeRoots } from '../merkle/ranges.ts';
import { eventLineFields, eventLinePrefix, quoteHeader, quotedHeaderBytes } from './event-line.ts';
import type { SlicedLine } from './event-line-reader.ts';
import { sliceEventLine } from './event-line-reader.ts';
import type { BundleFailure } from './failures.ts';
import type { ManifestSegment } from './format.ts';
import { EVENTS_FILE } from './format.ts';

export interface VerifySegmentTask {
  /** Its place among the segments (reports come back by it). */
  readonly index: number;
  readonly segment: ManifestSegment;
  /** The segment's bytes as stored. */
  readonly packed: Uint8Array;
  /** The last segment's deflate data ends the stream; the others' stop at a flush point. */
  readonly last: boolean;
  /** A tree size within this segment whose subtrees to report too (an earlier bundle's checkpoint). */
  readonly captureAt: number | null;
}

export interface VerifySegmentReport {
  readonly index: number;
  /** The problem at the lowest seq, or one with the segment's data as a whole. */
  readonly problem: BundleFailure | null;
  /** CRC-32 of the inflated bytes. */
  readonly crc: number;
  readonly lastDigest: string;
  /** alignedBlocks over the segment's leaves (see shared/merkle/ranges.ts). */
  readonly subtrees: readonly SubtreeRoot[];
  /** alignedBlocks from the segment's first leaf up to captureAt. */
  readonly captured: readonly SubtreeRoot[] | null;
  readonly byType: Readonly<Record<string, number>>;
  readonly byOutcome: Readonly<Record<string, number>>;
}

const NEWLINE = 0x0a;
const PAYLOAD_KEY = ',"payload":';
/** No event line is longer; a longer one is refused rather than buffered. */
const MAX_LINE = 16 * 1024 * 1024;
const INFLATE_CHUNK = 1 << 20;

/** A hash to compare once its batch has run. */
interface Pending {
  readonly seq: number;
  readonly kind: 'chain' | 'payload';
  readonly expected: string;
  /** The payload's text, for a closer look when it does not match. */
  readonly text: string | null;
}

class SegmentChecker {
  readonly #segment: ManifestSegment;
  readonly #batch: Sha256Batch = createSha256Batch();
  #pending: Pending[] = [];
  #problem: BundleFailure | null = null;
  #nextSeq: number;
  #prevDigest: string;
  #count = 0;
  #carry: Buffer | null = null;
  readonly #leaves: Buffer;
  readonly byType = new Map<string, number>();
  readonly byOutcome = new Map<string, number>();

  constructor(segment: ManifestSegment) {
    this.#segment = segment;
    this.#nextSeq = segment.firstSeq;
    this.#prevDigest = segment.prevDigest;
    this.#leaves = Buffer.alloc(segment.count * HASH_SIZE);
  }

  get count(): number {
    return this.#count;
  }

  get lastDigest(): string {
    return this.#prevDigest;
  }

  get leaves(): Buffer {
    return this.#leaves;
  }

  /** Once a problem is found, later lines cannot matter (only batched hashes of earlier ones). */
  get stopped(): boolean {
    return this.#problem !== null;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    let buf = chunk;
    if (this.#carry) {
      buf = Buffer.concat([this.#carry, buf]);
      this.#carry = null;
    }
    const end = buf.lastIndexOf(NEWLINE);
    if (end === -1) {
      this.#keep(buf);
      return;
    }
    // Plain ASCII (the usual case) decodes several times faster as latin1, to the same string.
    const text = buf.toString(isAscii(buf.subarray(0, end)) ? 'latin1' : 'utf8', 0, end);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.#line(text.slice(start, nl));
      start = nl + 1;
      if (this.stopped) return;
    }
    this.#line(text.slice(start));
    if (end + 1 < buf.length) this.#keep(buf.subarray(end + 1));
  }

  #keep(rest: Buffer): void {
    if (rest.length > MAX_LINE) {
      this.#fail(`its line is longer than ${MAX_LINE} bytes`, this.#nextSeq);
      return;
    }
    this.#carry = Buffer.from(rest);
  }

  /** After the last chunk: the first problem, if any. */
  finish(): BundleFailure | null {
    this.#run();
    if (this.#problem) return this.#problem;
    if (this.#carry) return this.#fail('events.ndjson does not end with a newline', this.#nextSeq);
    if (this.#count !== this.#segment.count) {
      return this.#fail(`the segment from event ${this.#segment.firstSeq} holds ${this.#count} events; the manifest says ${this.#segment.count} (events removed or added)`,
        this.#nextSeq);
    }
    return null;
  }

  /** Stops at once: the segment's data cannot be read on. */
  abandon(message: string): BundleFailure {
    this.#problem = null;
    return this.#fail(message);
  }

  #fail(message: string, seq?: number): BundleFailure {
    const earlier = this.#problem;
    if (earlier === null || (seq !== undefined && earlier.seq !== undefined && seq < earlier.seq)) {
      this.#problem = { kind: 'event_mismatch', message: seq === undefined ? message : `event ${seq}: ${message}`, file: EVENTS_FILE, ...(seq === undefined ? {} : { seq }) };
    }
    return this.#problem as BundleFailure;
  }

  #line(line: string): void {
    if (this.#problem) return;
    if (this.#count >= this.#segment.count) {
      this.#fail(`the segment from event ${this.#segment.firstSeq} holds more than the ${this.#segment.count} events the manifest lists`, this.#nextSeq);
      return;
    }
    const sliced = sliceEventLine(line, this.#nextSeq) ?? this.#parseLine(line);
    if (sliced) this.#check(sliced);
  }

  /** The slow path for a line not in plain canonical form: parse it and name what is wrong. */
  #parseLine(line: string): SlicedLine | undefined {
    const seq = this.#nextSeq;
    // An unescaped `,"payload":` cannot occur inside a JSON string, so the first one ends the
    // header; the prefix check below then proves the whole line is in canonical form.
    const split = line.indexOf(PAYLOAD_KEY);
    let parsed: unknown;
    try {
      parsed = split === -1 ? undefined : JSON.parse(`${line.slice(0, split)}}`);
    } catch {
      parsed = undefined;
    }
    const e = eventLineFields(parsed);
    if (!e) {
      this.#fail('its line is not an event in the form Charter writes (unreadable or missing fields)', seq);
      return undefined;
    }
    if (e.seq !== seq) {
      this.#fail(`found event ${e.seq} where event ${seq} belongs (events reordered, removed or inserted)`, seq);
      return undefined;
    }
    const prefix = eventLinePrefix(e);
    if (!line.startsWith(prefix) || !line.endsWith('}')) {
      this.#fail('its line is not in the canonical form Charter writes', seq);
      return undefined;
    }
    return {
      quoted: quoteHeader(e), type: e.type, outcome: e.outcome, digest: e.digest, payloadHash: e.payloadHash,
      payloadState: e.payloadState, payloadText: line.slice(prefix.length, -1),
    };
  }

  #check(e: SlicedLine): void {
    const seq = this.#nextSeq;
    const digest = e.digest;
    if (digest.length !== 64 || this.#leaves.write(digest, this.#count * HASH_SIZE, HASH_SIZE, 'hex') !== HASH_SIZE) {
      this.#fail('its digest does not match its header and the previous event (event changed or chain broken)', seq);
      return;
    }
    const header = quotedHeaderBytes(e.quoted);
    const payloadText = e.payloadText;
    if (!this.#batch.hasRoom(header.length * 3 + 64 + payloadText.length * 3)) this.#run();
    this.#batch.begin();
    this.#batch.write(this.#prevDigest);
    this.#batch.write(header);
    this.#batch.end();
    this.#pending.push({ seq, kind: 'chain', expected: digest, text: null });
    if (e.payloadState === 'intact') {
      this.#batch.add(payloadText);
      this.#pending.push({ seq, kind: 'payload', expected: e.payloadHash, text: payloadText });
    } else if (e.payloadState === 'erased') {
      if (payloadText !== 'null') {
        this.#fail('is marked erased but carries a payload', seq);
        return;
      }
    } else {
      try {
        JSON.parse(payloadText);
      } catch {
        this.#fail('its payload is not JSON', seq);
        return;
      }
    }
    this.#prevDigest = digest;
    this.#nextSeq++;
    this.#count++;
    this.byType.set(e.type, (this.byType.get(e.type) ?? 0) + 1);
    if (e.type === 'decision') {
      const outcome = e.outcome ?? 'none';
      this.byOutcome.set(outcome, (this.byOutcome.get(outcome) ?? 0) + 1);
    }
  }

  /** Hashes what is batched and compares each with what its line claims. */
  #run(): void {
    if (this.#pending.length === 0) return;
    this.#batch.run();
    this.#pending.forEach((p, i) => {
      if (this.#batch.matches(i, p.expected)) return;
      if (p.kind === 'chain') this.#fail('its digest does not match its header and the previous event (event changed or chain broken)', p.seq);
      else if (!canonicalMatch(p.text as string, p.expected)) this.#fail('its payload does not match its payload hash', p.seq);
    });
    this.#batch.reset();
    this.#pending = [];
  }
}

/** An intact payload whose bytes do not hash to its payload hash is still accepted when its canonical form does. */
function canonicalMatch(text: string, expected: string): boolean {
  try {
    return hash('sha256', canonicalize(JSON.parse(text)) ?? '', 'hex') === expected;
  } catch {
    return false;
  }
}

function counts(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(map);
}

/** Inflates `packed` in chunks, handing each to `onChunk`; resolves with the CRC-32 and size of all. */
async function inflateSegment(packed: Uint8Array, last: boolean, limit: number, onChunk: (chunk: Buffer) => boolean): Promise<{ crc: number; size: number }> {
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
  let crc = 0;
  let size = 0;
  const done = new Promise<void>((resolve, reject) => {
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflater.destroy();
        reject(new Error(`it inflates past the ${limit} bytes the manifest lists`));
        return;
      }
      crc = crc32(chunk, crc);
      if (!onChunk(chunk)) inflater.destroy();
    });
    inflater.on('end', resolve);
    inflater.on('close', resolve);
    inflater.on('error', reject);
  });
  inflater.end(packed);
  await done;
  return { crc, size };
}

export async function verifySegment(task: VerifySegmentTask): Promise<VerifySegmentReport> {
  const { segment, index } = task;
  const checker = new SegmentChecker(segment);
  let problem: BundleFailure | null = null;
  let crc = 0;
  try {
    const inflated = await inflateSegment(task.packed, task.last, segment.size, (chunk) => {
      checker.push(chunk);
      return !checker.stopped;
    });
    crc = inflated.crc;
    problem = checker.finish();
    if (!problem && inflated.size !== segment.size) {
      problem = checker.abandon(`the segment from event ${segment.firstSeq} holds ${inflated.size} bytes, not the ${segment.size} the manifest lists`);
    }
  } catch (error) {
    problem = checker.abandon(`the segment from event ${segment.firstSeq}: ${(error as Error).message}`);
  }
  const base = { index, crc, lastDigest: checker.lastDigest, byType: counts(checker.byType), byOutcome: counts(checker.byOutcome) };
  if (problem) return { ...base, problem, subtrees: [], captured: null };
  const start = segment.firstSeq - 1;
  const leaves = Buffer.allocUnsafe(checker.leaves.length);
  hashLeaves(checker.leaves, leaves);
  const captured = task.captureAt === null ? null : subtreeRoots(leaves.subarray(0, (task.captureAt - start) * HASH_SIZE), start, hashNodes);
  return { ...base, problem: null, subtrees: subtreeRoots(leaves, start, hashNodes), captured };
}
