import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, buildApi, checkArgs, operations, toWireError } from '../../../shared/api.ts';
import { CharterError } from '../../../shared/errors.ts';

describe('CharterApi operation table', () => {
  it('accepts well-formed arguments unchanged', () => {
    const args = { name: 'support-assistant', version: 3 };
    expect(checkArgs('contracts.get', args)).toBe(args);
    expect(checkArgs('governance.simulate', { request: { agentId: 'a1', action: 'stream_chat', input: { q: 1 } } })).toBeTruthy();
  });

  it('names every bad argument by JSON pointer in a typed error', () => {
    let caught: unknown;
    try {
      checkArgs('agents.create', { name: '', role: 5, maturity: 'wizard', extra: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CharterError);
    const error = caught as CharterError;
    expect(error.code).toBe('invalid_argument');
    const pointers = error.diagnostics.map((d) => d.pointer).sort();
    expect(pointers).toEqual(['/extra', '/maturity', '/name', '/role']);
  });

  it('refuses non-objects, missing fields, non-integers and out-of-range windows', () => {
    expect(() => checkArgs('contracts.list', null)).toThrow(CharterError);
    expect(() => checkArgs('contracts.publish', { name: 'x' })).toThrow(/version/);
    expect(() => checkArgs('contracts.publish', { name: 'x', version: 1.5 })).toThrow(/integer/);
    expect(() => checkArgs('audit.window', { offset: 0, limit: 100_000 })).toThrow(/500/);
    expect(() => checkArgs('links.openExternal', { url: 'http://example.com' })).toThrow(CharterError);
    expect(() => checkArgs('contracts.get', { name: '../etc' })).toThrow(CharterError);
  });

  it('builds exactly one method per operation, grouped, with no generic invoke', async () => {
    const seen: string[] = [];
    const api = buildApi(async (name) => { seen.push(name); return null; }, () => () => {});
    for (const name of OPERATION_NAMES) {
      const [group, method] = name.split('.') as [string, string];
      const fn = (api as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[group]?.[method];
      expect(typeof fn).toBe('function');
      await fn?.({});
    }
    expect(seen).toEqual([...OPERATION_NAMES]);
    expect(Object.keys(api)).not.toContain('invoke');
    expect(OPERATION_NAMES.length).toBe(Object.keys(operations).length);
  });

  it('never leaks an unexpected error\'s message or stack to the wire', () => {
    const wire = toWireError(new Error('SQLITE_CORRUPT at /home/secret/path'));
    expect(wire.code).toBe('internal');
    expect(wire.message).not.toContain('secret');
  });
});
