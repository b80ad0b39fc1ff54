/**
 * A strict reader for the zip layout Charter writes (fflate, streamed entries with data
 * descriptors). Everything is checked from the central directory and the local headers BEFORE
 * any byte is inflated: entry count, declared sizes and ratios (zip bombs), names (`..`,
 * absolute, backslashes, drive letters, duplicates), symlinks, and that every byte of the file
 * belongs to exactly one header, entry or descriptor — so a change anywhere is noticed. Inflating
 * then enforces the declared size and checks the CRC.
 */
import { crc32, createInflateRaw } from 'node:zlib';
import { reject } from './failures.ts';

/** Random-access bytes: a file handle, or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxTotalSize: number;
  readonly maxEntrySize: number;
  /** Largest uncompressed/compressed ratio allowed for an entry bigger than 64 KiB. */
  readonly maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalSize: 4 * 1024 ** 3,
  maxEntrySize: 4 * 1024 ** 3 - 1,
  maxRatio: 200,
};

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly crc: number;
  readonly packedSize: number;
  readonly size: number;
  /** Where the entry's data starts and ends in the file. */
  readonly dataStart: number;
  readonly dataEnd: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const DESCRIPTOR_SIZE = 16;
const VERSION = 20;
const FLAG_DESCRIPTOR = 0x0008;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function archive(message: string, file?: string): never {
  return reject('archive', file ? `${file}: ${message}` : message, file ? { file } : {});
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Why a name is unsafe to extract anywhere, or undefined when it is a plain relative path. */
export function unsafeName(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return 'has an empty or over-long name';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return 'contains a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'contains an empty or "." segment';
  return undefined;
}

/**
 * Reads and checks the archive's structure. Returns the entries in file order; throws a
 * BundleRejection ('archive') on anything unexpected.
 */
export async function readZipEntries(source: ByteSource, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<readonly ZipEntry[]> {
  if (source.size < EOCD_SIZE) archive('the file is too short to be a zip archive');
  // Charter writes no archive comment, so the end record is exactly the last 22 bytes.
  const end = view(await source.read(source.size - EOCD_SIZE, EOCD_SIZE));
  if (end.getUint32(0, true) !== EOCD) archive('no zip end record at the end of the file (not a zip, or bytes appended)');
  const count = end.getUint16(10, true);
  const cdSize = end.getUint32(12, true);
  const cdOffset = end.getUint32(16, true);
  if (end.getUint16(4, true) !== 0 || end.getUint16(6, true) !== 0 || end.getUint16(8, true) !== count || end.getUint16(20, true) !== 0) {
    archive('the zip end record names several disks or carries a comment');
  }
  if (count > limits.maxEntries) archive(`the archive has ${count} entries; at most ${limits.maxEntries} are accepted`);
  if (cdOffset + cdSize !== source.size - EOCD_SIZE) archive('the central directory does not end where the end record begins');
  if (cdSize > count * (CENTRAL_SIZE + 255)) archive('the central directory is larger than its entries can be');

  const cd = await source.read(cdOffset, cdSize);
  const cdv = view(cd);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let pos = 0;
  let expectedOffset = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (pos + CENTRAL_SIZE > cd.length || cdv.getUint32(pos, true) !== CENTRAL) archive(`central directory entry ${i + 1} is damaged`);
    const madeBy = cdv.getUint16(pos + 4, true);
    const needed = cdv.getUint16(pos + 6, true);
    const flags = cdv.getUint16(pos + 8, true);
    const method = cdv.getUint16(pos + 10, true);
    const time = cdv.getUint32(pos + 12, true);
    const crc = cdv.getUint32(pos + 16, true);
    const packedSize = cdv.getUint32(pos + 20, true);
    const size = cdv.getUint32(pos + 24, true);
    const nameLength = cdv.getUint16(pos + 28, true);
    const extraLength = cdv.getUint16(pos + 30, true);
    const commentLength = cdv.getUint16(pos + 32, true);
    const disk = cdv.getUint16(pos + 34, true);
    const internal = cdv.getUint16(pos + 36, true);
    const external = cdv.getUint32(pos + 38, true);
    const offset = cdv.getUint32(pos + 42, true);
    if (pos + CENTRAL_SIZE + nameLength + extraLength + commentLength > cd.length) archive(`central directory entry ${i + 1} overruns the directory`);
    const nameBytes = cd.subarray(pos + CENTRAL_SIZE, pos + CENTRAL_SIZE + nameLength);
    let name: string;
    try {
      name = new TextDecoder('utf-8', { fatal: true }).decode(nameBytes);
    } catch {
      archive(`central directory entry ${i + 1} has a name that is not UTF-8`);
    }
    pos += CENTRAL_SIZE + nameLength + extraLength + commentLength;

    const unsafe = unsafeName(name);
    if (unsafe) archive(`unsafe entry name ${JSON.stringify(name)}: it ${unsafe}`, name);
    if ((madeBy >> 8) === 3 && ((external >>> 16) & S_IFMT) === S_IFLNK) archive('is a symbolic link; bundles hold only plain files', name);
    const folded = name.toLowerCase();
    if (seen.has(folded)) archive('appears twice in the archive (duplicate entry name)', name);
    seen.add(folded);
    if (name.endsWith('/')) archive('is a directory entry', name);
    if (madeBy !== VERSION || needed !== VERSION || external !== 0 || internal !== 0 || disk !== 0 || extraLength !== 0 || commentLength !== 0) {
      archive('has header fields Charter does not write (attributes, extra fields, comments or versions)', name);
    }
    if (flags !== FLAG_DESCRIPTOR) archive(`has general-purpose flags 0x${flags.toString(16)} (encrypted or unexpected)`, name);
    if (method !== 0 && method !== 8) archive(`uses compression method ${method}; only stored and deflate are accepted`, name);
    if (method === 0 && packedSize !== size) archive('is stored uncompressed but its sizes differ', name);
    if (size > limits.maxEntrySize) archive(`declares ${size} bytes, more than the ${limits.maxEntrySize} allowed`, name);
    if (size > 65536 && size > packedSize * limits.maxRatio) {
      archive(`would inflate ${packedSize} bytes to ${size} (ratio over ${limits.maxRatio}: a zip bomb?)`, name);
    }
    total += size;
    if (total > limits.maxTotalSize) archive(`the entries would inflate to more than ${limits.maxTotalSize} bytes in all`);
    if (offset !== expectedOffset) archive('does not start where the previous entry ends (gap, overlap or reordering)', name);
    const dataStart = offset + LOCAL_SIZE + nameLength;
    const dataEnd = dataStart + packedSize;
    expectedOffset = dataEnd + DESCRIPTOR_SIZE;
    if (expectedOffset > cdOffset) archive('runs into the central directory', name);

    // The local header and the data descriptor must repeat the central directory exactly.
    const local = await source.read(offset, LOCAL_SIZE + nameLength);
    const lv = view(local);
    if (lv.getUint32(0, true) !== LOCAL || lv.getUint16(4, true) !== needed || lv.getUint16(6, true) !== flags
      || lv.getUint16(8, true) !== method || lv.getUint32(10, true) !== time || lv.getUint32(14, true) !== 0
      || lv.getUint32(18, true) !== 0 || lv.getUint32(22, true) !== 0 || lv.getUint16(26, true) !== nameLength
      || lv.getUint16(28, true) !== 0 || !equal(local.subarray(LOCAL_SIZE), nameBytes)) {
      archive('its local header does not match the central directory', name);
    }
    const dv = view(await source.read(dataEnd, DESCRIPTOR_SIZE));
    if (dv.getUint32(0, true) !== DESCRIPTOR || dv.getUint32(4, true) !== crc || dv.getUint32(8, true) !== packedSize
      || dv.getUint32(12, true) !== size) {
      archive('its data descriptor does not match the central directory', name);
    }
    entries.push({ name, method, crc, packedSize, size, dataStart, dataEnd });
  }
  if (pos !== cd.length) archive('the central directory holds bytes after its last entry');
  if (expectedOffset !== cdOffset) archive('bytes lie between the last entry and the central directory');
  return entries;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const READ_CHUNK = 1024 * 1024;

/** The entry's stored (compressed) bytes, in chunks. */
export async function* packedChunks(source: ByteSource, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  for (let at = entry.dataStart; at < entry.dataEnd; at += READ_CHUNK) {
    yield await source.read(at, Math.min(READ_CHUNK, entry.dataEnd - at));
  }
}

export interface EntryDigest {
  readonly crc: number;
  readonly size: number;
}

/**
 * Inflates one entry, handing each chunk of content to `onChunk` and each chunk of stored bytes
 * to `onPacked`. Stops with 'tampered' when the content overruns its declared size, does not
 * inflate, or fails its CRC. When `onChunk` returns a promise, the next chunk waits for it.
 */
export async function readEntry(
  source: ByteSource,
  entry: ZipEntry,
  onChunk: (chunk: Uint8Array) => unknown,
  onPacked: (chunk: Uint8Array) => void = () => {},
): Promise<void> {
  let crc = 0;
  let size = 0;
  const take = (chunk: Uint8Array): unknown => {
    size += chunk.length;
    if (size > entry.size) reject('tampered', `${entry.name}: inflates past its declared size of ${entry.size} bytes`, { file: entry.name });
    crc = crc32(chunk, crc);
    return onChunk(chunk);
  };
  if (entry.method === 0) {
    for await (const chunk of packedChunks(source, entry)) {
      onPacked(chunk);
      await take(chunk);
    }
  } else {
    const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
    const feeding = (async () => {
      for await (const chunk of packedChunks(source, entry)) {
        onPacked(chunk);
        if (inflater.destroyed) return;
        if (!inflater.write(chunk)) await drained(inflater);
      }
      inflater.end();
    })();
    try {
      for await (const chunk of inflater) await take(chunk as Uint8Array);
    } catch (error) {
      inflater.destroy();
      await feeding.catch(() => {});
      if ((error as { name?: string }).name === 'BundleRejection') throw error;
      reject('tampered', `${entry.name}: its compressed data is damaged (${(error as Error).message})`, { file: entry.name });
    }
    await feeding;
  }
  if (size !== entry.size) reject('tampered', `${entry.name}: holds ${size} bytes, not the ${entry.size} its header declares`, { file: entry.name });
  if (crc !== entry.crc) reject('tampered', `${entry.name}: its content does not match its CRC-32`, { file: entry.name });
}

function drained(stream: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** Reads a small entry whole. */
export async function readEntryBytes(source: ByteSource, entry: ZipEntry): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await readEntry(source, entry, (c) => chunks.push(Buffer.from(c)));
  return Buffer.concat(chunks);
}
