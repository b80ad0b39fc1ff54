import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contractHash } from '../../../shared/contract/hash.ts';
import { GOOD } from './helpers.ts';

describe('contractHash', () => {
  it('is the SHA-256 hex of the exact UTF-8 bytes', () => {
    expect(contractHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contractHash('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
    expect(contractHash(GOOD)).toBe(contractHash(new TextEncoder().encode(GOOD)));
  });

  it('changes with any byte, whitespace and comments included', () => {
    expect(contractHash(GOOD)).not.toBe(contractHash(GOOD + '\n'));
    expect(contractHash(GOOD)).not.toBe(contractHash(GOOD.replace('# A support', '#  A support')));
    expect(contractHash('a\r\n')).not.toBe(contractHash('a\n'));
  });
});
