import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Combine } from '../../../shared/bundle/crc32-combine.ts';

describe('crc32Combine', () => {
  it('gives the CRC-32 of two runs joined, for every split of a buffer', () => {
    const bytes = randomBytes(300);
    const whole = crc32(bytes);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const a = bytes.subarray(0, cut);
      const b = bytes.subarray(cut);
      expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(whole);
    }
  });

  it('folds many segments of uneven sizes, as the verifier does', () => {
    const parts = [1, 70_000, 3, 1 << 20, 12345].map((n) => randomBytes(n));
    let crc = 0;
    for (const part of parts) crc = crc32Combine(crc, crc32(part), part.length);
    expect(crc).toBe(crc32(Buffer.concat(parts)));
  });
});
