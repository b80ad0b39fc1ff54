/**
 * Worker threads that export and verify segments of events.ndjson (./export-segment.ts,
 * shared/bundle/verify-segment.ts), one segment per thread at a time, as many threads as the
 * machine has cores (at most 8). An exporting thread hands its stored bytes over as it makes
 * them and waits when more than MAX_UNWRITTEN of them are not written yet, so memory stays
 * bounded however far ahead of the writer it is.
 */
import { availableParallelism } from 'node:os';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { CharterError } from '../../../shared/errors.ts';
import type { CharterErrorCode } from '../../../shared/errors.ts';
import type { SegmentVerifier } from '../../../shared/bundle/verify.ts';
import type { VerifySegmentReport, VerifySegmentTask } from '../../../shared/bundle/verify-segment.ts';
import { startEngineWorker, workerEntry } from '../start-worker.ts';
import type { SegmentExporter } from './export.ts';
import type { ExportSegmentResult, ExportSegmentTask, PackedSink } from './export-segment.ts';

export interface SegmentWorkerData {
  /** The workspace export tasks read from (each thread opens it read-only). */
  readonly dbPath: string | null;
}

export type ToSegmentWorker =
  | { readonly kind: 'verify'; readonly id: number; readonly task: VerifySegmentTask }
  | { readonly kind: 'export'; readonly id: number; readonly task: ExportSegmentTask }
  | { readonly kind: 'written'; readonly bytes: number };

export type FromSegmentWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'packed'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly kind: 'done'; readonly id: number; readonly result: unknown }
  | { readonly kind: 'error'; readonly id: number; readonly code: CharterErrorCode; readonly message: string };

/** Stored bytes an exporting thread may have handed over before they are written. */
export const MAX_UNWRITTEN = 4 << 20;

/**
 * A segment's work makes short-lived garbage at a high rate (a string per field of every event):
 * a small young generation keeps each thread's memory down at no measurable cost in time.
 */
const LIMITS: ResourceLimits = {};

interface Job {
  readonly message: ToSegmentWorker;
  readonly transfer: ArrayBuffer[];
  readonly sink: PackedSink | null;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  job: Job | null;
  /** Its entry module has loaded: it takes tasks. */
  ready: boolean;
}

export interface SegmentPoolOptions {
  readonly dbPath?: string | null;
  /** Default: the machine's cores, at most 8. */
  readonly threads?: number;
}

export class SegmentPool implements SegmentVerifier, SegmentExporter {
  readonly parallelism: number;
  readonly #threads: Thread[];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #closed = false;
  readonly #ready: Promise<void>;

  private constructor(threads: Thread[]) {
    this.#threads = threads;
    this.parallelism = threads.length;
    this.#ready = Promise.all(threads.map((thread) => this.#listen(thread))).then(() => {});
    this.#ready.catch(() => {}); // a thread that cannot start fails the tasks given to it
  }

  /** Starts the threads and waits until they are ready (failing if they cannot start). */
  static async open(options: SegmentPoolOptions = {}): Promise<SegmentPool> {
    const pool = SegmentPool.start(options);
    try {
      await pool.#ready;
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /**
   * Starts the threads and answers at once: tasks wait until a thread is ready, so the threads'
   * start-up overlaps whatever the caller does first (reading the manifest, checking signatures).
   */
  static start(options: SegmentPoolOptions = {}): SegmentPool {
    const count = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
    const entry = workerEntry(import.meta.url, './segment-worker.ts', './bundle-segment-worker.js');
    const data: SegmentWorkerData = { dbPath: options.dbPath ?? null };
    return new SegmentPool(Array.from({ length: count }, () => ({ worker: startEngineWorker(entry, data, { resourceLimits: LIMITS, bundled: true }), job: null, ready: false })));
  }

  verifySegment(task: VerifySegmentTask): Promise<VerifySegmentReport> {
    // The stored bytes move to the thread; a view into a larger buffer is copied first.
    // (Buffer's slice() is a view: Uint8Array's makes the copy.)
    const packed = task.packed.byteOffset === 0 && task.packed.byteLength === task.packed.buffer.byteLength
      ? task.packed : Uint8Array.prototype.slice.call(task.packed);
    return this.#run({ kind: 'verify', id: this.#nextId++, task: { ...task, packed } }, [packed.buffer as ArrayBuffer], null) as Promise<VerifySegmentReport>;
  }

  exportSegment(task: ExportSegmentTask, sink: PackedSink): Promise<ExportSegmentResult> {
    return this.#run({ kind: 'export', id: this.#nextId++, task }, [], sink) as Promise<ExportSegmentResult>;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const failure = new CharterError('cancelled', 'the bundle worker threads were stopped');
    for (const job of this.#queue.splice(0)) job.reject(failure);
    await Promise.all(this.#threads.map(async (t) => {
      t.worker.removeAllListeners('exit');
      t.job?.reject(failure);
      t.job = null;
      await t.worker.terminate();
    }));
  }

  #run(message: ToSegmentWorker, transfer: ArrayBuffer[], sink: PackedSink | null): Promise<unknown> {
    if (this.#closed) return Promise.reject(new CharterError('cancelled', 'the bundle worker threads were stopped'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, transfer, sink, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const thread of this.#threads) {
      if (!thread.ready || thread.job !== null) continue;
      const job = this.#queue.shift();
      if (!job) return;
      thread.job = job;
      thread.worker.postMessage(job.message, job.transfer);
    }
  }

  /** Resolves when the thread is ready, rejects when it stops before. */
  #listen(thread: Thread): Promise<void> {
    const worker = thread.worker;
    let started: () => void = () => {};
    let failed: (error: Error) => void = () => {};
    const ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    worker.on('message', (m: FromSegmentWorker) => {
      if (m.kind === 'ready') {
        thread.ready = true;
        started();
        this.#dispatch();
        return;
      }
      const job = thread.job;
      if (!job) return;
      if (m.kind === 'packed') {
        const wait = job.sink?.(m.chunk);
        const written = (): void => worker.postMessage({ kind: 'written', bytes: m.chunk.length } satisfies ToSegmentWorker);
        if (wait) void wait.then(written, () => {});
        else written();
        return;
      }
      thread.job = null;
      if (m.kind === 'done') job.resolve(m.result);
      else job.reject(new CharterError(m.code, m.message));
      this.#dispatch();
    });
    const crashed = (why: string): void => {
      failed(new CharterError('internal', `the bundle worker threads did not start: a thread ${why}`));
      const job = thread.job;
      thread.job = null;
      job?.reject(new CharterError('internal', `a bundle worker thread ${why}`));
      // The others carry on; this one is gone for good.
      const i = this.#threads.indexOf(thread);
      if (i !== -1) this.#threads.splice(i, 1);
      if (this.#threads.length === 0) for (const queued of this.#queue.splice(0)) queued.reject(new CharterError('internal', `the bundle worker threads ${why}`));
    };
    worker.on('error', (error) => crashed(`failed: ${error.message}`));
    worker.on('exit', (code) => crashed(`stopped (exit code ${code})`));
    return ready;
  }
}
