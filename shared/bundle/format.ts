/**
 * The `.charter` bundle format, version 1: a zip whose `manifest.json` (RFC 8785 canonical JSON)
 * lists every other file with its SHA-256 and size, and whose `signatures.json` holds compact
 * JWS (EdDSA) over the manifest's exact bytes. docs/bundles.md describes it for auditors.
 */
import { reject } from './failures.ts';

export const FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURES_FILE = 'signatures.json';
export const EVENTS_FILE = 'events.ndjson';
export const CONSISTENCY_FILE = 'consistency.json';
export const REPORT_FILE = 'report.html';
export const MANIFEST_TYP = 'charter-manifest+jws';

export interface ManifestFile {
  readonly path: string;
  /**
   * Uncompressed size and SHA-256 (hex) of the content. events.ndjson has neither hash here: its
   * segments carry the SHA-256 of their stored bytes, and every event in it is proven on its own
   * (chain, payload hash, Merkle root) — all of which a verifier checks in parallel.
   */
  readonly size: number;
  readonly sha256?: string;
  /** Size and SHA-256 of the bytes as stored in the zip, so no compressed bit goes unchecked. */
  readonly packedSize: number;
  readonly packedSha256?: string;
}

export interface ManifestContract {
  readonly name: string;
  readonly version: number;
  /** SHA-256 (hex) of the YAML source, which is the file `contracts/<name>@<version>.yaml`. */
  readonly hash: string;
}

export interface ManifestCheckpoint {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly headDigest: string;
}

/**
 * A run of events in events.ndjson that can be checked on its own: its deflate data starts
 * afresh (no back-reference into the bytes before it) at the end of the previous segment's, and
 * its first event chains to `prevDigest`. Segments follow each other with no gap.
 */
export interface ManifestSegment {
  readonly firstSeq: number;
  readonly count: number;
  /** The digest of the event before firstSeq (the genesis digest before the trail's first). */
  readonly prevDigest: string;
  /** Its bytes in events.ndjson, and as stored (deflated); SHA-256 of the latter. */
  readonly size: number;
  readonly packedSize: number;
  readonly packedSha256: string;
}

export interface Manifest {
  readonly formatVersion: number;
  readonly workspace: { readonly id: string; readonly name: string };
  readonly createdAt: string;
  readonly period: { readonly from: string | null; readonly to: string | null };
  readonly contracts: readonly ManifestContract[];
  readonly counts: {
    readonly events: number;
    readonly eventsByType: Readonly<Record<string, number>>;
    readonly decisionsByOutcome: Readonly<Record<string, number>>;
  };
  /** The events held: seqs firstSeq..checkpoint.treeSize, the digest of the event before them, their segments. */
  readonly events: { readonly firstSeq: number; readonly prevDigest: string; readonly segments: readonly ManifestSegment[] };
  /** The Merkle tree of the events before firstSeq, as its perfect-subtree roots (largest first). */
  readonly frontier: readonly string[];
  readonly checkpoint: ManifestCheckpoint;
  /** The checkpoint of the workspace's previous export; consistency.json proves this one extends it. */
  readonly previous: { readonly treeSize: number; readonly rootHash: string } | null;
  readonly files: readonly ManifestFile[];
}

export interface ConsistencyDocument {
  readonly from: { readonly treeSize: number; readonly rootHash: string };
  readonly to: { readonly treeSize: number; readonly rootHash: string };
  readonly proof: readonly string[];
}

export function contractFileName(name: string, version: number): string {
  return `contracts/${name}@${version}.yaml`;
}

const HEX64 = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;

function bad(pointer: string, what: string): never {
  return reject('archive', `manifest.json ${pointer}: ${what}`, { file: MANIFEST_FILE });
}

function obj(value: unknown, pointer: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(pointer, 'expected an object');
  return value as Json;
}

function int(value: unknown, pointer: string, min = 0): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) bad(pointer, `expected an integer ≥ ${min}`);
  return value as number;
}

function str(value: unknown, pointer: string): string {
  if (typeof value !== 'string') bad(pointer, 'expected a string');
  return value;
}

function hex(value: unknown, pointer: string): string {
  if (typeof value !== 'string' || !HEX64.test(value)) bad(pointer, 'expected 64 lowercase hex digits');
  return value;
}

function nullableStr(value: unknown, pointer: string): string | null {
  return value === null ? null : str(value, pointer);
}

function counts(value: unknown, pointer: string): Record<string, number> {
  const o = obj(value, pointer);
  for (const [k, v] of Object.entries(o)) int(v, `${pointer}/${k}`);
  return o as Record<string, number>;
}

