import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/engine/audit/canonical-json.ts';

describe('canonicalJson', () => {
  it('gives the canonicalize package’s RFC 8785 text for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('sorts keys by UTF-16 code units and formats numbers as RFC 8785 says', () => {
    expect(canonicalJson({ b: 1, a: 2, '\u20ac': 3, '\ud83d\ude00': 4, é: 5 })).toBe('{"a":2,"b":1,"é":5,"€":3,"😀":4}');
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 100])).toBe('[1e+21,1e-7,0,0.30000000000000004,100]');
    expect(canonicalJson({ a: undefined, d: new Date(0), n: null })).toBe('{"d":"1970-01-01T00:00:00.000Z","n":null}');
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/NaN/);
    expect(() => canonicalJson({ x: Infinity })).toThrow(/Infinity/);
    expect(() => canonicalJson('\ud800')).toThrow(/surrogate/);
    expect(() => canonicalJson(1n)).toThrow(/BigInt/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(/Circular/);
  });
});
