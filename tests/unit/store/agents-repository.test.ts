import { describe, expect, it } from 'vitest';
import { CharterError } from '../../../shared/errors.ts';
import { adjustConfidence, getAgent, insertAgent, listAgents, updateAgent } from '../../../electron/engine/store/agents-repository.ts';
import type { Maturity } from '../../../shared/domain.ts';
import { useTempWorkspace } from './temp-dir.ts';

const workspace = useTempWorkspace();

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof CharterError) return error.code;
    throw error;
  }
  return undefined;
}

describe('agents repository', () => {
  it('round-trips an agent with a generated id, default confidence and UTC timestamps', async () => {
    const db = await workspace();
    const agent = insertAgent(db, { name: 'Support', role: 'support', maturity: 'intern', contract: 'support' });
    expect(agent.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(agent.confidence).toBe(0.5);
    expect(agent.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(getAgent(db, agent.id)).toEqual(agent);
    expect(getAgent(db, 'nobody')).toBeUndefined();
  });

  it('lists agents by name', async () => {
    const db = await workspace();
    insertAgent(db, { id: 'b', name: 'Zed', role: 'r', maturity: 'student' });
    insertAgent(db, { id: 'a', name: 'Ada', role: 'r', maturity: 'autonomous' });
    expect(listAgents(db).map((a) => a.name)).toEqual(['Ada', 'Zed']);
  });

  it('updates maturity, name, role, contract and confidence, and only those given', async () => {
    const db = await workspace();
    const agent = insertAgent(db, { id: 'x', name: 'X', role: 'coder', maturity: 'student', createdAt: '2020-01-01T00:00:00.000Z' });
    const updated = updateAgent(db, 'x', { maturity: 'supervised', contract: 'coding', confidence: 0.9 });
    expect(updated).toMatchObject({ name: 'X', role: 'coder', maturity: 'supervised', contract: 'coding', confidence: 0.9 });
    expect(updated.updatedAt > agent.updatedAt).toBe(true);
    expect(updateAgent(db, 'x', { name: 'Y', role: 'reviewer', contract: null })).toMatchObject({ name: 'Y', role: 'reviewer', contract: null, maturity: 'supervised' });
    expect(getAgent(db, 'x')?.name).toBe('Y');
  });

  it('refuses unknown maturities, out-of-range confidence, duplicates and missing agents in plain words', async () => {
    const db = await workspace();
    insertAgent(db, { id: 'x', name: 'X', role: 'r', maturity: 'student' });
    expect(codeOf(() => insertAgent(db, { name: 'Y', role: 'r', maturity: 'expert' as Maturity }))).toBe('invalid_argument');
    expect(codeOf(() => insertAgent(db, { id: 'x', name: 'X', role: 'r', maturity: 'student' }))).toBe('conflict');
    expect(codeOf(() => updateAgent(db, 'x', { confidence: 1.5 }))).toBe('invalid_argument');
    expect(codeOf(() => updateAgent(db, 'ghost', { name: 'G' }))).toBe('not_found');
    expect(codeOf(() => adjustConfidence(db, 'ghost', 0.1))).toBe('not_found');
    expect(codeOf(() => adjustConfidence(db, 'x', Number.NaN))).toBe('invalid_argument');
  });

  it('clamps confidence adjustments to [0, 1]', async () => {
    const db = await workspace();
    insertAgent(db, { id: 'x', name: 'X', role: 'r', maturity: 'student', confidence: 0.5 });
    expect(adjustConfidence(db, 'x', 0.25).confidence).toBeCloseTo(0.75);
    expect(adjustConfidence(db, 'x', 0.5).confidence).toBe(1);
    expect(adjustConfidence(db, 'x', -3).confidence).toBe(0);
    expect(adjustConfidence(db, 'x', 0.1).confidence).toBeCloseTo(0.1);
    expect(getAgent(db, 'x')?.confidence).toBeCloseTo(0.1);
  });

  it('keeps confidence within [0, 1] even against raw SQL', async () => {
    const db = await workspace();
    insertAgent(db, { id: 'x', name: 'X', role: 'r', maturity: 'student' });
    expect(() => db.sqlite.prepare(`update agents set confidence = 2 where id = 'x'`).run()).toThrow(/CHECK constraint/);
  });

  it('takes part in the caller\'s transaction instead of committing on its own', async () => {
    const db = await workspace();
    const action = db.sqlite.transaction(() => {
      insertAgent(db, { id: 'x', name: 'X', role: 'r', maturity: 'student' });
      adjustConfidence(db, 'x', 0.2);
      throw new Error('the rest of the user action failed');
    });
    expect(() => action()).toThrow('the rest of the user action failed');
    expect(getAgent(db, 'x')).toBeUndefined();
  });
});
