/**
 * A verified bundle, open for reading: a private copy of the file (so what is browsed is what
 * was verified), its events extracted once to a temporary file with a compact index (byte offset
 * and filter columns per event, plus its Merkle leaf hash for inclusion proofs). Memory is about
 * 50 bytes per event; payloads are read from disk only for the event being shown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleEventDetail, BundleEventRow, BundleEventsPage, BundleSummary } from '../../../shared/api/types.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { Manifest } from '../../../shared/bundle/format.ts';
import { EVENTS_FILE, REPORT_FILE, contractFileName } from '../../../shared/bundle/format.ts';
import { readEntry, readEntryBytes, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import { fromHex32, HASH_SIZE, leafHashHex } from '../../../shared/merkle/hash.ts';
import { openFileSource } from '../../engine/bundles/file-source.ts';
import { BundleTree } from './inclusion.ts';

const OUTCOME_CODES = ['allow', 'deny', 'escalate'] as const;
const MAX_FACETS = 200;

export interface EventFilter {
  readonly agentId?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly type?: string;
}

/** Interned strings: each distinct agent/action/type once, events hold its index. */
class Strings {
  readonly values: string[] = [];
  readonly #index = new Map<string, number>();
  id(value: string | null): number {
    if (value === null) return -1;
    let i = this.#index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.#index.set(value, i);
    }
    return i;
  }
  find(value: string): number {
    return this.#index.get(value) ?? -2;
  }
}

interface StringTables {
  readonly agents: Strings;
  readonly actions: Strings;
  readonly types: Strings;
}

export class OpenedBundle {
  readonly fileName: string;
  readonly bytes: number;
  readonly manifest: Manifest;
  readonly #dir: string;
  readonly #bundlePath: string;
  readonly #events: FileHandle;
  readonly #offsets: Float64Array;
  readonly #lengths: Uint32Array;
  readonly #agents: Int32Array;
  readonly #actions: Int32Array;
  readonly #types: Int32Array;
  readonly #outcomes: Int8Array;
  readonly #strings: StringTables;
  readonly #tree: BundleTree;
  #lastFilter: { readonly key: string; readonly matches: Int32Array } | null = null;

  private constructor(init: {
    fileName: string; bytes: number; manifest: Manifest; dir: string; bundlePath: string; events: FileHandle;
    offsets: Float64Array; lengths: Uint32Array; agents: Int32Array; actions: Int32Array; types: Int32Array; outcomes: Int8Array;
    strings: StringTables; tree: BundleTree;
  }) {
    this.fileName = init.fileName;
    this.bytes = init.bytes;
    this.manifest = init.manifest;
    this.#dir = init.dir;
    this.#bundlePath = init.bundlePath;
    this.#events = init.events;
    this.#offsets = init.offsets;
    this.#lengths = init.lengths;
    this.#agents = init.agents;
    this.#actions = init.actions;
    this.#types = init.types;
    this.#outcomes = init.outcomes;
    this.#strings = init.strings;
    this.#tree = init.tree;
  }

  /** A private working folder for one bundle; `open` moves its copy in, `close` removes it. */
  static workFolder(): string {
    return mkdtempSync(join(tmpdir(), 'charter-bundle-'));
  }

  /** Indexes the (already verified) copy at `bundlePath` inside `dir`. Removes `dir` on failure. */
  static async open(dir: string, bundlePath: string, fileName: string, manifest: Manifest): Promise<OpenedBundle> {
    const count = manifest.counts.events;
    const offsets = new Float64Array(count);
    const lengths = new Uint32Array(count);
    const agents = new Int32Array(count);
    const actions = new Int32Array(count);
    const types = new Int32Array(count);
    const outcomes = new Int8Array(count);
    const leaves = new Uint8Array(count * HASH_SIZE);
    const strings: StringTables = { agents: new Strings(), actions: new Strings(), types: new Strings() };
    const source = await openFileSource(bundlePath);
    let events: FileHandle | undefined;
    try {
      const entries = await readZipEntries(source);
      const entry = entries.find((e) => e.name === EVENTS_FILE);
      if (!entry) throw new CharterError('not_found', `${fileName} has no ${EVENTS_FILE}`);
      events = await open(join(dir, EVENTS_FILE), 'w+', 0o600);
      const out = events;
      let written = 0;
      let i = 0;
      let carry: Buffer = Buffer.alloc(0);
      let carryStart = 0;
      const writes: Promise<unknown>[] = [];
      const line = (bytes: Buffer, start: number): void => {
        if (i >= count) throw new CharterError('internal', `${EVENTS_FILE} holds more events than its manifest`);
        const parsed = JSON.parse(bytes.toString('utf8')) as {
          agentId: string | null; action: string | null; type: string; outcome: string | null; digest: string;
        };
        offsets[i] = start;
        lengths[i] = bytes.length;
        agents[i] = strings.agents.id(parsed.agentId);
        actions[i] = strings.actions.id(parsed.action);
        types[i] = strings.types.id(parsed.type);
        outcomes[i] = OUTCOME_CODES.indexOf(parsed.outcome as (typeof OUTCOME_CODES)[number]);
        leaves.set(leafHashHex(parsed.digest), i * HASH_SIZE);
        i++;
      };
      await readEntry(source, entry, (chunk) => {
        const buffer = Buffer.from(chunk);
        writes.push(out.write(buffer, 0, buffer.length, written));
        const chunkStart = written;
        written += buffer.length;
        let from = 0;
        for (let nl = buffer.indexOf(10, from); nl !== -1; nl = buffer.indexOf(10, from)) {
          if (carry.length > 0) {
            line(Buffer.concat([carry, buffer.subarray(from, nl)]), carryStart);
            carry = Buffer.alloc(0);
          } else {
            line(buffer.subarray(from, nl), chunkStart + from);
          }
          from = nl + 1;
        }
        if (from < buffer.length) {
          if (carry.length === 0) carryStart = chunkStart + from;
          carry = Buffer.concat([carry, buffer.subarray(from)]);
        }
      });
      await Promise.all(writes);
      if (carry.length > 0 || i !== count) throw new CharterError('internal', `${EVENTS_FILE} does not hold the ${count} events its manifest lists`);
      const frontier = manifest.frontier.map((h) => fromHex32(h) as Uint8Array);
      const tree = new BundleTree(manifest.events.firstSeq - 1, frontier, leaves);
      return new OpenedBundle({
        fileName, bytes: source.size, manifest, dir, bundlePath, events: out,
        offsets, lengths, agents, actions, types, outcomes, strings, tree,
      });
    } catch (error) {
      await events?.close();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    } finally {
      await source.close();
    }
  }

