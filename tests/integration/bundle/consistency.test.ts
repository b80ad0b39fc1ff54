/**
 * Two bundles of one workspace: the later one proves it extends the earlier (consistency proof
 * or the Merkle frontier), and a bundle from a forked history fails. Periods export only their
 * events yet still prove the root of the whole trail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/engine/audit/audit-log.ts';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import type { ExportBundleOptions } from '../../../electron/engine/bundles/export.ts';
import { SegmentPool } from '../../../electron/engine/bundles/segment-pool.ts';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import { CONSISTENCY_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict, VerifiedBundle } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { bytesSource, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import type { TrustedKeys } from '../../../shared/merkle/jws.ts';
import { keysWorkspace } from '../../unit/keys/workspace.ts';
import { appendEvents, fixture, testBox } from '../../unit/bundle/fixture.ts';

// Each case runs in-process and on worker threads, in segments of 8 events: periods and earlier
// checkpoints then start, end and fall within segments.
let helperThread = false;
let pool: SegmentPool | null = null;

async function verified(path: string, trusted: TrustedKeys, previous?: VerifiedBundle): Promise<BundleVerdict> {
  return verifyBundle(bytesSource(readFileSync(path)), { trusted, ...(pool ? { segments: pool } : {}), ...(previous ? { previous } : {}) });
}

function bundleOf(verdict: BundleVerdict): VerifiedBundle {
  if (!verdict.ok) throw new Error(`${verdict.failure.kind}: ${verdict.failure.message}`);
  return verdict.bundle;
}

function threads(): Pick<ExportBundleOptions, 'workerThreads' | 'segmentEvents'> {
  return { workerThreads: helperThread, segmentEvents: 8 };
}

describe.each([false, true])('bundles of one workspace over time (worker threads: %s)', (threaded) => {
  beforeEach(async () => {
    helperThread = threaded;
    pool = threaded ? await SegmentPool.open({ threads: 2 }) : null;
  });
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('a later bundle carries a consistency proof from the earlier one, and it verifies', async () => {
    const f = await fixture(21);
    const first = join(f.dir, 'first.charter');
    await exportBundle(f.db, { ...threads(), out: first, signers: [f.signer] });
    appendEvents(f.audit, 30, 21);
    const second = join(f.dir, 'second.charter');
    const result = await exportBundle(f.db, { ...threads(), out: second, signers: [f.signer] });
    expect(result.manifest.previous?.treeSize).toBe(21);
    expect((await readZipEntries(bytesSource(readFileSync(second)))).map((e) => e.name)).toContain(CONSISTENCY_FILE);
    const trusted = await f.keys.trustedKeys();
    const earlier = bundleOf(await verified(first, trusted));
    expect(bundleOf(await verified(second, trusted, earlier)).consistency).toBe('verified');
    // The other way round is refused: the earlier bundle does not extend the later.
    const backwards = await verified(first, trusted, bundleOf(await verified(second, trusted)));
    expect(backwards.ok ? '' : backwards.failure.kind).toBe('consistency');
  });

  it('a bundle extends any earlier one whose checkpoint its events reach, not only the last export', async () => {
    const f = await fixture(10);
    const paths = ['e1', 'e2', 'e3'].map((n) => join(f.dir, `${n}.charter`)) as [string, string, string];
    await exportBundle(f.db, { ...threads(), out: paths[0], signers: [f.signer] });
    appendEvents(f.audit, 10, 10);
    await exportBundle(f.db, { ...threads(), out: paths[1], signers: [f.signer] });
    appendEvents(f.audit, 10, 20);
    await exportBundle(f.db, { ...threads(), out: paths[2], signers: [f.signer] });
    const late = join(f.dir, 'late.charter');
    await exportBundle(f.db, { ...threads(), out: late, signers: [f.signer], from: '2025-01-03T00:00:00Z', record: false });
    const trusted = await f.keys.trustedKeys();
    const first = bundleOf(await verified(paths[0], trusted));
    expect(bundleOf(await verified(paths[2], trusted, first)).consistency).toBe('verified');
    // Its events start after the first bundle's checkpoint and it proves only from the last export.
    const unprovable = await verified(late, trusted, first);
    expect(unprovable.ok ? '' : unprovable.failure.message).toMatch(/carries no consistency proof from tree size 10/);
    expect(bundleOf(await verified(late, trusted, bundleOf(await verified(paths[1], trusted)))).consistency).toBe('verified');
  });

  it('a period bundle holds only its events and extends the bundle of the period before through its frontier', async () => {
    const f = await fixture(70);
    const january1 = join(f.dir, 'w1.charter');
    const january2 = join(f.dir, 'w2.charter');
    const one = await exportBundle(f.db, { ...threads(), out: january1, signers: [f.signer], to: '2025-01-05T00:00:00Z', record: false });
    const two = await exportBundle(f.db, { ...threads(), out: january2, signers: [f.signer], from: '2025-01-05T00:00:00Z', to: '2025-01-09T00:00:00Z', record: false });
    expect(one.manifest.events.firstSeq).toBe(1);
    expect(one.manifest.counts.events).toBe(28);
    expect(two.manifest.events.firstSeq).toBe(29);
    expect(two.manifest.counts.events).toBe(28);
    expect(two.manifest.frontier.length).toBeGreaterThan(0);
    const trusted = await f.keys.trustedKeys();
    const w1 = bundleOf(await verified(january1, trusted));
    expect(bundleOf(await verified(january2, trusted, w1)).consistency).toBe('verified');
  });

  it('a bundle from a forked history fails against the other branch', async () => {
    const f = await fixture(10);
    const forkPath = join(f.dir, 'fork.db');
    f.db.sqlite.exec(`vacuum into '${forkPath}'`);
    const fork = await keysWorkspace(forkPath);
    const forkAudit = new AuditLog(fork, { checkpointEvery: 0 });
    appendEvents(f.audit, 5, 10, ' main');
    appendEvents(forkAudit, 5, 10, ' forked');
    const forkKeys = new KeyStore(fork, testBox());
    const [mainA, forkA, forkB] = ['main-a', 'fork-a', 'fork-b'].map((n) => join(f.dir, `${n}.charter`)) as [string, string, string];
    await exportBundle(f.db, { ...threads(), out: mainA, signers: [f.signer] });
    await exportBundle(fork, { ...threads(), out: forkA, signers: [await forkKeys.signer()] });
    appendEvents(forkAudit, 5, 15, ' forked');
    await exportBundle(fork, { ...threads(), out: forkB, signers: [await forkKeys.signer()] });

    const trusted = await f.keys.trustedKeys();
    const onFork = bundleOf(await verified(forkA, trusted));
    const onMain = bundleOf(await verified(mainA, trusted));
    expect(onFork.manifest.workspace.id).toBe(onMain.manifest.workspace.id);
    expect(bundleOf(await verified(forkB, trusted, onFork)).consistency).toBe('verified');
    const forked = await verified(forkB, trusted, onMain);
    expect(forked.ok ? '' : forked.failure.kind).toBe('consistency');
    expect(forked.ok ? '' : forked.failure.message).toMatch(/forked history/);
    const sameSize = await verified(forkA, trusted, onMain);
    expect(sameSize.ok ? '' : sameSize.failure.message).toMatch(/different root hashes \(a forked history\)/);
  });

  it('refuses to export a trail whose chain is broken, naming the first event that does not chain, and writes no file', async () => {
    const f = await fixture(40);
    f.db.sqlite.exec('drop trigger audit_events_append_only_update');
    f.db.sqlite.prepare(`update audit_events set action = 'forged' where seq in (17, 30)`).run();
    const out = join(f.dir, 'broken.charter');
    await expect(exportBundle(f.db, { ...threads(), out, signers: [f.signer] })).rejects.toThrow(/audit event 17 does not chain/);
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  });

  it('refuses to export a trail that was rewritten under an earlier export', async () => {
    const f = await fixture(10);
    await exportBundle(f.db, { ...threads(), out: join(f.dir, 'a.charter'), signers: [f.signer] });
    f.db.sqlite.prepare(`update bundle_exports set root_hash = ?`).run('00'.repeat(32));
    appendEvents(f.audit, 3, 10);
    await expect(exportBundle(f.db, { ...threads(), out: join(f.dir, 'b.charter'), signers: [f.signer] })).rejects.toThrow(/no longer matches the bundle exported at 10 events/);
  });
});
