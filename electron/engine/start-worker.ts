/**
 * Starts an engine worker thread from its entry module. Built code (dist/electron) loads the
 * compiled entry directly. Run from TypeScript sources (tests, the CLI under tsx) the worker must
 * load .ts files too, and `--import tsx` in a worker's execArgv does not reach the worker's own
 * loader on Node 20, so the worker starts as a small script importing its entry through tsx's
 * `tsImport`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';
import { CharterError } from '../../shared/errors.ts';
import { bundledEntry } from './bundled-entry.ts';

/**
 * `sourceName` is the entry beside the caller in the sources (`./verify-worker.ts`),
 * `builtName` the one beside the built bundle (`./bundle-verify-worker.js`).
 */
export function workerEntry(callerUrl: string, sourceName: string, builtName: string): URL {
  // (Modules loaded through tsx's tsImport carry a query in their URL: the path decides.)
  return new URL(new URL(callerUrl).pathname.endsWith('.ts') ? sourceName : builtName, callerUrl);
}

export interface StartOptions {
  readonly resourceLimits?: ResourceLimits;
  /** From the sources, start from a bundle of the entry (./bundled-entry.ts: faster, for entries that find no files beside them). */
  readonly bundled?: boolean;
}

export function startEngineWorker(entry: URL, workerData: unknown, options: StartOptions = {}): Worker {
  const { resourceLimits } = options;
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, ...(resourceLimits ? { resourceLimits } : {}) });
  if (options.bundled) return new Worker(bundledEntry(entry), { workerData, ...(resourceLimits ? { resourceLimits } : {}) });
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']?.import.default ?? '')).href;
  const script = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(script, { eval: true, workerData, ...(resourceLimits ? { resourceLimits } : {}) });
}

/** What a task's message handler makes of one message: keep going, finish, or fail. */
export type WorkerReply<R> = { readonly done: R } | { readonly error: Error } | null;

export interface WorkerTask<M, R> {
  /** Names the work in errors: "chain verification". */
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  /** The error message when the signal aborts (progress so far may be named). */
  readonly cancelled: () => string;
  readonly onMessage: (message: M) => WorkerReply<R>;
}

/**
 * Runs one worker to completion: its messages go to `onMessage` until one finishes the task;
 * an abort terminates it at once; a crash or an early exit is an internal error.
 */
export function runWorkerTask<M, R>(entry: URL, workerData: unknown, task: WorkerTask<M, R>): Promise<R> {
  return new Promise((resolve, reject) => {
    if (task.signal?.aborted) {
      reject(new CharterError('cancelled', `${task.what} was cancelled before it started`));
      return;
    }
    const worker = startEngineWorker(entry, workerData);
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      task.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      settle(() => reject(new CharterError('cancelled', task.cancelled())));
      void worker.terminate();
    };
    task.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: M) => {
      if (settled) return;
      const reply = task.onMessage(message);
      if (reply === null) return;
      if ('done' in reply) settle(() => resolve(reply.done));
      else settle(() => reject(reply.error));
    });
    worker.on('error', (error) => settle(() => reject(new CharterError('internal', `${task.what} failed: ${error.message}`))));
    worker.on('exit', (code) =>
      settle(() => reject(new CharterError('internal', `${task.what} stopped unexpectedly (worker exit code ${code})`))),
    );
  });
}
