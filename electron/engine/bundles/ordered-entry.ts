/**
 * One zip entry written from segments that are made in parallel: a segment's stored bytes go
 * straight into the entry when it is the segment being written, and wait in memory otherwise
 * (the caller is told to wait, so a segment ahead cannot run far ahead).
 */
import type { ManifestFile } from '../../../shared/bundle/format.ts';
import type { PackedTotals } from '../../../shared/bundle/zip-writer.ts';

interface Waiting {
  readonly chunk: Uint8Array;
  readonly written: () => void;
}

export class OrderedEntry {
  readonly #entry: { write(packed: Uint8Array, sealed: PackedTotals | null): ManifestFile | null };
  #packedSize = 0;
  #current = 0;
  readonly #queued = new Map<number, Waiting[]>();
  readonly #finished = new Set<number>();
  readonly #turns = new Map<number, (() => void)[]>();

  constructor(entry: { write(packed: Uint8Array, sealed: PackedTotals | null): ManifestFile | null }) {
    this.#entry = entry;
  }

  /** Segment `index`'s next stored bytes; a promise when they must wait for the segments before. */
  write(index: number, chunk: Uint8Array): Promise<void> | undefined {
    if (index === this.#current) {
      this.#put(chunk);
      return undefined;
    }
    return new Promise<void>((written) => {
      const queue = this.#queued.get(index) ?? [];
      queue.push({ chunk, written });
      this.#queued.set(index, queue);
    });
  }

  /** Segment `index` has handed over all its bytes. */
  finished(index: number): void {
    this.#finished.add(index);
    while (this.#finished.has(this.#current)) {
      this.#finished.delete(this.#current);
      for (const wake of this.#turns.get(this.#current) ?? []) wake();
      this.#turns.delete(this.#current);
      this.#current++;
      for (const waiting of this.#queued.get(this.#current) ?? []) {
        this.#put(waiting.chunk);
        waiting.written();
      }
      this.#queued.delete(this.#current);
    }
  }

  /** Resolves once segment `index` is finished (at once for a negative index). */
  turn(index: number): Promise<void> {
    if (index < this.#current) return Promise.resolve();
    return new Promise((resolve) => {
      const turns = this.#turns.get(index) ?? [];
      turns.push(resolve);
      this.#turns.set(index, turns);
    });
  }

  /** Ends the entry: `size` and `crc` of the content all segments made. */
  seal(size: number, crc: number): ManifestFile {
    return this.#entry.write(new Uint8Array(0), { size, crc, packedSize: this.#packedSize }) as ManifestFile;
  }

  #put(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#packedSize += chunk.length;
    this.#entry.write(chunk, null);
  }
}
