import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eraseStoredPayload, redactStoredPayload } from '../../../electron/engine/audit/payloads.ts';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { bytesSource } from '../../../shared/bundle/zip-reader.ts';
import type { BundleVerdict } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { SegmentPool } from '../../../electron/engine/bundles/segment-pool.ts';
import { appendEvents, fixture } from './fixture.ts';
import { get, put, resign, unpack } from './forge.ts';

describe('bundle export and verification', () => {
  it('exports a bundle that verifies with the workspace key', async () => {
    const f = await fixture(40);
    const out = join(f.dir, 'a.charter');
    const result = await exportBundle(f.db, { out, signers: [f.signer] });
    expect(result.manifest.counts.events).toBe(40);
    const verdict = await verifyBundle(bytesSource(readFileSync(out)), { trusted: await f.keys.trustedKeys() });
    if (!verdict.ok) throw new Error(verdict.failure.message);
    expect(verdict.bundle.signers).toEqual([f.signer.kid]);
  });

  it('writes the same bytes with and without worker threads, and both verifiers agree, also on a tampered event', async () => {
    const f = await fixture(300);
    const now = (): Date => new Date('2025-06-01T00:00:00.000Z');
    const inline = join(f.dir, 'inline.charter');
    const threaded = join(f.dir, 'threaded.charter');
    // Segments of 64 events: five of them, the last one short.
    await exportBundle(f.db, { out: inline, signers: [f.signer], now, record: false, workerThreads: false, segmentEvents: 64 });
    await exportBundle(f.db, { out: threaded, signers: [f.signer], now, record: false, workerThreads: true, segmentEvents: 64 });
    const bytes = readFileSync(threaded);
    expect(bytes.equals(readFileSync(inline))).toBe(true);
    const trusted = await f.keys.trustedKeys();
    const pool = await SegmentPool.open({ threads: 2 });
    onTestFinished(() => pool.close());
    const verify = (b: Uint8Array, threads: boolean): Promise<BundleVerdict> => verifyBundle(bytesSource(b), { trusted, ...(threads ? { segments: pool } : {}) });
    for (const helperThread of [false, true]) {
      const verdict = await verify(bytes, helperThread);
      expect(verdict.ok).toBe(true);
    }
    const files = await unpack(bytes);
    const events = Buffer.from(get(files, 'events.ndjson')).toString().replace('"seq":150,"ts":"', '"seq":150,"ts":"1');
    const forged = resign(put(files, 'events.ndjson', events), [f.signer]);
    for (const helperThread of [false, true]) {
      const verdict = await verify(forged, helperThread);
      expect(verdict.ok ? 'accepted' : `${verdict.failure.kind} ${verdict.failure.seq}`).toBe('event_mismatch 150');
    }
    // A changed payload (its hash is checked apart from the line) is named before a later broken line.
    const lines = Buffer.from(get(files, 'events.ndjson')).toString().split('\n');
    lines[120] = (lines[120] as string).replace('"question ', '"answer ');
    lines[249] = (lines[249] as string).replace('"seq":250,"ts":"', '"seq":250,"ts":"1');
    const twice = resign(put(files, 'events.ndjson', lines.join('\n')), [f.signer]);
    for (const helperThread of [false, true]) {
      const verdict = await verify(twice, helperThread);
      expect(verdict.ok ? 'accepted' : `${verdict.failure.seq} ${verdict.failure.message}`).toBe('121 event 121: its payload does not match its payload hash');
    }
  });

  it('writes a report readable without Charter: contracts, outcomes, blocked actions, root hash, nothing external', async () => {
    const f = await fixture(40);
    const out = join(f.dir, 'a.charter');
    const { manifest } = await exportBundle(f.db, { out, signers: [f.signer] });
    const html = Buffer.from(get(await unpack(readFileSync(out)), 'report.html')).toString();
    expect(html).toContain(manifest.checkpoint.rootHash);
    expect(html).toMatch(/<td>support<\/td><td>1<\/td>/);
    expect(html).toMatch(/<svg role="img" aria-label="Decisions by outcome"/);
    expect(html).toContain('maturity.gate');
    expect(html).toMatch(/\d+ approvals requested, \d+ approved, \d+ denied/);
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=|url\(|https?:\/\//i);
  });
});

describe('payloads removed after the fact', () => {
  it('still verify: redacted and erased payloads are carried as such, the chain intact', async () => {
    const f = await fixture(12);
    redactStoredPayload(f.db, 1, [{ path: '/input/email', method: 'mask', dataClass: 'PII' }]);
    eraseStoredPayload(f.db, 2);
    const out = join(f.dir, 'r.charter');
    await exportBundle(f.db, { out, signers: [f.signer] });
    const bytes = readFileSync(out);
    const verdict = await verifyBundle(bytesSource(bytes), { trusted: await f.keys.trustedKeys() });
    expect(verdict.ok).toBe(true);
    const lines = Buffer.from(get(await unpack(bytes), 'events.ndjson')).toString().split('\n');
    expect(lines[0]).toContain('"payloadState":"redacted"');
    expect(lines[0]).not.toContain('x@example.com');
    expect(lines[1]).toMatch(/"payloadState":"erased","payload":null}$/);
    // Claiming a redacted payload is intact is caught, even when a trusted key re-signs.
    const files = put(await unpack(bytes), 'events.ndjson', lines.map((l, i) => (i === 0 ? l.replace('"redacted"', '"intact"') : l)).join('\n'));
    const forged = await verifyBundle(bytesSource(resign(files, [f.signer])), { trusted: await f.keys.trustedKeys() });
    expect(forged.ok ? null : [forged.failure.kind, forged.failure.seq]).toEqual(['event_mismatch', 1]);
  });
});