/** Segments must start at firstSeq after prevDigest, follow each other and end at the checkpoint. */
function segments(value: unknown, firstSeq: number, prevDigest: string, treeSize: number): void {
  if (!Array.isArray(value)) bad('/events/segments', 'expected an array');
  let seq = firstSeq;
  (value as unknown[]).forEach((s, i) => {
    const at = `/events/segments/${i}`;
    const o = obj(s, at);
    if (int(o.firstSeq, `${at}/firstSeq`, 1) !== seq) bad(`${at}/firstSeq`, `expected ${seq}, where the segment before ends`);
    seq += int(o.count, `${at}/count`, 1);
    hex(o.prevDigest, `${at}/prevDigest`);
    if (i === 0 && o.prevDigest !== prevDigest) bad(`${at}/prevDigest`, 'differs from /events/prevDigest');
    int(o.size, `${at}/size`, 1);
    int(o.packedSize, `${at}/packedSize`, 1);
    hex(o.packedSha256, `${at}/packedSha256`);
  });
  if (seq !== treeSize + 1) bad('/events/segments', `they end at event ${seq - 1}, not at the checkpoint (${treeSize})`);
}

/** Only formatVersion, read before anything else so a newer bundle is refused clearly. */
export function peekFormatVersion(parsed: unknown): unknown {
  return parsed !== null && typeof parsed === 'object' ? (parsed as Json).formatVersion : undefined;
}

/** Checks the shape of a parsed (and already signature-checked) manifest. */
export function parseManifest(parsed: unknown): Manifest {
  const m = obj(parsed, '');
  if (m.formatVersion !== FORMAT_VERSION) bad('/formatVersion', `expected ${FORMAT_VERSION}`);
  const workspace = obj(m.workspace, '/workspace');
  str(workspace.id, '/workspace/id');
  str(workspace.name, '/workspace/name');
  str(m.createdAt, '/createdAt');
  const period = obj(m.period, '/period');
  nullableStr(period.from, '/period/from');
  nullableStr(period.to, '/period/to');
  if (!Array.isArray(m.contracts)) bad('/contracts', 'expected an array');
  (m.contracts as unknown[]).forEach((c, i) => {
    const o = obj(c, `/contracts/${i}`);
    str(o.name, `/contracts/${i}/name`);
    int(o.version, `/contracts/${i}/version`, 1);
    hex(o.hash, `/contracts/${i}/hash`);
  });
  const c = obj(m.counts, '/counts');
  int(c.events, '/counts/events');
  counts(c.eventsByType, '/counts/eventsByType');
  counts(c.decisionsByOutcome, '/counts/decisionsByOutcome');
  const events = obj(m.events, '/events');
  int(events.firstSeq, '/events/firstSeq', 1);
  hex(events.prevDigest, '/events/prevDigest');
  if (!Array.isArray(m.frontier)) bad('/frontier', 'expected an array');
  (m.frontier as unknown[]).forEach((h, i) => hex(h, `/frontier/${i}`));
  const cp = obj(m.checkpoint, '/checkpoint');
  int(cp.treeSize, '/checkpoint/treeSize');
  hex(cp.rootHash, '/checkpoint/rootHash');
  hex(cp.headDigest, '/checkpoint/headDigest');
  if (m.previous !== null) {
    const p = obj(m.previous, '/previous');
    int(p.treeSize, '/previous/treeSize');
    hex(p.rootHash, '/previous/rootHash');
  }
  if (!Array.isArray(m.files)) bad('/files', 'expected an array');
  (m.files as unknown[]).forEach((f, i) => {
    const o = obj(f, `/files/${i}`);
    str(o.path, `/files/${i}/path`);
    int(o.size, `/files/${i}/size`);
    if (o.sha256 !== undefined) hex(o.sha256, `/files/${i}/sha256`);
    int(o.packedSize, `/files/${i}/packedSize`);
    if (o.packedSha256 !== undefined) hex(o.packedSha256, `/files/${i}/packedSha256`);
  });
  if ((events.firstSeq as number) > (cp.treeSize as number) + 1) bad('/events/firstSeq', 'is beyond the checkpoint');
  segments(events.segments, events.firstSeq as number, events.prevDigest as string, cp.treeSize as number);
  if ((c.events as number) !== (cp.treeSize as number) - (events.firstSeq as number) + 1) {
    bad('/counts/events', 'does not equal the number of seqs from /events/firstSeq to /checkpoint/treeSize');
  }
  return m as unknown as Manifest;
}
