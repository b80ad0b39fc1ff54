/**
 * Recomputes everything `events.ndjson` claims, line by line as it streams past: each event's
 * digest and its link to the one before, each intact payload's hash, seqs in order with no gap,
 * the Merkle root from the manifest's frontier, counts, and the decisions file derived from the
 * decision events. The first problem is kept, not thrown, so the caller can report a tampered
 * file first when the file's own hash is also wrong.
 */
import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { GENESIS_DIGEST } from '../audit.ts';
import { MerkleBuilder } from '../merkle/builder.ts';
import { fromHex32, toHex } from '../merkle/hash.ts';
import { decisionLineOf, eventLineFields, eventLinePrefix, quoteHeader, quotedHeaderBytes } from './event-line.ts';
import { decisionPartsOf } from './decision-parts.ts';
import type { SlicedLine } from './event-line-reader.ts';
import { sliceEventLine } from './event-line-reader.ts';
import type { BundleFailure } from './failures.ts';
import type { Manifest } from './format.ts';
import { EVENTS_FILE } from './format.ts';
import type { MerkleStream, OnHashMismatch, HashChecks, TreeSnapshot } from './packer.ts';
import { TextChunks } from './text-chunks.ts';

const NEWLINE = 0x0a;
const PAYLOAD_KEY = ',"payload":';
/** No event line is longer; a longer one is refused rather than buffered. */
const MAX_LINE = 16 * 1024 * 1024;

export class EventChecker {
  readonly #manifest: Manifest;
  readonly #tree: MerkleStream;
  readonly #chain: HashChecks;
  readonly #payloads: HashChecks;
  #treeSize: number;
  readonly #decisions: TextChunks;
  #problem: BundleFailure | null = null;
  #nextSeq: number;
  #prevDigest: string;
  #count = 0;
  #carry: Buffer | null = null;
  readonly #byType = new Map<string, number>();
  readonly #byOutcome = new Map<string, number>();

  readonly #captureAt: number | null;
  #captured: Promise<TreeSnapshot> | null = null;

  /**
   * `decisions` receives the decisions file these events imply, in chunks (to be hashed);
   * `merkle` continues the tree from the manifest's frontier and `hashChecks` hash the chained
   * headers and intact payloads (a Packer's, maybe on a thread: their verdicts may come after
   * later lines, so each line is chained provisionally to the digest the line before claims);
   * `captureAt`: a tree size whose root to keep (an earlier bundle's checkpoint), if in range.
   */
  constructor(
    manifest: Manifest,
    decisions: (chunk: Buffer) => void,
    merkle: (start: MerkleBuilder) => MerkleStream,
    hashChecks: (onMismatch: OnHashMismatch) => HashChecks,
    captureAt: number | null = null,
  ) {
    this.#manifest = manifest;
    this.#chain = hashChecks((seq) => this.#chainMismatch(seq));
    this.#payloads = hashChecks((seq, text, expected) => this.#payloadMismatch(seq, text, expected));
    this.#decisions = new TextChunks(decisions);
    this.#captureAt = captureAt;
    this.#nextSeq = manifest.events.firstSeq;
    this.#prevDigest = manifest.events.prevDigest;
    const prefix = manifest.events.firstSeq - 1;
    if (prefix === 0 && manifest.events.prevDigest !== GENESIS_DIGEST) this.#fail('the first event of the trail must follow the genesis digest');
    let start: MerkleBuilder;
    try {
      start = MerkleBuilder.fromFrontier(prefix, manifest.frontier.map((h) => fromHex32(h) as Uint8Array));
    } catch {
      this.#fail(`the manifest's frontier does not describe a tree of ${prefix} events`);
      start = new MerkleBuilder();
    }
    this.#treeSize = start.size;
    this.#tree = merkle(start);
    this.#capture();
  }

  /** The root of the trail's first `captureAt` events, when the bundle's range let it be computed. */
  async capturedRoot(): Promise<string | null> {
    return this.#captured ? toHex((await this.#captured).root) : null;
  }

