import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contractSourceHash, deleteDraft, findVersionByHash, getActiveVersion, getVersion, headVersion, insertVersion,
  listContracts, listVersions, setStatus, updateDraft, upsertContract,
} from '../../../electron/engine/store/contracts-repository.ts';
import { charterError } from './expect-charter-error.ts';
import { useTempWorkspace } from './temp-dir.ts';

const workspace = useTempWorkspace();

const SOURCE_V1 = 'apiVersion: charter/v1\nkind: AgentContract\nmetadata:\n  name: support\n';
const SOURCE_V2 = `${SOURCE_V1}# tightened quotas\n`;

describe('contracts repository', () => {
  it('numbers versions from 1, hashes their source and links parents', async () => {
    const db = await workspace();
    upsertContract(db, 'support', 'Support assistant');
    const v1 = insertVersion(db, { contract: 'support', source: SOURCE_V1 });
    const v2 = insertVersion(db, { contract: 'support', source: SOURCE_V2, parentHash: v1.hash });
    expect(v1).toMatchObject({ contract: 'support', version: 1, status: 'draft', parentHash: null, publishedAt: null });
    expect(v1.hash).toBe(createHash('sha256').update(SOURCE_V1).digest('hex'));
    expect(v2).toMatchObject({ version: 2, parentHash: v1.hash, hash: contractSourceHash(SOURCE_V2) });
    expect(getVersion(db, 'support', 1)).toEqual(v1);
    expect(listVersions(db, 'support')).toEqual([v1, v2]);
    expect(headVersion(db, 'support')).toEqual(v2);
    expect(findVersionByHash(db, 'support', v1.hash)).toEqual(v1);
    expect(headVersion(db, 'nothing')).toBeUndefined();
    expect(getVersion(db, 'support', 9)).toBeUndefined();
  });

  it('summarises contracts with active and latest versions and whether a draft waits', async () => {
    const db = await workspace();
    upsertContract(db, 'support', 'Support assistant');
    upsertContract(db, 'finance');
    upsertContract(db, 'support'); // no description given: the existing one stays
    insertVersion(db, { contract: 'support', source: SOURCE_V1, status: 'active' });
    insertVersion(db, { contract: 'support', source: SOURCE_V2 });
    expect(listContracts(db)).toEqual([
      { name: 'finance', description: '', activeVersion: null, latestVersion: 0, hasDraft: false },
      { name: 'support', description: 'Support assistant', activeVersion: 1, latestVersion: 2, hasDraft: true },
    ]);
    upsertContract(db, 'finance', 'Payments');
    expect(listContracts(db)[0]?.description).toBe('Payments');
  });

  it('edits drafts but never the source or hash of a published version', async () => {
    const db = await workspace();
    upsertContract(db, 'support');
    insertVersion(db, { contract: 'support', source: SOURCE_V1 });
    const edited = updateDraft(db, 'support', 1, SOURCE_V2);
    expect(edited.hash).toBe(contractSourceHash(SOURCE_V2));
    expect(getVersion(db, 'support', 1)?.source).toBe(SOURCE_V2);

    const published = setStatus(db, 'support', 1, 'published');
    expect(published.publishedAt).not.toBeNull();
    for (const status of ['published', 'active', 'superseded'] as const) {
      if (status !== 'published') setStatus(db, 'support', 1, status);
      const error = charterError(() => updateDraft(db, 'support', 1, SOURCE_V1));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(`version 1 of contract "support" is ${status} and can no longer change`);
      expect(charterError(() => deleteDraft(db, 'support', 1)).code).toBe('conflict');
    }
    expect(getVersion(db, 'support', 1)).toMatchObject({ source: SOURCE_V2, hash: contractSourceHash(SOURCE_V2), publishedAt: published.publishedAt });
    // The schema refuses it too, should anything write around the repository.
    expect(() => db.sqlite.prepare(`update contract_versions set source = 'x' where version = 1`).run()).toThrow(/immutable/);
    expect(charterError(() => setStatus(db, 'support', 1, 'draft')).code).toBe('conflict');
  });

  it('keeps at most one active version per contract', async () => {
    const db = await workspace();
    upsertContract(db, 'support');
    upsertContract(db, 'finance');
    insertVersion(db, { contract: 'support', source: SOURCE_V1, status: 'active' });
    insertVersion(db, { contract: 'support', source: SOURCE_V2, status: 'published' });
    insertVersion(db, { contract: 'finance', source: SOURCE_V1, status: 'active' });

    const error = charterError(() => setStatus(db, 'support', 2, 'active'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('contract "support" already has an active version (1); supersede it first');
    expect(charterError(() => insertVersion(db, { contract: 'support', source: 'x', status: 'active' })).code).toBe('conflict');

    const activate = db.sqlite.transaction(() => {
      setStatus(db, 'support', 1, 'superseded');
      return setStatus(db, 'support', 2, 'active');
    });
    expect(activate().status).toBe('active');
    expect(getActiveVersion(db, 'support')?.version).toBe(2);
    expect(getActiveVersion(db, 'finance')?.version).toBe(1);
  });

  it('refuses versions of unknown contracts, duplicate numbers and unknown statuses', async () => {
    const db = await workspace();
    expect(charterError(() => insertVersion(db, { contract: 'ghost', source: SOURCE_V1 })).code).toBe('not_found');
    upsertContract(db, 'support');
    insertVersion(db, { contract: 'support', source: SOURCE_V1 });
    expect(charterError(() => insertVersion(db, { contract: 'support', version: 1, source: SOURCE_V2 })).code).toBe('conflict');
    expect(charterError(() => setStatus(db, 'support', 1, 'retired' as 'active')).code).toBe('invalid_argument');
    expect(charterError(() => setStatus(db, 'support', 7, 'published')).code).toBe('not_found');
  });

  it('discards drafts', async () => {
    const db = await workspace();
    upsertContract(db, 'support');
    insertVersion(db, { contract: 'support', source: SOURCE_V1 });
    deleteDraft(db, 'support', 1);
    expect(listVersions(db, 'support')).toEqual([]);
  });
});
