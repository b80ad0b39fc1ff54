/**
 * Bundle verification in a worker thread (the app's Bundles screen): the main process never
 * blocks on a large bundle. Progress arrives as messages; aborting terminates the worker (it
 * only reads) and rejects with a `cancelled` CharterError.
 */
import type { Worker } from 'node:worker_threads';
import { startEngineWorker, workerEntry } from '../start-worker.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { BundleVerdict } from '../../../shared/bundle/verify.ts';
import type { Jwks } from '../../../shared/merkle/jws.ts';

export interface VerifyWorkerData {
  readonly path: string;
  readonly previousPath: string | null;
  readonly trusted: Jwks;
  readonly threshold: number;
}

export type VerifyToParent =
  | { readonly kind: 'progress'; readonly file: string; readonly bytes: number; readonly total: number }
  | { readonly kind: 'done'; readonly verdict: BundleVerdict }
  | { readonly kind: 'error'; readonly message: string };

export interface WorkerVerifyOptions {
  /** The verifier's trusted keys (a JWKS); never taken from the bundle. */
  readonly trusted: Jwks;
  readonly threshold?: number;
  /** An earlier bundle this one must extend; verified first. */
  readonly previousPath?: string;
  readonly onProgress?: (progress: { readonly file: string; readonly bytes: number; readonly total: number }) => void;
  readonly signal?: AbortSignal;
}

const WORKER_URL = workerEntry(import.meta.url, './verify-worker.ts', './bundle-verify-worker.js');

function startWorker(workerData: VerifyWorkerData): Worker {
  return startEngineWorker(WORKER_URL, workerData);
}

export function verifyBundleInWorker(path: string, options: WorkerVerifyOptions): Promise<BundleVerdict> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CharterError('cancelled', 'verification was cancelled before it started'));
      return;
    }
    const worker = startWorker({ path, previousPath: options.previousPath ?? null, trusted: options.trusted, threshold: options.threshold ?? 1 });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      settle(() => reject(new CharterError('cancelled', 'verification was cancelled')));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: VerifyToParent) => {
      if (settled) return;
      if (message.kind === 'progress') options.onProgress?.(message);
      else if (message.kind === 'done') settle(() => resolve(message.verdict));
      else settle(() => reject(new CharterError('internal', `verification failed: ${message.message}`)));
    });
    worker.on('error', (error) => settle(() => reject(new CharterError('internal', `verification failed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new CharterError('internal', `verification stopped unexpectedly (worker exit code ${code})`))));
  });
}
