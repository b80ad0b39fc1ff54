/**
 * Chain verification in a worker thread with its own read-only connection, so a long trail never
 * blocks the thread that serves the UI. Progress arrives as messages; aborting terminates the
 * worker at once and rejects with a `cancelled` CharterError.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CharterErrorCode } from '../../../shared/errors.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ChainVerification, VerifyProgress } from '../services.ts';
import type { VerifyOptions } from './verify.ts';

export interface VerifyWorkerData {
  readonly path: string;
  readonly fromSeq: number | undefined;
  readonly toSeq: number | undefined;
  readonly payloads: boolean | undefined;
}

export type VerifyWorkerMessage =
  | { readonly kind: 'progress'; readonly checked: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: ChainVerification }
  | { readonly kind: 'error'; readonly code: CharterErrorCode; readonly message: string };

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './verify-worker.ts' : './verify-worker.js', import.meta.url);

/** Run from TypeScript source (tests, CLI via tsx), the worker needs tsx's loader too. */
function workerExecArgv(): string[] | undefined {
  if (!WORKER_URL.pathname.endsWith('.ts')) return undefined;
  const loader = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(loader).href];
}

export function verifyChainInWorker(path: string, options: VerifyOptions = {}): Promise<ChainVerification> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CharterError('cancelled', 'chain verification was cancelled before it started'));
      return;
    }
    const data: VerifyWorkerData = { path, fromSeq: options.fromSeq, toSeq: options.toSeq, payloads: options.payloads };
    const worker = new Worker(WORKER_URL, { workerData: data, execArgv: workerExecArgv() });
    let last: VerifyProgress = { checked: 0, total: 0 };
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      settle(() => reject(new CharterError('cancelled', `chain verification was cancelled after ${last.checked} events`)));
      void worker.terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: VerifyWorkerMessage) => {
      if (settled) return;
      if (message.kind === 'progress') {
        last = { checked: message.checked, total: message.total };
        options.onProgress?.(last);
      } else if (message.kind === 'done') {
        settle(() => resolve(message.result));
      } else {
        settle(() => reject(new CharterError(message.code, message.message)));
      }
    });
    worker.on('error', (error) => settle(() => reject(new CharterError('internal', `chain verification failed: ${error.message}`))));
    worker.on('exit', (code) =>
      settle(() => reject(new CharterError('internal', `chain verification stopped unexpectedly (worker exit code ${code})`))),
    );
  });
}
