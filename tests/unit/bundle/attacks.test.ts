/** The attacks the issue lists: each refused with a clear error, nothing written outside the import folder. */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { importBundle } from '../../../electron/engine/bundles/import.ts';
import type { BundleFailureKind } from '../../../shared/bundle/failures.ts';
import { EVENTS_FILE, MANIFEST_FILE, MANIFEST_TYP, SIGNATURES_FILE } from '../../../shared/bundle/format.ts';
import type { BundleVerdict } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { DEFAULT_ZIP_LIMITS, bytesSource, readEntry, readZipEntries } from '../../../shared/bundle/zip-reader.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { TrustedKeys } from '../../../shared/merkle/jws.ts';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import { keysWorkspace } from '../keys/workspace.ts';
import type { Files } from './forge.ts';
import { get, put, rawZip, repack, resign, unpack } from './forge.ts';
import { fixture, tempDir, testBox } from './fixture.ts';

let bundle: Uint8Array;
let files: Files;
let trusted: TrustedKeys;
let signer: JwsSigner;
let publicX: string;

beforeAll(async () => {
  const f = await fixture(12);
  const out = join(f.dir, 'a.charter');
  await exportBundle(f.db, { out, signers: [f.signer] });
  bundle = readFileSync(out);
  files = await unpack(bundle);
  trusted = await f.keys.trustedKeys();
  signer = f.signer;
  publicX = f.keys.publicJwks().keys[0]?.x as string;
});

const verify = (bytes: Uint8Array): Promise<BundleVerdict> => verifyBundle(bytesSource(bytes), { trusted });

async function refusal(bytes: Uint8Array, kind: BundleFailureKind): Promise<string> {
  const verdict = await verify(bytes);
  expect(verdict.ok ? 'accepted' : verdict.failure.kind).toBe(kind);
  return verdict.ok ? '' : verdict.failure.message;
}