  #capture(): void {
    if (this.#treeSize === this.#captureAt) {
      this.#captured = this.#tree.snapshot();
      this.#captured.catch(() => {}); // awaited in capturedRoot(); not unhandled meanwhile
    }
  }

  get problem(): BundleFailure | null {
    return this.#problem;
  }

  /** Feeds a chunk of events.ndjson. */
  push(chunk: Uint8Array): void {
    if (this.#problem) return;
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#carry) {
      buf = Buffer.concat([this.#carry, buf]);
      this.#carry = null;
    }
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1 && !this.#problem; nl = buf.indexOf(NEWLINE, start)) {
      this.#line(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    if (start < buf.length) this.#carry = Buffer.from(buf.subarray(start));
    if (this.#carry && this.#carry.length > MAX_LINE) {
      this.#fail(`its line is longer than ${MAX_LINE} bytes`, this.#nextSeq);
      this.#carry = null;
    }
  }

  /** Call after the last chunk; returns the first problem found, if any. */
  async finish(): Promise<BundleFailure | null> {
    this.#decisions.flush();
    await this.#chain.flush();
    await this.#payloads.flush();
    if (this.#problem) return this.#problem;
    if (this.#carry) return this.#fail('events.ndjson does not end with a newline', this.#nextSeq);
    const m = this.#manifest;
    if (this.#count !== m.counts.events) {
      return this.#fail(`events.ndjson holds ${this.#count} events; the manifest says ${m.counts.events} (events removed or added)`, this.#nextSeq);
    }
    if (this.#prevDigest !== m.checkpoint.headDigest) this.#fail('the last event is not the checkpoint\'s head digest', m.checkpoint.treeSize);
    else if (toHex((await this.#tree.snapshot()).root) !== m.checkpoint.rootHash) this.#fail('the Merkle root of the events does not equal the manifest\'s root hash');
    else if (!sameCounts(this.#byType, m.counts.eventsByType)) this.#fail('the events by type do not match the manifest\'s counts');
    else if (!sameCounts(this.#byOutcome, m.counts.decisionsByOutcome)) this.#fail('the decisions by outcome do not match the manifest\'s counts');
    return this.#problem;
  }

  /** A digest that is not SHA-256(previous digest ‖ header); it is the first thing a line is checked for. */
  #chainMismatch(seq: number): void {
    const earlier = this.#problem;
    if (earlier !== null && (earlier.seq === undefined || earlier.seq < seq)) return;
    this.#problem = null;
    this.#fail('its digest does not match its header and the previous event (event changed or chain broken)', seq);
  }

  /**
   * An intact payload whose bytes do not hash to its payload hash: accepted only when its
   * canonical form does. Reported now, it still wins over a problem found at a later line.
   */
  #payloadMismatch(seq: number, text: string, expected: string): void {
    try {
      if (hash('sha256', canonicalize(JSON.parse(text)) ?? '', 'hex') === expected) return;
    } catch {
      // not JSON: the line itself was already refused for that
    }
    const earlier = this.#problem;
    if (earlier !== null && (earlier.seq === undefined || earlier.seq <= seq)) return;
    this.#problem = null;
    this.#fail('its payload does not match its payload hash', seq);
  }

  #fail(message: string, seq?: number): BundleFailure {
    this.#problem ??= { kind: 'event_mismatch', message: seq === undefined ? message : `event ${seq}: ${message}`, file: EVENTS_FILE, ...(seq === undefined ? {} : { seq }) };
    return this.#problem;
  }

  #line(line: string): void {
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
    if (digest.length !== 64) {
      this.#chainMismatch(seq);
      return;
    }
    this.#chain.push(seq, this.#prevDigest + quotedHeaderBytes(e.quoted), digest);
    const payloadText = e.payloadText;
    let payload: unknown;
    try {
      payload = JSON.parse(payloadText);
    } catch {
      this.#fail('its payload is not JSON', seq);
      return;
    }
    if (e.payloadState === 'intact') {
      if (e.payloadHash.length === 64) this.#payloads.push(seq, payloadText, e.payloadHash);
      else if (hash('sha256', canonicalize(payload) ?? '', 'hex') !== e.payloadHash) {
        this.#fail('its payload does not match its payload hash', seq);
        return;
      }
    }
    if (e.payloadState === 'erased' && payload !== null) {
      this.#fail('is marked erased but carries a payload', seq);
      return;
    }
    this.#tree.push(digest);
    this.#treeSize++;
    this.#capture();
    this.#prevDigest = digest;
    this.#nextSeq++;
    this.#count++;
    this.#byType.set(e.type, (this.#byType.get(e.type) ?? 0) + 1);
    if (e.type === 'decision') {
      const outcome = e.outcome ?? 'none';
      this.#byOutcome.set(outcome, (this.#byOutcome.get(outcome) ?? 0) + 1);
      this.#decisions.write(decisionLineOf(e.quoted, e.payloadState, decisionPartsOf(payload)));
    }
  }
}

function sameCounts(actual: ReadonlyMap<string, number>, expected: Readonly<Record<string, number>>): boolean {
  const keys = Object.keys(expected);
  return keys.length === actual.size && keys.every((k) => actual.get(k) === expected[k]);
}
