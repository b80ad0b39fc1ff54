/**
 * Reads a user-supplied text file (contract, suite, scenario) with the checks every such file
 * needs before parsing: it exists, it is a regular file, it is not too large (checked before
 * reading it), it is not binary and it is valid UTF-8. Failures are CharterErrors located at
 * the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CharterError } from '../../../shared/errors.ts';
import type { Diagnostic } from '../../../shared/errors.ts';

/** Contracts, suites and scenarios are small documents; anything bigger is a mistake. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export interface ReadSourceOptions {
  readonly maxBytes?: number;
  /** What the file is, for messages: "contract", "test suite". */
  readonly kind?: string;
}

export function readSourceFile(path: string, options: ReadSourceOptions = {}): string {
  const maxBytes = options.maxBytes ?? MAX_SOURCE_BYTES;
  const kind = options.kind ?? 'file';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileError('invalid_argument', path, `cannot read ${kind}: ${systemReason(error)}`, 'file.unreadable');
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw fileError('invalid_argument', path, `cannot read ${kind}: it is a directory`, 'file.unreadable');
    if (!stat.isFile()) throw fileError('invalid_argument', path, `cannot read ${kind}: not a regular file`, 'file.unreadable');
    if (stat.size > maxBytes) {
      throw fileError('too_large', path, `${kind} is ${formatBytes(stat.size)}; the limit is ${formatBytes(maxBytes)}`, 'file.too-large');
    }
    // Read at most one byte past the limit, in case the file grew since fstat.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) throw fileError('too_large', path, `${kind} is larger than ${formatBytes(maxBytes)}`, 'file.too-large');
    return decodeText(buffer.subarray(0, length), path, kind);
  } finally {
    closeSync(fd);
  }
}

/** Decodes UTF-8 text, refusing binary data with a located error. */
export function decodeText(bytes: Uint8Array, path: string, kind = 'file'): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw fileError('invalid_argument', path, `${kind} looks binary (NUL byte at offset ${nul}); expected YAML text`, 'file.binary', bytes, nul);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw fileError('invalid_argument', path, `${kind} is not valid UTF-8 (bad byte at offset ${offset})`, 'file.encoding', bytes, offset);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function fileError(
  code: 'invalid_argument' | 'too_large',
  file: string,
  message: string,
  diagnosticCode: string,
  bytes?: Uint8Array,
  offset?: number,
): CharterError {
  const location = bytes && offset !== undefined ? { file, ...lineColumnAt(bytes, offset) } : { file, line: 1, column: 1 };
  const diagnostic: Diagnostic = { code: diagnosticCode, message, severity: 'error', location };
  return new CharterError(code, `${file}: ${message}`, [diagnostic]);
}

function lineColumnAt(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search for the shortest failing prefix. Streaming mode keeps a prefix that ends
  // inside a valid multi-byte sequence from counting as a failure.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  // A truncated sequence only fails at the byte after it; report the lead byte that started it.
  for (let back = 1; back <= 3 && lo - back >= 0; back++) {
    if (bytes[lo - back]! >= 0xc0) return lo - back;
    if (bytes[lo - back]! < 0x80) break;
  }
  return lo;
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (error as Error).message;
}
