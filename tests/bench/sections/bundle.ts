/**
 * Bundle export and verification on a 1,000,000-event trail (100,000 with --quick), each in its
 * own child process so its peak RSS is its own (worker threads included). Reference: a plain
 * deflate + SHA-256 of the very same events.ndjson bytes with the same zlib settings, on one
 * thread — the least a single-threaded bundle writer must do. Also: RFC 9162 inclusion proof
 * verification on a 2^20-leaf tree (2^17 quick).
 *
 * Run directly (`node --import tsx tests/bench/sections/bundle.ts MODE …`) it is that child.
 */
import { spawnSync } from 'node:child_process';
import { createHash, hash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDeflateRaw } from 'node:zlib';
import canonicalize from 'canonicalize';
import { GENESIS_DIGEST, eventHeaderBytes } from '../../../shared/audit.ts';
import type { AuditEventHeader } from '../../../shared/audit.ts';
import { EVENTS_FILE } from '../../../shared/bundle/format.ts';
import { readEntry, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import { DEFAULT_LEVEL, DEFLATE_OPTIONS } from '../../../shared/bundle/zip-writer.ts';
import { leafHash, nodeHash } from '../../../shared/merkle/hash.ts';
import { TrustedKeys } from '../../../shared/merkle/jws.ts';
import { verifyInclusion } from '../../../shared/merkle/verify.ts';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { openFileSource } from '../../../electron/engine/bundles/file-source.ts';
import { verifyBundleFile } from '../../../electron/engine/bundles/verify-file.ts';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import { PassphraseSecretBox } from '../../../electron/engine/keys/secret-box.ts';
import { openWorkspaceDatabase } from '../../../electron/engine/store/database.ts';
import type { BenchSection } from './section.ts';

const SELF = fileURLToPath(import.meta.url);
const PASSPHRASE = 'bench';
const box = (): PassphraseSecretBox => new PassphraseSecretBox(PASSPHRASE, { costLog2: 10 });

/** Writes `count` chained events straight into the tables (one transaction), as AuditLog would. */
async function populate(path: string, count: number): Promise<void> {
  const db = await openWorkspaceDatabase(path);
  const insertEvent = db.sqlite.prepare(`insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertPayload = db.sqlite.prepare(`insert into audit_payloads (seq, payload, state) values (?, ?, 'intact')`);
  const outcomes = ['allow', 'allow', 'allow', 'deny', 'escalate'] as const;
  // 997 distinct payloads, canonicalised and hashed once each: setup time is not what is measured.
  const payloads = new Map<number, { text: string; hash: string }>();
  const payloadFor = (seq: number): { text: string; hash: string } => {
    const key = seq % 997;
    let p = payloads.get(key);
    if (!p) {
      const outcome = outcomes[key % 5] as (typeof outcomes)[number];
      const text = canonicalize({
        input: { prompt: `customer question ${key}`, ticket: `T-${key}` }, output: null, usage: { tokens: 40 + (key % 200) },
        sessionId: `s-${key}`, requestedAgentId: null, reasons: [{ ruleId: outcome === 'deny' ? 'maturity.gate' : 'support/allow', message: 'rule matched' }],
        obligations: { redact: [] }, contract: { name: 'support', version: 3, hash: 'a1'.repeat(32) }, rung: 'explicit', cacheHit: key % 3 === 0, latencyUs: 20 + (key % 50), degraded: null,
      }) as string;
      p = { text, hash: hash('sha256', text, 'hex') };
      payloads.set(key, p);
    }
    return p;
  };
  db.sqlite.transaction(() => {
    let prev = GENESIS_DIGEST;
    const start = Date.UTC(2025, 0, 1);
    for (let seq = 1; seq <= count; seq++) {
      const outcome = outcomes[(seq % 997) % 5] as (typeof outcomes)[number];
      const payload = payloadFor(seq);
      const header: AuditEventHeader = {
        seq, ts: new Date(start + seq * 1000).toISOString(), type: 'decision', agentId: `agent-${seq % 20}`, action: seq % 2 ? 'stream_chat' : 'tool:search',
        outcome, traceId: `trace-${seq.toString(36)}`, payloadHash: payload.hash,
      };
      const digest = hash('sha256', prev + eventHeaderBytes(header), 'hex');
      insertEvent.run(seq, header.ts, header.type, header.agentId, header.action, header.outcome, header.traceId, header.payloadHash, prev, digest);
      insertPayload.run(seq, payload.text);
      prev = digest;
    }
  })();
  const keys = new KeyStore(db, box());
  await keys.signer();
  writeFileSync(`${path}.jwks`, JSON.stringify(keys.publicJwks()));
  await db.close();
}

interface ChildResult {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly detail?: string;
}

async function child(mode: string, args: readonly string[]): Promise<ChildResult> {
  let started = performance.now();
  let detail: string | undefined;
  if (mode === 'export') {
    const [dbPath, out] = args as [string, string];
    const db = await openWorkspaceDatabase(dbPath);
    const signer = await new KeyStore(db, box()).signer();
    await exportBundle(db, { out, signers: [signer], record: false });
    await db.close();
  } else if (mode === 'verify') {
    const [bundle, jwks] = args as [string, string];
    const trusted = await TrustedKeys.fromJwks(JSON.parse(readFileSync(jwks, 'utf8')));
    // As `charter bundle verify` does: segments on worker threads.
    const verdict = await verifyBundleFile(bundle, { trusted });
    detail = verdict.ok ? 'ok' : verdict.failure.message;
  } else if (mode === 'reference') {
    // Untimed: write the bundle's events.ndjson out, then time deflate + SHA-256 of it.
    const [bundle, ndjson] = args as [string, string];
    const source = await openFileSource(bundle);
    const entry = (await readZipEntries(source)).find((e) => e.name === EVENTS_FILE);
    const parts: Buffer[] = [];
    if (entry) await readEntry(source, entry, (c) => parts.push(Buffer.from(c)));
    writeFileSync(ndjson, Buffer.concat(parts));
    parts.length = 0;
    await source.close();
    started = performance.now();
    const sha = createHash('sha256');
    const deflate = createDeflateRaw({ ...DEFLATE_OPTIONS, level: DEFAULT_LEVEL });
    let packed = 0;
    deflate.on('data', (c: Buffer) => { packed += c.length; });
    const done = new Promise((resolve) => deflate.on('end', resolve));
    for await (const chunk of createReadStream(ndjson, { highWaterMark: 1 << 20 })) {
      sha.update(chunk as Buffer);
      if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
    }
    deflate.end();
    await done;
    detail = `${sha.digest('hex').slice(0, 8)} ${packed}`;
  } else if (mode === 'populate') {
    await populate(args[0] as string, Number(args[1]));
  }
  return { ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, ...(detail ? { detail } : {}) };
}

function runChild(mode: string, ...args: string[]): ChildResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', SELF, mode, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child ${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as ChildResult;
}

function inclusionBench(log2: number): number {
  // A perfect tree (size 2^k) is the same under RFC 9162's split rule; keep every level.
  const levels: Uint8Array[][] = [Array.from({ length: 2 ** log2 }, (_, i) => leafHash(Buffer.from(i.toString(16))))];
  while ((levels[levels.length - 1] as Uint8Array[]).length > 1) {
    const below = levels[levels.length - 1] as Uint8Array[];
    const above: Uint8Array[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(nodeHash(below[i] as Uint8Array, below[i + 1] as Uint8Array));
    levels.push(above);
  }
  const root = (levels[levels.length - 1] as Uint8Array[])[0] as Uint8Array;
  const size = 2 ** log2;
  const proofs = Array.from({ length: 200 }, () => {
    const index = randomBytes(4).readUInt32LE() % size;
    const proof = levels.slice(0, -1).map((level, h) => level[(index >> h) ^ 1] as Uint8Array);
    return { index, proof, leaf: (levels[0] as Uint8Array[])[index] as Uint8Array };
  });
  const rounds = 10;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const p of proofs) if (!verifyInclusion(p.index, size, p.leaf, p.proof, root)) throw new Error('inclusion proof failed');
  }
  return ((performance.now() - started) * 1000) / (rounds * proofs.length);
}

export const bundleSection: BenchSection = {
  name: 'bundle',
  async run({ quick, log }) {
    const events = quick ? 100_000 : 1_000_000;
    const dir = mkdtempSync(join(tmpdir(), 'charter-bench-bundle-'));
    try {
      const db = join(dir, 'ws.db');
      const out = join(dir, 'trail.charter');
      const ndjson = join(dir, 'events.ndjson');
      const setup = await child('populate', [db, String(events)]);
      log(`trail of ${events} events written in ${(setup.ms / 1000).toFixed(1)} s`);
      const exported = runChild('export', db, out);
      const verified = runChild('verify', out, `${db}.jwks`);
      if (verified.detail !== 'ok') throw new Error(`bundle did not verify: ${verified.detail}`);
      // Only export and verify need a process of their own (for their peak RSS).
      const reference = await child('reference', [out, ndjson]);
      const bytes = statSync(out).size;
      const proofUs = inclusionBench(quick ? 17 : 20);
      const figures = {
        bundle_events: events,
        bundle_export_s: +(exported.ms / 1000).toFixed(2),
        bundle_export_events_per_s: Math.round(events / (exported.ms / 1000)),
        bundle_export_peak_rss_mb: Math.round(exported.maxRssMb),
        bundle_verify_s: +(verified.ms / 1000).toFixed(2),
        bundle_verify_events_per_s: Math.round(events / (verified.ms / 1000)),
        bundle_verify_peak_rss_mb: Math.round(verified.maxRssMb),
        bundle_bytes_per_event: +(bytes / events).toFixed(1),
        bundle_reference_zip_sha256_s: +(reference.ms / 1000).toFixed(2),
        bundle_export_vs_reference: +(exported.ms / reference.ms).toFixed(2),
        bundle_verify_vs_reference: +(verified.ms / reference.ms).toFixed(2),
        inclusion_proof_verify_us: +proofUs.toFixed(1),
        // Both sides are timed on a shared machine: the load says how much of it they had.
        bundle_load_average_1m: +(loadavg()[0] as number).toFixed(2),
      };
      log(`export   ${figures.bundle_export_s} s (${figures.bundle_export_events_per_s} events/s), peak RSS ${figures.bundle_export_peak_rss_mb} MB  [target ≤ 10 s, ≤ 400 MB at 1M]`);
      log(`verify   ${figures.bundle_verify_s} s (${figures.bundle_verify_events_per_s} events/s), peak RSS ${figures.bundle_verify_peak_rss_mb} MB  [target ≤ 5 s at 1M]`);
      log(`size     ${figures.bundle_bytes_per_event} bytes/event (${(bytes / 1e6).toFixed(1)} MB)`);
      log(`reference: deflate + SHA-256 of the same events.ndjson ${figures.bundle_reference_zip_sha256_s} s → export ×${figures.bundle_export_vs_reference}, verify ×${figures.bundle_verify_vs_reference}`);
      log(`inclusion proof verify ${figures.inclusion_proof_verify_us} µs (2^${quick ? 17 : 20} leaves); load average ${figures.bundle_load_average_1m} on ${availableParallelism()} cores`);
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (process.argv[1] && fileURLToPath(`file://${process.argv[1]}`) === SELF) {
  const [mode, ...args] = process.argv.slice(2);
  const result = await child(mode ?? '', args);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
