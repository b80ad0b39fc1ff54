/**
 * CRC-32 of two byte runs joined, from the CRC-32 of each and the second's length — zlib's
 * crc32_combine, which node:zlib does not expose. Segments of events.ndjson are inflated on
 * different threads; their CRCs combine into the one the zip entry declares.
 */

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0, v = vector >>> 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= matrix[i] as number;
  return sum >>> 0;
}

function square(out: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) out[n] = times(matrix, matrix[n] as number);
}

export function crc32Combine(crc1: number, crc2: number, length2: number): number {
  if (length2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  // The operator for one zero bit: the reflected CRC-32 polynomial, then shifts.
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let crc = crc1 >>> 0;
  let remaining = length2;
  // Applies length2 zero bytes to crc1, one bit of length2 at a time.
  for (;;) {
    square(even, odd);
    if (remaining % 2 === 1) crc = times(even, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
    square(odd, even);
    if (remaining % 2 === 1) crc = times(odd, crc);
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) break;
  }
  return (crc ^ crc2) >>> 0;
}
