import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { KeyStore } from '../../../electron/engine/keys/key-store.ts';
import { PassphraseSecretBox } from '../../../electron/engine/keys/secret-box.ts';
import { CHECKPOINT_TYP, signCheckpoint, verifyCheckpoint } from '../../../shared/merkle/checkpoint.ts';
import { TrustedKeys, ed25519Thumbprint, verifyJws } from '../../../shared/merkle/jws.ts';
import { keysWorkspace } from './workspace.ts';

const box = (passphrase = 'correct horse'): PassphraseSecretBox => new PassphraseSecretBox(passphrase, { costLog2: 10 });
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('passphrase secret box', () => {
  it('round-trips, and refuses a wrong passphrase or a flipped byte', () => {
    const sealed = box().encrypt(bytes('private key'));
    expect(Buffer.from(box().decrypt(sealed)).toString()).toBe('private key');
    expect(Buffer.from(sealed).includes(Buffer.from('private key'))).toBe(false);
    expect(() => box('wrong').decrypt(sealed)).toThrow(/wrong passphrase/);
    const flipped = Uint8Array.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    expect(() => box().decrypt(flipped)).toThrow(/does not open/);
  });

  it('is unavailable without a passphrase and says how to give one', () => {
    expect(box('').available()).toBe(false);
    expect(() => box('').encrypt(bytes('x'))).toThrow(/CHARTER_PASSPHRASE/);
  });
});

describe('workspace signing keys', () => {
  it('makes a key on first use whose kid is its RFC 7638 thumbprint, sealed at rest', async () => {
    const db = await keysWorkspace();
    const keys = new KeyStore(db, box());
    expect(keys.list()).toEqual([]);
    const signer = await keys.signer();
    const [info] = keys.list();
    expect(info?.status).toBe('active');
    expect(info?.kid).toBe(signer.kid);
    expect(info?.kid).toBe(await ed25519Thumbprint(info?.publicJwk.x as string));
    const sealed = db.sqlite.prepare('select sealed_private from signing_keys').pluck().get() as Buffer;
    expect(sealed.toString('latin1')).not.toContain('"d"');
    // A second store over the same workspace (a new process) needs the same passphrase.
    await expect(new KeyStore(db, box('wrong')).signer()).rejects.toThrow(/wrong passphrase/);
    expect((await new KeyStore(db, box()).signer()).kid).toBe(signer.kid);
  });

  it('signs JWS that jose verifies with the public key, EdDSA with kid and typ', async () => {
    const db = await keysWorkspace();
    const keys = new KeyStore(db, box());
    const signer = await keys.signer();
    const jws = signer.sign(bytes('{"a":1}'), 'test+jws');
    const jwk = keys.publicJwks().keys[0];
    const { payload, protectedHeader } = await compactVerify(jws, await importJWK({ ...jwk }, 'EdDSA'));
    expect(Buffer.from(payload).toString()).toBe('{"a":1}');
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: signer.kid, typ: 'test+jws' });
  });

  it('rotates: old key retired but still listed, so what it signed still verifies', async () => {
    const db = await keysWorkspace();
    const audited: string[] = [];
    const keys = new KeyStore(db, box(), { audit: { append: (e) => audited.push(e.type) } });
    const first = await keys.create();
    await expect(keys.create()).rejects.toThrow(/already active; use "keys rotate"/);
    const oldSig = (await keys.signer()).sign(bytes('old'), 'test+jws');
    const second = await keys.rotate();
    expect(second.kid).not.toBe(first.kid);
    expect(keys.list().map((k) => [k.kid, k.status])).toEqual([[first.kid, 'retired'], [second.kid, 'active']]);
    expect((await keys.signer()).kid).toBe(second.kid);
    expect(audited).toEqual(['key.created', 'key.rotated']);
    const trusted = await TrustedKeys.fromJwks(keys.publicJwks());
    expect((await verifyJws(oldSig, trusted, 'test+jws')).ok).toBe(true);
  });

  it('keeps a trust list from files the user names, refusing anything but Ed25519 public keys', async () => {
    const db = await keysWorkspace();
    const mine = new KeyStore(db, box());
    await mine.ensure();
    const other = new KeyStore(await keysWorkspace(), box());
    const theirs = await other.ensure();
    const kids = await mine.trust(other.publicJwks(), 'partner');
    expect(kids).toEqual([theirs.kid]);
    expect(mine.trustedList().map((k) => k.label).sort()).toEqual(['own key', 'partner']);
    await expect(mine.trust({ kty: 'oct', k: 'c2VjcmV0' })).rejects.toThrow(/not an Ed25519 public key/);
    await expect(mine.trust({ ...theirs.publicJwk, kid: 'someone-else' })).rejects.toThrow(/thumbprint/);
    mine.untrust(theirs.kid);
    expect((await mine.trustedKeys()).has(theirs.kid)).toBe(false);
    expect(() => mine.untrust(theirs.kid)).toThrow(/not in this workspace's trusted keys/);
  });
});

describe('signed checkpoints', () => {
  it('verify with the trusted key, and fail for another checkpoint or an untrusted signer', async () => {
    const keys = new KeyStore(await keysWorkspace(), box());
    const signer = await keys.signer();
    const checkpoint = { treeSize: 3, rootHash: 'ab'.repeat(32), headDigest: 'cd'.repeat(32), workspace: 'w1', ts: '2025-01-01T00:00:00.000Z' };
    const jws = signCheckpoint(checkpoint, signer);
    const trusted = await keys.trustedKeys();
    expect(await verifyCheckpoint(checkpoint, jws, trusted)).toMatchObject({ ok: true, kid: signer.kid });
    expect(await verifyCheckpoint({ ...checkpoint, treeSize: 4 }, jws, trusted)).toMatchObject({ ok: false, failure: 'mismatch' });
    const stranger = await new KeyStore(await keysWorkspace(), box()).signer();
    expect(await verifyCheckpoint(checkpoint, signCheckpoint(checkpoint, stranger), trusted)).toMatchObject({ ok: false, failure: 'untrusted_key' });
    expect(CHECKPOINT_TYP).toBe('charter-checkpoint+jws');
  });
});