  summary(): BundleSummary {
    const m = this.manifest;
    return {
      workspace: m.workspace,
      createdAt: m.createdAt,
      period: m.period,
      events: m.counts.events,
      firstSeq: m.events.firstSeq,
      eventsByType: m.counts.eventsByType,
      decisionsByOutcome: m.counts.decisionsByOutcome,
      checkpoint: m.checkpoint,
      previous: m.previous,
      contracts: m.contracts,
      files: m.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 ?? null, packedSha256: f.packedSha256 ?? null })),
      segments: m.events.segments.length,
    };
  }

  async page(filter: EventFilter, offset: number, limit: number): Promise<BundleEventsPage> {
    const matches = this.#match(filter);
    const rows: BundleEventRow[] = [];
    for (let k = offset; k < Math.min(matches.length, offset + limit); k++) {
      const { payload: _payload, ...row } = await this.#read(matches[k] as number);
      rows.push(row);
    }
    const facet = (s: Strings): readonly string[] => [...s.values].sort().slice(0, MAX_FACETS);
    return {
      rows,
      offset,
      total: matches.length,
      facets: { agents: facet(this.#strings.agents), actions: facet(this.#strings.actions), types: facet(this.#strings.types) },
    };
  }

  async event(seq: number): Promise<BundleEventDetail> {
    const index = seq - this.manifest.events.firstSeq;
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#offsets.length) {
      throw new CharterError('not_found', `Event ${seq} is not in this bundle (it holds ${this.manifest.events.firstSeq}–${this.manifest.checkpoint.treeSize}).`);
    }
    const { payload, ...event } = await this.#read(index);
    const inclusion = this.#tree.prove(seq - 1, fromHex32(this.manifest.checkpoint.rootHash) as Uint8Array);
    return { event, payload, inclusion };
  }

  async contract(name: string, version: number): Promise<string> {
    if (!this.manifest.contracts.some((c) => c.name === name && c.version === version)) {
      throw new CharterError('not_found', `This bundle does not carry contract ${name} v${version}.`);
    }
    return Buffer.from(await this.#entry(contractFileName(name, version))).toString('utf8');
  }

  async report(): Promise<string> {
    return Buffer.from(await this.#entry(REPORT_FILE)).toString('utf8');
  }

  async close(): Promise<void> {
    await this.#events.close().catch(() => {});
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #entry(name: string): Promise<Uint8Array> {
    const source = await openFileSource(this.#bundlePath);
    try {
      const entry = (await readZipEntries(source)).find((e) => e.name === name);
      if (!entry) throw new CharterError('not_found', `${name} is not in this bundle.`);
      return await readEntryBytes(source, entry);
    } finally {
      await source.close();
    }
  }

  async #read(index: number): Promise<BundleEventRow & { readonly payload: unknown }> {
    const length = this.#lengths[index] as number;
    const buffer = Buffer.allocUnsafe(length);
    await this.#events.read(buffer, 0, length, this.#offsets[index] as number);
    const e = JSON.parse(buffer.toString('utf8')) as BundleEventRow & { payload: unknown; payloadHash: string };
    return {
      seq: e.seq, ts: e.ts, type: e.type, agentId: e.agentId, action: e.action, outcome: e.outcome, traceId: e.traceId,
      payloadHash: e.payloadHash, digest: e.digest, payloadState: e.payloadState, payload: e.payload,
    };
  }

  #match(filter: EventFilter): Int32Array {
    const key = JSON.stringify([filter.agentId, filter.action, filter.outcome, filter.type]);
    if (this.#lastFilter?.key === key) return this.#lastFilter.matches;
    const agent = filter.agentId === undefined ? undefined : this.#strings.agents.find(filter.agentId);
    const action = filter.action === undefined ? undefined : this.#strings.actions.find(filter.action);
    const type = filter.type === undefined ? undefined : this.#strings.types.find(filter.type);
    const outcome = filter.outcome === undefined ? undefined : OUTCOME_CODES.indexOf(filter.outcome as (typeof OUTCOME_CODES)[number]);
    const n = this.#offsets.length;
    const hits = new Int32Array(n);
    let found = 0;
    for (let i = 0; i < n; i++) {
      if (agent !== undefined && this.#agents[i] !== agent) continue;
      if (action !== undefined && this.#actions[i] !== action) continue;
      if (type !== undefined && this.#types[i] !== type) continue;
      if (outcome !== undefined && this.#outcomes[i] !== outcome) continue;
      hits[found++] = i;
    }
    const matches = hits.slice(0, found);
    this.#lastFilter = { key, matches };
    return matches;
  }
}
