/**
 * The issue's acceptance test: random single-byte changes anywhere in a bundle, deletions,
 * additions, renames, reordered events and re-signing by an untrusted key — every one refused,
 * each for the right reason; the untouched bundle verifies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import type { BundleFailureKind } from '../../../shared/bundle/failures.ts';
import { EVENTS_FILE, MANIFEST_FILE, SIGNATURES_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import type { ZipEntry } from '../../../shared/bundle/zip-reader.ts';
import { bytesSource, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import type { JwsSigner, TrustedKeys } from '../../../shared/merkle/jws.ts';
import { keysWorkspace } from '../keys/workspace.ts';
import type { Files } from './forge.ts';
import { get, put, repack, resign, unpack } from './forge.ts';
import { fixture, testBox } from './fixture.ts';

let bundle: Uint8Array;
let entries: readonly ZipEntry[];
let files: Files;
let trusted: TrustedKeys;
let signer: JwsSigner;
let stranger: JwsSigner;

beforeAll(async () => {
  const f = await fixture(24);
  const out = join(f.dir, 'small.charter');
  await exportBundle(f.db, { out, signers: [f.signer] });
  bundle = readFileSync(out);
  entries = await readZipEntries(bytesSource(bundle));
  files = await unpack(bundle);
  trusted = await f.keys.trustedKeys();
  signer = f.signer;
  stranger = await new KeyStore(await keysWorkspace(), testBox()).signer();
});

const verify = (bytes: Uint8Array): Promise<BundleVerdict> => verifyBundle(bytesSource(bytes), { trusted });

async function expectRejected(bytes: Uint8Array, kind: BundleFailureKind, file?: string): Promise<void> {
  const verdict = await verify(bytes);
  expect(verdict.ok ? 'accepted' : verdict.failure.kind).toBe(kind);
  if (file && !verdict.ok) expect(verdict.failure.file).toBe(file);
}

/** Deterministic (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mutations of a signed bundle', () => {
  it('leaves the untouched bundle verifying, also unpacked and zipped again or re-signed by its own key', async () => {
    expect((await verify(bundle)).ok).toBe(true);
    // Controls: the tools below change nothing by themselves.
    expect((await verify(repack(files))).ok).toBe(true);
    expect((await verify(resign(files, [signer]))).ok).toBe(true);
  });

  it('refuses 1,200 random single-byte changes, naming the changed file or the damaged archive', async () => {
    const next = random(20250101);
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 1200; i++) {
      const at = Math.floor(next() * bundle.length);
      const mutated = Uint8Array.from(bundle);
      mutated[at] = (mutated[at] as number) ^ (1 + Math.floor(next() * 255));
      const inData = entries.find((e) => at >= e.dataStart && at < e.dataEnd);
      const verdict = await verify(mutated);
      const got = verdict.ok ? 'accepted' : `${verdict.failure.kind}:${verdict.failure.file ?? ''}`;
      const ok = inData ? got === `tampered:${inData.name}` : got.startsWith('archive:');
      if (!ok) wrong.push(`byte ${at} (${inData ? `in ${inData.name}` : 'in a zip header'}): ${got}`);
      seen.add(got.startsWith('archive:') ? 'archive' : got);
    }
    expect(wrong).toEqual([]);
    // The changes reached the headers and every file.
    expect([...seen].sort()).toEqual(['archive', ...entries.map((e) => `tampered:${e.name}`)].sort());
  });

  it('refuses every file deleted, as missing', async () => {
    for (const [name] of files) await expectRejected(repack(files.filter(([n]) => n !== name)), 'missing_file', name);
  });

  it('refuses every file renamed, as missing', async () => {
    for (const [name] of files) {
      await expectRejected(repack(files.map(([n, c]) => [n === name ? `${n}.bak` : n, c])), 'missing_file', name);
    }
  });

  it('refuses files added, as extra', async () => {
    await expectRejected(repack([...files, ['notes.txt', Buffer.from('hi')]]), 'extra_file', 'notes.txt');
    await expectRejected(repack([['contracts/evil@1.yaml', Buffer.from('x')], ...files]), 'extra_file', 'contracts/evil@1.yaml');
  });

  it('refuses reordered events: as a tampered file, or when re-signed by a trusted key, by the event', async () => {
    const lines = Buffer.from(get(files, EVENTS_FILE)).toString().split('\n');
    [lines[5], lines[6]] = [lines[6] as string, lines[5] as string];
    const reordered = put(files, EVENTS_FILE, lines.join('\n'));
    await expectRejected(repack(reordered), 'tampered', EVENTS_FILE);
    const verdict = await verify(resign(reordered, [signer]));
    expect(verdict.ok ? null : [verdict.failure.kind, verdict.failure.seq]).toEqual(['event_mismatch', 6]);
  });

  it('refuses an event removed or changed even when a trusted key re-signs the manifest, naming the event', async () => {
    const lines = Buffer.from(get(files, EVENTS_FILE)).toString().split('\n');
    const changed = lines.map((l, i) => (i === 9 ? l.replace('"agent-', '"agent-X') : l)).join('\n');
    let verdict = await verify(resign(put(files, EVENTS_FILE, changed), [signer]));
    expect(verdict.ok ? null : [verdict.failure.kind, verdict.failure.seq]).toEqual(['event_mismatch', 10]);
    verdict = await verify(resign(put(files, EVENTS_FILE, lines.filter((_, i) => i !== 3).join('\n')), [signer]));
    expect(verdict.ok ? null : [verdict.failure.kind, verdict.failure.seq]).toEqual(['event_mismatch', 4]);
    // A denied decision passed off as allowed: its header no longer chains.
    const flipped = Buffer.from(get(files, EVENTS_FILE)).toString().replace('"outcome":"deny"', '"outcome":"allow"');
    verdict = await verify(resign(put(files, EVENTS_FILE, flipped), [signer]));
    expect(verdict.ok ? null : [verdict.failure.kind, verdict.failure.file]).toEqual(['event_mismatch', EVENTS_FILE]);
  });

  it('refuses a bundle re-signed by an untrusted key, even one naming a trusted kid', async () => {
    const lines = Buffer.from(get(files, EVENTS_FILE)).toString().split('\n').slice(0, 10).join('\n');
    await expectRejected(resign(put(files, EVENTS_FILE, lines), [stranger]), 'untrusted_key');
    await expectRejected(resign(files, [stranger]), 'untrusted_key');
    const impostor: JwsSigner = { kid: signer.kid, sign: (p, typ) => stranger.sign(p, typ).replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ })).toString('base64url')) };
    await expectRejected(resign(files, [impostor]), 'signature');
  });

  it('names the manifest and signatures files as missing when they are', async () => {
    await expectRejected(repack(files.filter(([n]) => n !== MANIFEST_FILE)), 'missing_file', MANIFEST_FILE);
    await expectRejected(repack(files.filter(([n]) => n !== SIGNATURES_FILE)), 'missing_file', SIGNATURES_FILE);
  });
});
