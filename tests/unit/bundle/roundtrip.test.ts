import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/engine/bundles/export.ts';
import { bytesSource } from '../../../shared/bundle/zip-reader.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import { fixture } from './fixture.ts';

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
});
