/**
 * Contract source as text: size bound, UTF-8 decoding, and offsets turned into 1-based
 * line:column positions (columns count UTF-16 code units, as editors do).
 */
import type { Diagnostic, SourceLocation } from '../errors.ts';
import { MAX_CONTRACT_BYTES } from './limits.ts';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly file?: string,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): { readonly line: number; readonly column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (this.starts[lo] as number) + 1 };
  }

  /** The location of `[start, end)`; an empty range still covers one column. */
  location(start: number, end: number = start): SourceLocation {
    const from = this.position(start);
    const to = this.position(Math.max(end, start + 1));
    const where = { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    return this.file === undefined ? where : { file: this.file, ...where };
  }

  /** Offset of the end of the line holding `offset` (before its newline). */
  lineEnd(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    const end = nl === -1 ? this.text.length : nl;
    return end > offset && this.text[end - 1] === '\r' ? end - 1 : end;
  }
}

export type DecodedSource = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

function failure(code: string, message: string, location: SourceLocation): DecodedSource {
  return { ok: false, diagnostic: { code, message, severity: 'error', location } };
}

function at(file: string | undefined, line = 1, column = 1): SourceLocation {
  return file === undefined ? { line, column } : { file, line, column };
}

const KIB = 1024;

function tooLarge(size: string, file: string | undefined): DecodedSource {
  return failure(
    'source.too-large',
    `The contract is ${size}; contracts may be at most ${MAX_CONTRACT_BYTES / KIB / KIB} MiB. Nothing was parsed.`,
    at(file),
  );
}

function sizeText(bytes: number): string {
  if (bytes >= KIB * KIB) return `${(bytes / KIB / KIB).toFixed(1)} MiB`;
  return `${(bytes / KIB).toFixed(1)} KiB`;
}

/** UTF-8 byte length of a string, stopping early once past `limit`. */
function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function locateOffset(text: string, offset: number, file: string | undefined): SourceLocation {
  return new LineIndex(text, file).location(offset);
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The contract's text, or a located reason why it has none: too large (checked before any
 * other work), binary, not UTF-8.
 */
export function decodeSource(input: string | Uint8Array, file: string | undefined): DecodedSource {
  if (typeof input === 'string') {
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this refuses huge strings at once.
    if (input.length > MAX_CONTRACT_BYTES) return tooLarge(`at least ${sizeText(input.length)}`, file);
    const bytes = utf8Length(input, MAX_CONTRACT_BYTES);
    if (bytes > MAX_CONTRACT_BYTES) return tooLarge(`more than ${sizeText(MAX_CONTRACT_BYTES)}`, file);
    const nul = input.indexOf('\0');
    if (nul !== -1) return binary(locateOffset(input, nul, file));
    const lone = LONE_SURROGATE.exec(input);
    if (lone) {
      return failure('source.encoding', 'The text holds a broken Unicode character (a lone surrogate); save the file as UTF-8.', locateOffset(input, lone.index, file));
    }
    return { ok: true, text: input.startsWith('\uFEFF') ? input.slice(1) : input };
  }
  if (!(input instanceof Uint8Array)) {
    return failure('source.encoding', 'The contract must be given as text or bytes.', at(file));
  }
  if (input.byteLength > MAX_CONTRACT_BYTES) return tooLarge(sizeText(input.byteLength), file);
  if ((input[0] === 0xfe && input[1] === 0xff) || (input[0] === 0xff && input[1] === 0xfe)) {
    return failure('source.encoding', 'The file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8.', at(file));
  }
  const nul = input.indexOf(0);
  const bad = firstInvalidUtf8(nul === -1 ? input : input.subarray(0, nul));
  if (bad !== -1) {
    const before = new TextDecoder('utf-8').decode(input.subarray(0, bad));
    return failure(
      'source.encoding',
      `The file is not valid UTF-8 (byte 0x${(input[bad] as number).toString(16).padStart(2, '0')} at offset ${bad}); contracts are UTF-8 text.`,
      locateOffset(before, before.length, file),
    );
  }
  if (nul !== -1) {
    const before = new TextDecoder('utf-8').decode(input.subarray(0, nul));
    return binary(locateOffset(before, before.length, file));
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(input) };
}

function binary(location: SourceLocation): DecodedSource {
  return failure(
    'source.binary',
    'The file looks binary (it holds a NUL byte); a contract is a YAML text file.',
    location,
  );
}
