import { describe, expect, it } from 'vitest';
import { MAX_CONTRACT_BYTES, MAX_NESTING } from '../../../shared/contract/limits.ts';
import { GOOD, at, mutate, onlyError, parse, positionOf } from './helpers.ts';

/** Runs `fn` and returns its result with the wall time it took, in ms. */
function timed<T>(fn: () => T): { readonly value: T; readonly ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('hostile and degenerate input gets one clear, located error', () => {
  it('empty input', () => {
    const d = onlyError(parse(''));
    expect(d.code).toBe('source.empty');
    expect(at(d)).toBe('1:1');
  });

  it('whitespace and comments only', () => {
    expect(onlyError(parse('   \n\n\t\n')).code).toBe('source.empty');
    expect(onlyError(parse('# just a comment\n')).code).toBe('source.empty');
    expect(onlyError(parse(new Uint8Array())).code).toBe('source.empty');
  });

  it('a top-level list or scalar', () => {
    expect(onlyError(parse('- a\n- b\n')).code).toBe('contract.not-a-mapping');
    const d = onlyError(parse('just words'));
    expect(d.code).toBe('contract.not-a-mapping');
    expect(d.message).toMatch(/a single value/);
  });

  it('binary bytes with a NUL', () => {
    const d = onlyError(parse(new Uint8Array([0x61, 0x3a, 0x0a, 0x00, 0x01, 0x02])));
    expect(d.code).toBe('source.binary');
    expect(at(d)).toBe('2:1');
  });

  it('a NUL character in text', () => {
    expect(onlyError(parse('apiVersion: charter/v1\nkind: Agent\u0000Contract\n')).code).toBe('source.binary');
  });

  it('bytes that are not UTF-8, located at the bad byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('apiVersion: charter/v1\nkind: '), 0xc3, 0x28]);
    const d = onlyError(parse(bytes));
    expect(d.code).toBe('source.encoding');
    expect(d.message).toMatch(/0xc3/);
    expect(at(d)).toBe('2:7');
  });

  it('UTF-16 text', () => {
    const d = onlyError(parse(new Uint8Array([0xff, 0xfe, 0x61, 0x00])));
    expect(d.code).toBe('source.encoding');
    expect(d.message).toMatch(/UTF-16/);
  });

  it('a lone surrogate in a string', () => {
    expect(onlyError(parse('apiVersion: "\uD800"')).code).toBe('source.encoding');
  });

  it('50 MB of text is refused by size at once, as text and as bytes', () => {
    const text = 'a'.repeat(50 * 1024 * 1024);
    const asText = timed(() => parse(text));
    expect(onlyError(asText.value).code).toBe('source.too-large');
    expect(onlyError(asText.value).message).toMatch(/at most 1 MiB/);
    expect(asText.ms).toBeLessThan(50);

    const bytes = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const asBytes = timed(() => parse(bytes));
    expect(onlyError(asBytes.value).code).toBe('source.too-large');
    expect(asBytes.ms).toBeLessThan(50);
  });

  it('text just over the limit in UTF-8 bytes (but not in characters) is refused', () => {
    const text = 'é'.repeat(MAX_CONTRACT_BYTES / 2 + 1);
    expect(onlyError(parse(text)).code).toBe('source.too-large');
  });

  it('a large but allowed contract still parses quickly', () => {
    const filler = `  description: ${'x'.repeat(3000)}\n`;
    const source = GOOD.replace('  description: Answers customers, looks up their orders and refunds small amounts.\n', filler);
    parse(GOOD); // compiles the contract schema and Ajv's meta-schema once per process
    const result = timed(() => parse(source));
    expect(result.value.ok).toBe(true);
    expect(result.ms).toBeLessThan(300);
  });

  const deep: readonly [string, string][] = [
    ['10,000 [', '['.repeat(10_000)],
    ['10,000 {', '{'.repeat(10_000)],
    ['10,000 balanced [ ]', `a: ${'['.repeat(10_000)}1${']'.repeat(10_000)}`],
    ['10,000 {a: …}', `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['200,000 compact - - -', `${'- '.repeat(200_000)}x`],
    ['a staircase of indentation', Array.from({ length: 1_400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')],
    ['list items indented one deeper each time', Array.from({ length: 1_400 }, (_, i) => `${' '.repeat(i)}- `).join('\n')],
  ];
  for (const [name, source] of deep) {
    it(`deep nesting: ${name}`, () => {
      const result = timed(() => parse(source));
      const d = onlyError(result.value);
      expect(d.code).toBe('yaml.too-deep');
      expect(d.message).toMatch(new RegExp(`more than ${MAX_NESTING} levels`));
      expect(d.location?.line).toBeGreaterThanOrEqual(1);
      expect(result.ms).toBeLessThan(1000);
    });
  }

  it('nesting just under the limit inside an embedded schema is accepted', () => {
    let schema = '{ type: string }';
    for (let i = 0; i < 25; i++) schema = `{ type: object, properties: { a: ${schema} } }`;
    const source = GOOD.replace('reason: { type: string, maxLength: 500 }', `reason: ${schema}`);
    expect(parse(source).ok).toBe(true);
  });

  it('nesting over the limit that slips past the quick scan is caught exactly', () => {
    let schema = '{ type: string }';
    for (let i = 0; i < 35; i++) schema = `{ properties: { a: ${schema} } }`;
    const source = GOOD.replace('reason: { type: string, maxLength: 500 }', `reason: ${schema}`);
    const d = onlyError(parse(source));
    expect(d.code).toBe('yaml.too-deep');
    expect(d.pointer).toMatch(/^\/spec\/actions\/submit_form\/input\/properties\/reason\/properties\/a/);
  });

  it('a billion-laughs alias bomb is refused at the first alias', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = timed(() => parse(lines.join('\n')));
    const d = onlyError(result.value);
    expect(d.code).toBe('yaml.alias-limit');
    expect(at(d)).toBe('2:8');
    expect(result.ms).toBeLessThan(1000);
  });

  it('a few ordinary aliases are fine', () => {
    const source = mutate('      output:\n        type: object\n        properties:\n          status:', '      output: &lookup\n        type: object\n        properties:\n          status:').replace(
      '    issue_refund:\n      complexity: 3\n',
      '    issue_refund:\n      complexity: 3\n      output: *lookup\n',
    );
    const result = parse(source);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.contract.spec.tools?.issue_refund?.output).toEqual(result.contract.spec.tools?.lookup_order?.output);
  });

  it('an alias used before its anchor is named and located', () => {
    const source = mutate('    issue_refund:\n      complexity: 3\n', '    issue_refund:\n      complexity: 3\n      output: *later\n');
    const d = onlyError(parse(source));
    expect(d.code).toBe('yaml.unknown-alias');
    expect(d.message).toMatch(/`\*later` has no anchor/);
    expect(at(d)).toBe(positionOf(source, '*later'));
  });

  it('never throws on a missing or odd options object', () => {
    // Untyped callers (IPC, CLI) can hand anything over.
    const parseAny = parse as unknown as (s: unknown) => ReturnType<typeof parse>;
    expect(parseAny(12345).ok).toBe(false);
    expect(parseAny(null).ok).toBe(false);
  });
});
