/**
 * Bundle export in a worker thread, so the app's main process never blocks on a long trail.
 * Progress arrives as messages; aborting asks the worker to stop (it removes its partial file)
 * and rejects with a `cancelled` CharterError. Private keys stay in this thread: the worker
 * sends the manifest's bytes back to be signed.
 */
import type { Worker } from 'node:worker_threads';
import { startEngineWorker, workerEntry } from '../start-worker.ts';
import { rmSync } from 'node:fs';
import type { CharterErrorCode } from '../../../shared/errors.ts';
import { CharterError } from '../../../shared/errors.ts';
import { MANIFEST_TYP } from '../../../shared/bundle/format.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import type { ExportBundleOptions, ExportProgress, ExportResult } from './export.ts';

type PlainOptions = Pick<ExportBundleOptions, 'out' | 'from' | 'to' | 'level' | 'workspaceName' | 'record' | 'workerThreads' | 'segmentEvents'>;

export interface ExportWorkerData {
  readonly path: string;
  readonly kids: readonly string[];
  readonly options: PlainOptions;
}

export type ExportToParent =
  | { readonly kind: 'progress'; readonly progress: ExportProgress }
  | { readonly kind: 'sign'; readonly manifest: Uint8Array }
  | { readonly kind: 'done'; readonly result: ExportResult }
  | { readonly kind: 'error'; readonly code: CharterErrorCode; readonly message: string };

export type ExportToWorker =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'signatures'; readonly jws: readonly string[] };

export interface WorkerExportOptions extends PlainOptions {
  readonly signers: readonly JwsSigner[];
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly signal?: AbortSignal;
}

const WORKER_URL = workerEntry(import.meta.url, './export-worker.ts', './bundle-export-worker.js');
/** How long a cancelled worker may take to clean up before it is terminated. */
const CANCEL_GRACE_MS = 5000;

function startWorker(workerData: ExportWorkerData): Worker {
  return startEngineWorker(WORKER_URL, workerData);
}

export function exportBundleInWorker(path: string, options: WorkerExportOptions): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CharterError('cancelled', 'the export was cancelled before it started'));
      return;
    }
    const { signers, onProgress, signal, ...plain } = options;
    const worker = startWorker({ path, kids: signers.map((s) => s.kid), options: plain });
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (grace) clearTimeout(grace);
      fn();
    };
    const onAbort = (): void => {
      worker.postMessage({ kind: 'cancel' } satisfies ExportToWorker);
      grace = setTimeout(() => {
        void worker.terminate();
        rmSync(`${options.out}.partial`, { force: true });
        settle(() => reject(new CharterError('cancelled', 'the export was cancelled')));
      }, CANCEL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ExportToParent) => {
      if (settled) return;
      if (message.kind === 'progress') onProgress?.(message.progress);
      else if (message.kind === 'sign') {
        try {
          const jws = signers.map((s) => s.sign(message.manifest, MANIFEST_TYP));
          worker.postMessage({ kind: 'signatures', jws } satisfies ExportToWorker);
        } catch (error) {
          void worker.terminate();
          settle(() => reject(error));
        }
      } else if (message.kind === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new CharterError(message.code, message.message)));
    });
    worker.on('error', (error) => settle(() => reject(new CharterError('internal', `the export failed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new CharterError('internal', `the export stopped unexpectedly (worker exit code ${code})`))));
  });
}
