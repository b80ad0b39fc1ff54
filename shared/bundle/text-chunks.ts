/**
 * Collects many small strings into ~1 MiB UTF-8 buffers, encoding each string straight into
 * the buffer: no long string is ever built by concatenation (V8 would have to flatten it
 * before encoding, which cost more than everything else per line) and no copy is made.
 */
export class TextChunks {
  readonly #size: number;
  readonly #emit: (chunk: Buffer) => void;
  #buffer: Buffer;
  #used = 0;

  readonly #reuse: boolean;

  /**
   * `emit` takes ownership of each chunk: the buffer is never written again — unless `reuse`,
   * when `emit` must be done with the chunk when it returns (one buffer serves throughout).
   */
  constructor(emit: (chunk: Buffer) => void, size = 1 << 20, reuse = false) {
    this.#size = size;
    this.#emit = emit;
    this.#reuse = reuse;
    this.#buffer = Buffer.allocUnsafe(size);
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const max = text.length * 3;
    if (this.#used + max > this.#size) {
      this.flush();
      if (max > this.#size) {
        this.#emit(Buffer.from(text));
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used);
  }

  /** Hands over what is buffered (if anything) and starts a new buffer. */
  flush(): void {
    if (this.#used === 0) return;
    this.#emit(this.#buffer.subarray(0, this.#used));
    if (!this.#reuse) this.#buffer = Buffer.allocUnsafe(this.#size);
    this.#used = 0;
  }
}
