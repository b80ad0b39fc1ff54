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
import { createHash, hash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { constants, crc32, createInflateRaw } from 'node:zlib';
import canonicalize from 'canonicalize';
import { createSha256Batch, hashLeaves, hashNodes } from '../crypto/sha256-batch.ts';
import type { Sha256Batch } from '../crypto/sha256-batch.ts';
import { HASH_SIZE } from '../merkle/hash.ts';
import type { SubtreeRoot } from '../merkle/ranges.ts';
import { subtreeRoots } from '../merkle/ranges.ts';
import type { PayloadState, QuotedHeader } from './event-line.ts';
import { eventLineFields, eventLinePrefix, quoteHeader, quotedHeaderBytes } from './event-line.ts';
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
  /** The problem at the lowest seq, or one with the segment's data as a whole (`tampered`: its stored bytes). */
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

/** Batches of finished checkers, for the next: making one (memory, an instance) costs more than reusing it. */
const spareBatches: Sha256Batch[] = [];

function takeBatch(): Sha256Batch {
  const batch = spareBatches.pop() ?? createSha256Batch();
  batch.reset();
  return batch;
}

/** Where a line's payload hash is decoded (checking it is hex) before its line is queued. */
const HEX_CHECK = Buffer.alloc(HASH_SIZE);

/** A line's header fields as the slow path parses them, and its payload's text. */
interface ParsedLine {
  readonly quoted: QuotedHeader;
  readonly type: string;
  readonly outcome: string | null;
  readonly digest: string;
  readonly payloadHash: string;
  readonly payloadState: PayloadState;
  readonly payloadText: string;
}

/** The payload state whose name and closing quote stand at `at`. */
function stateToken(text: string, at: number): PayloadState | undefined {
  if (text.startsWith('intact"', at)) return 'intact';
  if (text.startsWith('erased"', at)) return 'erased';
  return text.startsWith('redacted"', at) ? 'redacted' : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The end (index of the closing quote, or of the last `l` of null) of the JSON string or null
 * token at `at`, or -1. Tokens are taken as they stand: the caller has made sure the header holds
 * no backslash (an escape sends the line to the slow path, which parses it).
 */
function tokenEnd(text: string, at: number): number {
  if (text.charCodeAt(at) === 0x22) return text.indexOf('"', at + 1);
  return text.startsWith('null', at) ? at + 3 : -1;
}

class SegmentChecker {
  readonly #segment: ManifestSegment;
  /** One chained header per event, in order: their digests must equal #leaves (the claimed digests). */
  readonly #chain: Sha256Batch = takeBatch();
  #chainFrom = 0;
  /** Intact payloads; #expected holds the hashes their lines claim. */
  readonly #payloads: Sha256Batch = takeBatch();
  #expected = Buffer.allocUnsafe(1024 * HASH_SIZE);
  #payloadSeqs: number[] = [];
  /** Where each queued payload's text is (for a closer look when its hash does not match). */
  #payloadTexts: string[] = [];
  #payloadStarts: number[] = [];
  #payloadEnds: number[] = [];
  /** The last type and outcome read, reused while lines repeat them (most do). */
  #type = '';
  #outcome = '';
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
    let rest = chunk;
    if (this.#carry) {
      // Only the line the carry begins is joined, not the whole chunk.
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) {
        this.#keep(Buffer.concat([this.#carry, chunk]));
        return;
      }
      const joined = Buffer.concat([this.#carry, chunk.subarray(0, nl + 1)]);
      this.#carry = null;
      this.#lines(joined);
      rest = chunk.subarray(nl + 1);
    }
    this.#lines(rest);
  }

  /** Reads the whole lines in `buf` and keeps what follows the last newline. */
  #lines(buf: Buffer): void {
    if (this.stopped) return;
    const end = buf.lastIndexOf(NEWLINE);
    if (end === -1) {
      this.#keep(buf);
      return;
    }
    // Plain ASCII (the usual case) decodes several times faster as latin1, to the same string,
    // and then a character's index is its byte's.
    const ascii = isAscii(buf.subarray(0, end));
    const text = buf.toString(ascii ? 'latin1' : 'utf8', 0, end);
    this.#backslashAt = -1;
    let start = 0;
    while (start <= text.length && !this.stopped) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = text.length;
      if (!this.#fastLine(text, start, nl, ascii ? buf : null)) this.#line(text.slice(start, nl));
      start = nl + 1;
    }
    if (end + 1 < buf.length) this.#keep(buf.subarray(end + 1));
  }

  #keep(rest: Buffer): void {
    if (rest.length > MAX_LINE) {
      this.#fail(`its line is longer than ${MAX_LINE} bytes`, this.#nextSeq);
      return;
    }
    this.#carry = Buffer.from(rest);
  }

  /**
   * The common case: a line in the form the exporter writes (eventLinePrefix, payload, `}`), read by position and queued for
   * hashing; false sends it to the slow path. The chain hashes the header tokens exactly as they
   * stand, so only the canonical JSON.stringify form the engine chained can match its digest —
   * anything else in a token (a control character, an odd encoding, uppercase hex) is refused
   * by the chain itself.
   */
  #fastLine(text: string, start: number, nl: number, bytes: Buffer | null): boolean {
    if (this.#problem || this.#count >= this.#segment.count) return false;
    const seq = this.#nextSeq;
    const seqText = String(seq);
    if (!text.startsWith('{"seq":', start) || !text.startsWith(seqText, start + 7)) return false;
    const ts = start + 7 + seqText.length + 7;
    if (!text.startsWith(',"ts":"', ts - 7)) return false;
    const tsEnd = text.indexOf('"', ts);
    if (tsEnd === -1 || !text.startsWith('","type":"', tsEnd)) return false;
    const type = tsEnd + 10;
    const typeEnd = text.indexOf('"', type);
    if (typeEnd === -1 || !text.startsWith('","agentId":', typeEnd)) return false;
    const agent = typeEnd + 12;
    const agentEnd = tokenEnd(text, agent);
    if (agentEnd === -1 || !text.startsWith(',"action":', agentEnd + 1)) return false;
    const action = agentEnd + 11;
    const actionEnd = tokenEnd(text, action);
    if (actionEnd === -1 || !text.startsWith(',"outcome":', actionEnd + 1)) return false;
    const outcome = actionEnd + 12;
    const outcomeEnd = tokenEnd(text, outcome);
    if (outcomeEnd === -1 || !text.startsWith(',"traceId":', outcomeEnd + 1)) return false;
    const trace = outcomeEnd + 12;
    const traceEnd = tokenEnd(text, trace);
    if (traceEnd === -1 || !text.startsWith(',"payloadHash":"', traceEnd + 1)) return false;
    const payloadHash = traceEnd + 17;
    if (!text.startsWith('","digest":"', payloadHash + 64)) return false;
    const digestAt = payloadHash + 76;
    if (!text.startsWith('","payloadState":"', digestAt + 64)) return false;
    const stateAt = digestAt + 82;
    const state = stateToken(text, stateAt);
    if (state === undefined || !text.startsWith(',"payload":', stateAt + state.length + 1)) return false;
    const payloadStart = stateAt + state.length + 12;
    const payloadEnd = nl - 1;
    if (payloadEnd < payloadStart || text.charCodeAt(payloadEnd) !== 0x7d || tsEnd > nl || this.#backslashBefore(text, start, payloadStart)) return false;
    if (state === 'erased' && (payloadEnd - payloadStart !== 4 || !text.startsWith('null', payloadStart))) return false;
    if (state === 'redacted' && !isJson(text.slice(payloadStart, payloadEnd))) return false;
    const digest = text.slice(digestAt, digestAt + 64);
    if (this.#leaves.write(digest, this.#count * HASH_SIZE, HASH_SIZE, 'hex') !== HASH_SIZE) return false;
    const hashText = text.slice(payloadHash, payloadHash + 64);
    if (state === 'intact' && HEX_CHECK.write(hashText, 0, HASH_SIZE, 'hex') !== HASH_SIZE) return false;
    // (May hash what is queued first: only then are this line's payload and its hash queued.)
    this.#queueChain(`[${seqText},${text.slice(ts - 1, tsEnd + 1)},${text.slice(type - 1, typeEnd + 1)},${text.slice(agent, agentEnd + 1)},`
      + `${text.slice(action, actionEnd + 1)},${text.slice(outcome, outcomeEnd + 1)},${text.slice(trace, traceEnd + 1)},"${hashText}"]`, (payloadEnd - payloadStart) * 3);
    if (state === 'intact') this.#queuePayload(seq, text, payloadStart, payloadEnd, bytes);
    this.#accept(digest, this.#typeAt(text, type, typeEnd), text.charCodeAt(outcome) === 0x22 ? this.#outcomeAt(text, outcome + 1, outcomeEnd) : null);
    return true;
  }

  /** Queues an intact payload whose hash HEX_CHECK holds; `bytes` are the text's when it is ASCII. */
  #queuePayload(seq: number, text: string, start: number, end: number, bytes: Buffer | null): void {
    const n = this.#payloadSeqs.length;
    if ((n + 1) * HASH_SIZE > this.#expected.length) this.#expected = Buffer.concat([this.#expected, Buffer.allocUnsafe(this.#expected.length)]);
    HEX_CHECK.copy(this.#expected, n * HASH_SIZE);
    if (bytes) this.#payloads.addRange(bytes, start, end);
    else this.#payloads.add(text.slice(start, end));
    this.#payloadSeqs.push(seq);
    this.#payloadTexts.push(text);
    this.#payloadStarts.push(start);
    this.#payloadEnds.push(end);
  }

  #typeAt(text: string, start: number, end: number): string {
    if (end - start !== this.#type.length || !text.startsWith(this.#type, start)) this.#type = text.slice(start, end);
    return this.#type;
  }

  #outcomeAt(text: string, start: number, end: number): string {
    if (end - start !== this.#outcome.length || !text.startsWith(this.#outcome, start)) this.#outcome = text.slice(start, end);
    return this.#outcome;
  }

  #backslashAt = -1;

  /** Whether a backslash lies in [from, to) — one search per backslash in the chunk, not per line. */
  #backslashBefore(text: string, from: number, to: number): boolean {
    if (this.#backslashAt < from) {
      this.#backslashAt = text.indexOf('\\', from);
      if (this.#backslashAt === -1) this.#backslashAt = Number.MAX_SAFE_INTEGER;
    }
    return this.#backslashAt < to;
  }

  /** Hashes first when the batches are full, then queues `header` chained to the digest before. */
  #queueChain(header: string, payloadBytes: number): void {
    if (!this.#chain.hasRoom(64 + header.length * 3) || !this.#payloads.hasRoom(payloadBytes)) this.#run();
    this.#chain.begin();
    this.#chain.write(this.#prevDigest);
    this.#chain.write(header);
    this.#chain.end();
  }

  #accept(digest: string, type: string, outcome: string | null): void {
    this.#prevDigest = digest;
    this.#nextSeq++;
    this.#count++;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
    if (type === 'decision') {
      const o = outcome ?? 'none';
      this.byOutcome.set(o, (this.byOutcome.get(o) ?? 0) + 1);
    }
  }

  /** Hands its hash batches back for the next checker in this thread. */
  release(): void {
    spareBatches.push(this.#chain, this.#payloads);
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
    const parsed = this.#parseLine(line);
    if (parsed) this.#check(parsed);
  }

  /** The slow path for a line #fastLine did not take: parse it and name what is wrong. */
  #parseLine(line: string): ParsedLine | undefined {
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

  #check(e: ParsedLine): void {
    const seq = this.#nextSeq;
    const digest = e.digest;
    if (digest.length !== 64 || this.#leaves.write(digest, this.#count * HASH_SIZE, HASH_SIZE, 'hex') !== HASH_SIZE
      || !/^[0-9a-f]{64}$/.test(digest)) {
      this.#fail('its digest does not match its header and the previous event (event changed or chain broken)', seq);
      return;
    }
    const payloadText = e.payloadText;
    if (e.payloadState === 'erased' && payloadText !== 'null') {
      this.#fail('is marked erased but carries a payload', seq);
      return;
    }
    if (e.payloadState === 'redacted' && !isJson(payloadText)) {
      this.#fail('its payload is not JSON', seq);
      return;
    }
    this.#queueChain(quotedHeaderBytes(e.quoted), payloadText.length * 3);
    if (e.payloadState === 'intact') {
      if (!/^[0-9a-f]{64}$/.test(e.payloadHash)) {
        if (!canonicalMatch(payloadText, e.payloadHash)) {
          this.#fail('its payload does not match its payload hash', seq);
          return;
        }
      } else {
        HEX_CHECK.write(e.payloadHash, 0, HASH_SIZE, 'hex');
        this.#queuePayload(seq, payloadText, 0, payloadText.length, null);
      }
    }
    this.#accept(digest, e.type, e.outcome);
  }

  /** Hashes what is queued and compares each digest with what its line claims, in one comparison when all agree. */
  #run(): void {
    const events = this.#chain.count;
    if (events > 0) {
      this.#chain.run();
      const computed = bufferOf(this.#chain.digests());
      const from = this.#chainFrom * HASH_SIZE;
      if (!computed.equals(this.#leaves.subarray(from, from + events * HASH_SIZE))) {
        for (let i = 0; i < events; i++) {
          if (computed.compare(this.#leaves, from + i * HASH_SIZE, from + (i + 1) * HASH_SIZE, i * HASH_SIZE, (i + 1) * HASH_SIZE) !== 0) {
            this.#fail('its digest does not match its header and the previous event (event changed or chain broken)', this.#segment.firstSeq + this.#chainFrom + i);
            break;
          }
        }
      }
      this.#chain.reset();
      this.#chainFrom += events;
    }
    const payloads = this.#payloadSeqs.length;
    if (payloads > 0) {
      this.#payloads.run();
      const computed = bufferOf(this.#payloads.digests());
      if (!computed.equals(this.#expected.subarray(0, payloads * HASH_SIZE))) {
        for (let i = 0; i < payloads; i++) {
          const differs = computed.compare(this.#expected, i * HASH_SIZE, (i + 1) * HASH_SIZE, i * HASH_SIZE, (i + 1) * HASH_SIZE) !== 0;
          const text = (this.#payloadTexts[i] as string).slice(this.#payloadStarts[i], this.#payloadEnds[i]);
          if (differs && !canonicalMatch(text, this.#expected.toString('hex', i * HASH_SIZE, (i + 1) * HASH_SIZE))) {
            this.#fail('its payload does not match its payload hash', this.#payloadSeqs[i] as number);
            break;
          }
        }
      }
      this.#payloads.reset();
      this.#payloadSeqs = [];
      this.#payloadTexts = [];
      this.#payloadStarts = [];
      this.#payloadEnds = [];
    }
  }
}

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  // The stored bytes first: a changed byte is a tampered file, whatever it does to the events.
  if (createHash('sha256').update(task.packed).digest('hex') !== segment.packedSha256) {
    const problem: BundleFailure = { kind: 'tampered', message: `${EVENTS_FILE}: its content does not match the SHA-256 in the manifest`, file: EVENTS_FILE };
    return { index, problem, crc: 0, lastDigest: segment.prevDigest, subtrees: [], captured: null, byType: {}, byOutcome: {} };
  }
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
  checker.release();
  const base = { index, crc, lastDigest: checker.lastDigest, byType: counts(checker.byType), byOutcome: counts(checker.byOutcome) };
  if (problem) return { ...base, problem, subtrees: [], captured: null };
  const start = segment.firstSeq - 1;
  const leaves = Buffer.allocUnsafe(checker.leaves.length);
  hashLeaves(checker.leaves, leaves);
  const captured = task.captureAt === null ? null : subtreeRoots(leaves.subarray(0, (task.captureAt - start) * HASH_SIZE), start, hashNodes);
  return { ...base, problem: null, subtrees: subtreeRoots(leaves, start, hashNodes), captured };
}
