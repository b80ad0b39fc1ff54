import { describe, expect, it } from 'vitest';
import { insertAgent } from '../../../electron/engine/store/agents-repository.ts';
import { getSession, insertSession } from '../../../electron/engine/store/sessions-repository.ts';
import { deleteSetting, getSetting, setSetting } from '../../../electron/engine/store/settings-repository.ts';
import { charterError } from './expect-charter-error.ts';
import { useTempWorkspace } from './temp-dir.ts';

const workspace = useTempWorkspace();

describe('sessions repository', () => {
  it('round-trips sessions with and without an agent', async () => {
    const db = await workspace();
    insertAgent(db, { id: 'support', name: 'Support', role: 'support', maturity: 'intern' });
    const bound = insertSession(db, { agentId: 'support' });
    const loose = insertSession(db);
    expect(getSession(db, bound.id)).toEqual(bound);
    expect(getSession(db, loose.id)).toEqual({ id: loose.id, agentId: null, createdAt: loose.createdAt });
    expect(getSession(db, 'nope')).toBeUndefined();
  });

  it('refuses a session for an agent that does not exist', async () => {
    const db = await workspace();
    const error = charterError(() => insertSession(db, { agentId: 'ghost' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('agent ghost does not exist');
  });
});

describe('settings repository', () => {
  it('stores JSON values and reads them back typed', async () => {
    const db = await workspace();
    expect(getSetting(db, 'defaultAgentId')).toBeUndefined();
    setSetting(db, 'defaultAgentId', 'support');
    setSetting(db, 'flags', { emergencyBypass: true });
    setSetting(db, 'nothing', null);
    expect(getSetting<string>(db, 'defaultAgentId')).toBe('support');
    expect(getSetting<{ emergencyBypass: boolean }>(db, 'flags')).toEqual({ emergencyBypass: true });
    expect(getSetting(db, 'nothing')).toBeNull();
    setSetting(db, 'flags', { emergencyBypass: false });
    expect(getSetting(db, 'flags')).toEqual({ emergencyBypass: false });
  });

  it('removes a setting set to undefined or deleted', async () => {
    const db = await workspace();
    setSetting(db, 'a', 1);
    setSetting(db, 'a', undefined);
    expect(getSetting(db, 'a')).toBeUndefined();
    setSetting(db, 'b', 2);
    deleteSetting(db, 'b');
    expect(getSetting(db, 'b')).toBeUndefined();
  });

  it('refuses values JSON cannot hold and names a corrupted setting', async () => {
    const db = await workspace();
    expect(charterError(() => setSetting(db, 'n', 10n)).code).toBe('invalid_argument');
    expect(charterError(() => setSetting(db, 'f', () => 1)).code).toBe('invalid_argument');
    db.sqlite.prepare(`insert into settings values ('broken', '{nope')`).run();
    expect(charterError(() => getSetting(db, 'broken')).message).toContain('workspace setting "broken" is not valid JSON');
  });
});
