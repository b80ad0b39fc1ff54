/**
 * Runs chain verification in a worker thread so the caller (Electron main, the bridge) never
 * blocks. Progress comes back as messages; cancelling raises a shared flag the worker polls.
 */
import { Worker } from 'node:worker_threads';
import type { ChainReport } from '../../shared/api/types.ts';
import { CharterError } from '../../shared/errors.ts';
import type { ChainWalkResult } from './verify-chain.ts';

// From source (tsx, tests) the worker boots tsx first; in the Electron build it is a sibling .cjs.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const BOOT = FROM_SOURCE ? new URL('./boot.mjs', import.meta.url) : new URL('./verify-chain.worker.cjs', import.meta.url);
const ENTRY = new URL('./verify-chain.worker.ts', import.meta.url).href;

export interface VerifyInWorkerOptions {
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

type WorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; result: ChainWalkResult }
  | { kind: 'error'; message: string };

export function verifyChainInWorker(path: string, options: VerifyInWorkerOptions = {}): Promise<ChainReport> {
  const started = performance.now();
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const worker = new Worker(BOOT, { workerData: { entry: ENTRY, path, cancel } });
  const onAbort = () => Atomics.store(flag, 0, 1);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  return new Promise<ChainReport>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') options.onProgress?.(message.done, message.total);
      else if (message.kind === 'done') finish(() => resolve({ ...message.result, elapsedMs: Math.round(performance.now() - started) }));
      else finish(() => reject(new CharterError('store_unavailable', `Could not read the audit trail to verify it: ${message.message}`)));
    });
    worker.on('error', (error) => finish(() => reject(new CharterError('internal', `Chain verification stopped unexpectedly: ${error.message}`))));
    worker.on('exit', (code) => finish(() => reject(new CharterError('internal', `Chain verification stopped unexpectedly (exit ${code}).`))));
  });
}
