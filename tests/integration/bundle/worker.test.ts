/** Long exports run in a worker thread: progress arrives, cancel stops it and leaves no file. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundleInWorker } from '../../../electron/engine/bundles/export-in-worker.ts';
import type { ExportProgress } from '../../../electron/engine/bundles/export.ts';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { verifyBundleInWorker } from '../../../electron/engine/bundles/verify-in-worker.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { bytesSource, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import { appendEvents, fixture } from '../../unit/bundle/fixture.ts';

describe('export in a worker thread', () => {
  it('reports progress and writes a bundle signed by the parent\'s key', async () => {
    const f = await fixture(0);
    f.db.sqlite.transaction(() => appendEvents(f.audit, 9000))();
    const out = join(f.dir, 'w.charter');
    const seen: ExportProgress[] = [];
    // The worker starts threads of its own, one segment of events each at a time.
    const result = await exportBundleInWorker(f.db.path, { out, signers: [f.signer], workerThreads: true, segmentEvents: 4096, onProgress: (p) => seen.push(p) });
    expect(result.manifest.counts.events).toBe(9000);
    expect(result.manifest.events.segments.map((s) => s.count)).toEqual([4096, 4096, 808]);
    // One step per segment, in the order segments finish (the short last one may come early).
    const done = seen.filter((p) => p.phase === 'events').map((p) => p.done);
    expect(done).toHaveLength(3);
    expect(done[2]).toBe(9000);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(seen.every((p) => p.total === 9000)).toBe(true);
    const verdict = await verifyBundle(bytesSource(readFileSync(out)), { trusted: await f.keys.trustedKeys() });
    expect(verdict.ok).toBe(true);
  });

  it('stops when cancelled, removing its partial file', async () => {
    const f = await fixture(0);
    f.db.sqlite.transaction(() => appendEvents(f.audit, 9000))();
    const out = join(f.dir, 'c.charter');
    const controller = new AbortController();
    const exporting = exportBundleInWorker(f.db.path, { out, signers: [f.signer], workerThreads: true, segmentEvents: 4096, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(exporting).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(f.dir).filter((n) => n.includes('.charter'))).toEqual([]);
  });
});

describe('verification in a worker thread', () => {
  it('verifies with the given keys, checks --previous first, and names a tampered bundle', async () => {
    const f = await fixture(30);
    const first = join(f.dir, 'v1.charter');
    const second = join(f.dir, 'v2.charter');
    await exportBundle(f.db, { out: first, signers: [f.signer] });
    appendEvents(f.audit, 5, 30);
    await exportBundle(f.db, { out: second, signers: [f.signer] });
    const trusted = f.keys.trustedJwks();
    const progress: number[] = [];
    const verdict = await verifyBundleInWorker(second, { trusted, previousPath: first, onProgress: (p) => progress.push(p.bytes) });
    expect(verdict.ok ? verdict.bundle.consistency : verdict.failure.message).toBe('verified');
    expect(progress.length).toBeGreaterThan(0);
    const bytes = readFileSync(first);
    const events = (await readZipEntries(bytesSource(bytes))).find((e) => e.name === 'events.ndjson');
    const at = Math.floor(((events?.dataStart ?? 0) + (events?.dataEnd ?? 0)) / 2);
    bytes[at] = (bytes[at] as number) ^ 0x55;
    writeFileSync(first, bytes);
    const refused = await verifyBundleInWorker(second, { trusted, previousPath: first });
    expect(refused.ok ? '' : `${refused.failure.kind}: ${refused.failure.message}`).toMatch(/^tampered: the previous bundle v1.charter: events.ndjson/);
    const untrusted = await verifyBundleInWorker(second, { trusted: { keys: [] } });
    expect(untrusted.ok ? '' : untrusted.failure.kind).toBe('untrusted_key');
  });
});
