import { describe, expect, it } from 'vitest';
import { hashFor, redact, toPayloadRedactions } from '../../../electron/engine/audit/redact.ts';
import { CharterError } from '../../../shared/errors.ts';

const payload = {
  input: { user: { email: 'ann@example.com', name: 'Ann' }, cards: ['4111', '5500', '3400'], 'a/b': 1, 'c~d': 2 },
  output: { text: 'ok' },
};

describe('redact', () => {
  it('masks, hashes and removes fields by JSON pointer without touching the input', () => {
    const before = JSON.stringify(payload);
    const out = redact(payload, [
      { path: '/input/user/email', method: 'mask', dataClass: 'PII' },
      { path: '/input/user/name', method: 'hash' },
      { path: '/output', method: 'remove' },
    ]);
    expect(out).toEqual({
      input: { user: { email: '[masked:PII]', name: hashFor('Ann') }, cards: ['4111', '5500', '3400'], 'a/b': 1, 'c~d': 2 },
    });
    expect(hashFor('Ann')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(payload)).toBe(before);
    // Untouched branches are shared, not copied.
    expect((out as typeof payload).input.cards).toBe(payload.input.cards);
  });

  it('removes array elements by their original index', () => {
    const out = redact(payload, [
      { path: '/input/cards/0', method: 'remove' },
      { path: '/input/cards/1', method: 'remove' },
    ]) as typeof payload;
    expect(out.input.cards).toEqual(['3400']);
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const out = redact(payload, [
      { path: '/input/a~1b', method: 'mask' },
      { path: '/input/c~0d', method: 'remove' },
    ]) as { input: Record<string, unknown> };
    expect(out.input['a/b']).toBe('[masked]');
    expect('c~d' in out.input).toBe(false);
  });

  it('redacts nothing where a pointer leads nowhere', () => {
    expect(redact(payload, [{ path: '/input/nope/deeper', method: 'mask' }, { path: '/input/cards/9', method: 'remove' }])).toEqual(payload);
    expect(redact('text', [{ path: '/a', method: 'mask' }])).toBe('text');
  });

  it('redacts the whole payload with the empty pointer', () => {
    expect(redact(payload, [{ path: '', method: 'remove' }])).toBeNull();
    expect(redact(payload, [{ path: '', method: 'mask', dataClass: 'secret' }])).toBe('[masked:secret]');
  });

  it('refuses a path that is not a JSON pointer, naming it', () => {
    expect(() => redact(payload, [{ path: 'input/user', method: 'mask' }])).toThrow(CharterError);
    expect(() => redact(payload, [{ path: 'input/user', method: 'mask' }])).toThrow(/"input\/user" is not a JSON pointer/);
  });

  it('places decision obligations under the payload input or output', () => {
    expect(
      toPayloadRedactions([
        { path: '/card', dataClass: 'PCI', method: 'mask', target: 'input' },
        { path: '/text', dataClass: 'PII', method: 'remove', target: 'output' },
        { path: '/raw', method: 'hash' },
      ]),
    ).toEqual([
      { path: '/input/card', dataClass: 'PCI', method: 'mask' },
      { path: '/output/text', dataClass: 'PII', method: 'remove' },
      { path: '/raw', method: 'hash' },
    ]);
  });
});
