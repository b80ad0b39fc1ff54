/**
 * Writes a bundle's zip with fflate's streaming `Zip`, compressing with node:zlib: each chunk
 * is deflated on its own and sync-flushed (deflateChunk), so the chunks concatenate into one
 * valid deflate stream, ended by an empty final block, without holding the entry in memory.
 * Every entry reports what the manifest lists for it: content size and SHA-256, stored size and
 * SHA-256.
 */
import { createHash } from 'node:crypto';
import { Zip } from 'fflate';
import type { ZipInputFile } from 'fflate';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { ManifestFile } from './format.ts';

type OnData = NonNullable<ZipInputFile['ondata']>;

/** zlib level 2: about twice as fast as 6 on event NDJSON, for ~12% more bytes. */
export const DEFAULT_LEVEL = 2;

/**
 * An 8 KiB window and zlib's largest hash table: on event NDJSON a fifth faster to compress and a
 * quarter faster to inflate than the defaults, for about the same size (events repeat within
 * a few lines, rarely further back). Any inflater reads it (the window only bounds distances).
 */
export const DEFLATE_OPTIONS = { windowBits: 13, memLevel: 9 } as const;

export interface EntryOptions {
  readonly compress: boolean;
  /** zlib level; DEFAULT_LEVEL when not given. */
  readonly level?: number;
}

export interface EntryWriter {
  write(chunk: Uint8Array): void;
  end(): ManifestFile;
}

/** What a finished entry reports: content size, CRC-32 and SHA-256; stored size and SHA-256. */
export interface PackedTotals {
  readonly size: number;
  readonly crc: number;
  /** Absent for events.ndjson (see ManifestFile). */
  readonly sha256?: string;
  readonly packedSize: number;
  /** Absent for events.ndjson (see ManifestFile). */
  readonly packedSha256?: string;
}

interface Sealed {
  readonly size: number;
  readonly crc: number;
}

/**
 * One chunk of an entry, deflated on its own and sync-flushed: chunks so made concatenate into
 * one deflate stream (and a reader can start at any of them), which DEFLATE_END then ends.
 */
export function deflateChunk(chunk: Uint8Array, level: number = DEFAULT_LEVEL): Buffer {
  return deflateRawSync(chunk, { ...DEFLATE_OPTIONS, level, finishFlush: constants.Z_SYNC_FLUSH });
}

/** An empty final block: the end of a deflate stream made of deflateChunk()s. */
export const DEFLATE_END: Uint8Array = Uint8Array.from(deflateRawSync(new Uint8Array(0), { finishFlush: constants.Z_FINISH }));

/** Hashes and compresses one entry's content; `out` receives the stored bytes. */
class EntryCompressor {
  readonly #options: EntryOptions;
  readonly #out: (chunk: Uint8Array, final: boolean, sealed: Sealed | null) => void;
  readonly #content = createHash('sha256');
  readonly #packed = createHash('sha256');
  #crc = 0;
  #size = 0;
  #packedSize = 0;

  constructor(options: EntryOptions, out: (chunk: Uint8Array, final: boolean, sealed: Sealed | null) => void) {
    this.#options = options;
    this.#out = out;
  }

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#content.update(chunk);
    this.#crc = crc32(chunk, this.#crc);
    this.#size += chunk.length;
    this.#emit(this.#options.compress ? deflateChunk(chunk, this.#options.level) : chunk, false);
  }

  end(path: string): { readonly file: ManifestFile; readonly crc: number } {
    this.#emit(this.#options.compress ? DEFLATE_END : new Uint8Array(0), true);
    const file = { path, size: this.#size, sha256: this.#content.digest('hex'), packedSize: this.#packedSize, packedSha256: this.#packed.digest('hex') };
    return { file, crc: this.#crc };
  }

  #emit(out: Uint8Array, final: boolean): void {
    this.#packed.update(out);
    this.#packedSize += out.length;
    this.#out(out, final, final ? { size: this.#size, crc: this.#crc } : null);
  }
}

export class BundleZipWriter {
  readonly #zip: Zip;
  readonly #mtime: Date;
  #error: Error | null = null;
  #open = false;

  /** `sink` receives the archive's bytes in order. */
  constructor(sink: (chunk: Uint8Array) => void, mtime: Date) {
    this.#mtime = mtime;
    this.#zip = new Zip((error, chunk) => {
      if (error) this.#error = error;
      else sink(chunk);
    });
  }

  /** Starts an entry; write its content in chunks, then end() it before the next one. */
  entry(name: string, options: EntryOptions): EntryWriter {
    const { ondata, file } = this.#add(name, options.compress ? 8 : 0);
    const compressor = new EntryCompressor(options, (chunk, final, sealed) => {
      if (sealed) {
        file.size = sealed.size;
        file.crc = sealed.crc;
      }
      ondata(null, chunk as Uint8Array<ArrayBuffer>, final);
      this.#check();
    });
    return {
      write: (chunk) => compressor.write(chunk),
      end: () => {
        const { file: listed } = compressor.end(name);
        this.#open = false;
        return listed;
      },
    };
  }

  /**
   * Starts an entry whose stored bytes are made elsewhere (deflated already when `compressed`, by
   * segment threads: electron/engine/bundles/ordered-entry.ts): write them in order, the last
   * one with the entry's totals.
   */
  packedEntry(name: string, compressed: boolean): { write(packed: Uint8Array, sealed: PackedTotals | null): ManifestFile | null } {
    const { ondata, file } = this.#add(name, compressed ? 8 : 0);
    return {
      write: (packed, sealed) => {
        if (sealed) {
          file.size = sealed.size;
          file.crc = sealed.crc;
        }
        ondata(null, packed as Uint8Array<ArrayBuffer>, sealed !== null);
        this.#check();
        if (!sealed) return null;
        this.#open = false;
        return {
          path: name, size: sealed.size, ...(sealed.sha256 === undefined ? {} : { sha256: sealed.sha256 }), packedSize: sealed.packedSize,
          ...(sealed.packedSha256 === undefined ? {} : { packedSha256: sealed.packedSha256 }),
        };
      },
    };
  }

  /** Writes a whole entry at once. */
  add(name: string, content: Uint8Array, compress: boolean): ManifestFile {
    const writer = this.entry(name, { compress });
    writer.write(content);
    return writer.end();
  }

  finish(): void {
    if (this.#open) throw new Error('a zip entry is still open');
    this.#zip.end();
    this.#check();
  }

  #add(name: string, compression: number): { readonly ondata: OnData; readonly file: ZipInputFile } {
    if (this.#open) throw new Error('the previous zip entry is still open');
    this.#open = true;
    const file: ZipInputFile = { filename: name, size: 0, crc: 0, compression, mtime: this.#mtime };
    this.#zip.add(file);
    return { ondata: file.ondata as OnData, file };
  }

  #check(): void {
    if (this.#error) throw this.#error;
  }
}