describe('lines the fast reader does not take', () => {
  it('verifies events whose fields need escapes or are not ASCII, in every segment, here and on worker threads', async () => {
    const f = await fixture(0);
    for (let i = 0; i < 40; i++) {
      f.audit.append({
        type: 'decision', ts: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(), outcome: 'allow',
        // A quote (escaped in JSON), a control character, accents and an emoji, in header and payload.
        agentId: i % 3 === 0 ? `agent "${i}"` : `agent-${i}`, action: i % 4 === 0 ? 'présenter\tle graphique' : 'stream_chat', traceId: `t${i}`,
        payload: { note: i % 2 ? `réponse ${i} 🚀` : `plain ${i}`, reasons: [] },
      });
    }
    redactStoredPayload(f.db, 5, [{ path: '/note', method: 'mask', dataClass: 'PII' }]);
    eraseStoredPayload(f.db, 6);
    const out = join(f.dir, 'u.charter');
    await exportBundle(f.db, { out, signers: [f.signer], segmentEvents: 8 });
    const bytes = readFileSync(out);
    const trusted = await f.keys.trustedKeys();
    const pool = await SegmentPool.open({ threads: 2 });
    onTestFinished(() => pool.close());
    for (const segments of [undefined, pool]) {
      const verdict = await verifyBundle(bytesSource(bytes), { trusted, ...(segments ? { segments } : {}) });
      expect(verdict.ok ? verdict.bundle.manifest.events.segments.length : verdict.failure.message).toBe(5);
    }
    // A changed accent inside a non-ASCII payload is found, at its event.
    const files = await unpack(bytes);
    const changed = Buffer.from(get(files, 'events.ndjson')).toString().replace('réponse 13 🚀', 'reponse 13 🚀');
    for (const segments of [undefined, pool]) {
      const verdict = await verifyBundle(bytesSource(resign(put(files, 'events.ndjson', changed), [f.signer])), { trusted, ...(segments ? { segments } : {}) });
      expect(verdict.ok ? 'accepted' : `${verdict.failure.kind} ${verdict.failure.seq}`).toBe('event_mismatch 14');
    }
  });
});

describe('segments larger than one batch of hashes', () => {
  it('verifies them, and names a changed payload or header far into the segment', async () => {
    const f = await fixture(0);
    f.db.sqlite.transaction(() => appendEvents(f.audit, 9000))();
    const out = join(f.dir, 'big.charter');
    await exportBundle(f.db, { out, signers: [f.signer], record: false });
    const bytes = readFileSync(out);
    const trusted = await f.keys.trustedKeys();
    const verdict = await verifyBundle(bytesSource(bytes), { trusted });
    expect(verdict.ok ? verdict.bundle.manifest.events.segments.length : verdict.failure.message).toBe(1);
    const files = await unpack(bytes);
    const lines = Buffer.from(get(files, 'events.ndjson')).toString().split('\n');
    for (const [index, change] of [[8000, ['"question ', '"answer ']], [8500, ['"agent-', '"agent-X']]] as const) {
      const changed = lines.map((l, i) => (i === index ? l.replace(change[0], change[1]) : l)).join('\n');
      const refused = await verifyBundle(bytesSource(resign(put(files, 'events.ndjson', changed), [f.signer])), { trusted });
      expect(refused.ok ? 'accepted' : `${refused.failure.kind} ${refused.failure.seq}`).toBe(`event_mismatch ${index + 1}`);
    }
  });
});

describe('a bundle without events', () => {
  it('verifies: its events.ndjson is an empty deflate stream, and a period after the last event gives the same', async () => {
    const f = await fixture(0);
    const empty = join(f.dir, 'empty.charter');
    const { manifest } = await exportBundle(f.db, { out: empty, signers: [f.signer], record: false });
    expect(manifest.events.segments).toEqual([]);
    const trusted = await f.keys.trustedKeys();
    expect((await verifyBundle(bytesSource(readFileSync(empty)), { trusted })).ok).toBe(true);
    appendEvents(f.audit, 5);
    const later = join(f.dir, 'later.charter');
    const period = await exportBundle(f.db, { out: later, signers: [f.signer], from: '2030-01-01T00:00:00Z', record: false });
    expect(period.manifest.counts.events).toBe(0);
    expect((await verifyBundle(bytesSource(readFileSync(later)), { trusted })).ok).toBe(true);
  });
});