/** Signs the manifest with a hand-made JWS header and signature. */
function forgedSignatures(header: object, sign: (input: string) => string): Files {
  const manifest = Buffer.from(get(files, MANIFEST_FILE));
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${manifest.toString('base64url')}`;
  return put(files, SIGNATURES_FILE, JSON.stringify({ signatures: [`${input}.${sign(input)}`] }));
}

describe('hostile archives', () => {
  it.each([
    ['../evil.txt', /"\.\." segment/],
    ['contracts/../../evil.txt', /"\.\." segment/],
    ['/etc/evil', /absolute path/],
    ['contracts\\evil.yaml', /backslash/],
    ['C:evil.txt', /drive letter/],
  ])('refuses an entry named %s', async (name, why) => {
    expect(await refusal(rawZip([{ name, content: 'x' }, ...files.map(([n, c]) => ({ name: n, content: c }))]), 'archive')).toMatch(why);
  });

  it('refuses symbolic links', async () => {
    const link = rawZip([{ name: 'report.html', content: '/etc/passwd', os: 3, attrs: (0o120777 << 16) >>> 0 }]);
    expect(await refusal(link, 'archive')).toMatch(/symbolic link/);
  });

  it('refuses duplicate names, also differing only in case', async () => {
    expect(await refusal(repack([...files, [EVENTS_FILE, Buffer.from('x')]]), 'archive')).toMatch(/duplicate/);
    expect(await refusal(repack([...files, ['Events.ndjson', Buffer.from('x')]]), 'archive')).toMatch(/duplicate/);
  });

  it('refuses a zip bomb before inflating it, and an entry that inflates past its declared size', async () => {
    const zeros = Buffer.alloc(50 * 1024 * 1024);
    const bomb = repack([...files.filter(([n]) => n !== EVENTS_FILE), [EVENTS_FILE, zeros]]);
    expect(await refusal(bomb, 'archive')).toMatch(/zip bomb/);
    const limited = await verifyBundle(bytesSource(bundle), { trusted, limits: { ...DEFAULT_ZIP_LIMITS, maxTotalSize: 1000 } });
    expect(limited.ok ? '' : limited.failure.message).toMatch(/more than 1000 bytes in all/);
    expect((await verifyBundle(bytesSource(bundle), { trusted, limits: { ...DEFAULT_ZIP_LIMITS, maxEntries: 3 } })).ok).toBe(false);
    // An entry whose header understates its size: patch the declared size in all three places.
    const lying = Buffer.from(repack(files));
    const entry = (await readZipEntries(bytesSource(lying))).find((e) => e.name === EVENTS_FILE);
    if (!entry) throw new Error('no events entry');
    const cdStart = lying.length - 22 - lying.readUInt32LE(lying.length - 22 + 12);
    lying.writeUInt32LE(entry.size - 10, entry.dataEnd + 12);
    for (let at = cdStart; at < lying.length - 22; at += 46 + lying.readUInt16LE(at + 28)) {
      if (lying.toString('utf8', at + 46, at + 46 + lying.readUInt16LE(at + 28)) === EVENTS_FILE) lying.writeUInt32LE(entry.size - 10, at + 24);
    }
    expect(await refusal(lying, 'tampered')).toMatch(/events.ndjson: its size differs from the manifest's/);
    // Without the manifest's help, inflation itself stops at the declared size.
    await expect(readEntry(bytesSource(lying), { ...entry, size: entry.size - 10 }, () => {})).rejects.toThrow(/inflates past its declared size/);
  });

  it('refuses an endless event line instead of buffering it, even re-signed by a trusted key', async () => {
    const endless = randomBytes(13 * 1024 * 1024).toString('base64');
    const verdict = await verify(resign(put(files, EVENTS_FILE, endless), [signer]));
    expect(verdict.ok ? '' : `${verdict.failure.kind}: ${verdict.failure.message}`).toMatch(/^event_mismatch: event 1: its line is longer than 16777216 bytes/);
  });

  it('refuses bytes that are not a zip, or a zip with something appended', async () => {
    expect(await refusal(Buffer.from('not a zip at all, just text that is long enough'), 'archive')).toMatch(/not a zip/);
    expect(await refusal(Buffer.concat([bundle, Buffer.from('trailing')]), 'archive')).toMatch(/end record/);
    expect(await refusal(deflateRawSync(bundle), 'archive')).toMatch(/zip/);
  });
});

describe('hostile signatures', () => {
  it('refuses alg none', async () => {
    const none = forgedSignatures({ alg: 'none', kid: signer.kid, typ: MANIFEST_TYP }, () => '');
    expect(await refusal(repack(none), 'signature')).toMatch(/alg "none"; only EdDSA/);
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    for (const secret of [Buffer.from(publicX, 'base64url'), Buffer.from(publicX), Buffer.from(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: publicX }))]) {
      const hs = forgedSignatures({ alg: 'HS256', kid: signer.kid, typ: MANIFEST_TYP }, (input) => createHmac('sha256', secret).update(input).digest('base64url'));
      expect(await refusal(repack(hs), 'signature')).toMatch(/alg "HS256"; only EdDSA/);
    }
  });

  it('refuses a key carried in the header (jwk), and a signature over another manifest', async () => {
    const embedded = forgedSignatures({ alg: 'EdDSA', kid: signer.kid, typ: MANIFEST_TYP, jwk: { kty: 'OKP', crv: 'Ed25519', x: publicX } }, () => 'AAAA');
    expect(await refusal(repack(embedded), 'signature')).toMatch(/"jwk" header/);
    const other = signer.sign(Buffer.from('{"formatVersion":1}'), MANIFEST_TYP);
    expect(await refusal(repack(put(files, SIGNATURES_FILE, JSON.stringify({ signatures: [other] }))), 'signature')).toMatch(/signs a different manifest/);
  });

  it('refuses a bundle claiming a newer format version, even signed by a trusted key', async () => {
    const newer = resign(files, [signer], (m) => ({ ...m, formatVersion: 2 }));
    expect(await refusal(newer, 'unsupported_version')).toMatch(/format version 2; this Charter reads version 1/);
  });

  it('applies an "N of these keys" policy over several signers', async () => {
    const verdict = await verifyBundle(bytesSource(bundle), { trusted, threshold: 2 });
    expect(verdict.ok ? '' : `${verdict.failure.kind}: ${verdict.failure.message}`).toMatch(/^signature: 1 of the 2 required trusted keys/);
    const second = new KeyStore(await keysWorkspace(), testBox());
    const both = resign(files, [signer, await second.signer()]);
    expect((await verifyBundle(bytesSource(both), { trusted, threshold: 2 })).ok).toBe(false);
    const trustBoth = await TrustedKeys.fromJwks({ keys: [...trusted.jwks().keys, ...second.publicJwks().keys] });
    const passed = await verifyBundle(bytesSource(both), { trusted: trustBoth, threshold: 2 });
    expect(passed.ok ? [...passed.bundle.signers].sort() : passed.failure.message).toEqual([signer.kid, (await second.signer()).kid].sort());
    // With one trusted signer the other is reported, not trusted.
    const one = await verifyBundle(bytesSource(both), { trusted });
    expect(one.ok ? one.bundle.untrustedSigners : []).toEqual([(await second.signer()).kid]);
  });
});

describe('auditor import', () => {
  it('extracts a verified bundle into the target folder only', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.charter');
    writeFileSync(path, bundle);
    const result = await importBundle(path, join(dir, 'out'), { trusted });
    expect(result.verdict.ok).toBe(true);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['contracts', 'events.ndjson', 'manifest.json', 'report.html', 'signatures.json']);
    expect(readdirSync(dir).sort()).toEqual(['a.charter', 'out']);
  });

  it('writes nothing for a hostile or unverifiable bundle', async () => {
    const dir = tempDir();
    const path = join(dir, 'evil.charter');
    writeFileSync(path, rawZip([{ name: '../escaped.txt', content: 'x' }, { name: 'ok.txt', content: 'y' }]));
    const result = await importBundle(path, join(dir, 'out'), { trusted });
    expect(result.verdict.ok ? '' : result.verdict.failure.kind).toBe('archive');
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
