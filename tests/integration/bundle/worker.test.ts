/** Long exports run in a worker thread: progress arrives, cancel stops it and leaves no file. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundleInWorker } from '../../../electron/engine/bundles/export-in-worker.ts';
import type { ExportProgress } from '../../../electron/engine/bundles/export.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { bytesSource } from '../../../shared/bundle/zip-reader.ts';
import { appendEvents, fixture } from '../../unit/bundle/fixture.ts';

describe('export in a worker thread', () => {
  it('reports progress and writes a bundle signed by the parent\'s key', async () => {
    const f = await fixture(0);
    f.db.sqlite.transaction(() => appendEvents(f.audit, 9000))();
    const out = join(f.dir, 'w.charter');
    const seen: ExportProgress[] = [];
    const result = await exportBundleInWorker(f.db.path, { out, signers: [f.signer], onProgress: (p) => seen.push(p) });
    expect(result.manifest.counts.events).toBe(9000);
    expect(seen.filter((p) => p.phase === 'events').map((p) => p.done)).toEqual([4096, 8192]);
    expect(seen.every((p) => p.total === 9000)).toBe(true);
    const verdict = await verifyBundle(bytesSource(readFileSync(out)), { trusted: await f.keys.trustedKeys() });
    expect(verdict.ok).toBe(true);
  });

  it('stops when cancelled, removing its partial file', async () => {
    const f = await fixture(0);
    f.db.sqlite.transaction(() => appendEvents(f.audit, 9000))();
    const out = join(f.dir, 'c.charter');
    const controller = new AbortController();
    const exporting = exportBundleInWorker(f.db.path, { out, signers: [f.signer], signal: controller.signal, onProgress: () => controller.abort() });
    await expect(exporting).rejects.toMatchObject({ code: 'cancelled' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(f.dir).filter((n) => n.includes('.charter'))).toEqual([]);
  });
});
