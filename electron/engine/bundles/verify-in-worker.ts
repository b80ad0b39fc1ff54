/**
 * Bundle verification in a worker thread (the app's Bundles screen): the main process never
 * blocks on a large bundle. Progress arrives as messages; aborting terminates the worker (it
 * only reads) and rejects with a `cancelled` CharterError.
 */
import { runWorkerTask, workerEntry } from '../start-worker.ts';
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

export function verifyBundleInWorker(path: string, options: WorkerVerifyOptions): Promise<BundleVerdict> {
  const data: VerifyWorkerData = { path, previousPath: options.previousPath ?? null, trusted: options.trusted, threshold: options.threshold ?? 1 };
  return runWorkerTask<VerifyToParent, BundleVerdict>(WORKER_URL, data, {
    what: 'verification',
    signal: options.signal,
    cancelled: () => 'verification was cancelled',
    onMessage: (message) => {
      if (message.kind === 'done') return { done: message.verdict };
      if (message.kind === 'error') return { error: new CharterError('internal', `verification failed: ${message.message}`) };
      options.onProgress?.(message);
      return null;
    },
  });
}
