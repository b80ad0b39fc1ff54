/**
 * Chain verification for the UI: the audit module's worker-thread verifier (its own read-only
 * connection, progress messages, abort terminates it) adapted to the ChainReport the CharterApi
 * returns, where a cancellation is a result the user chose rather than an error.
 */
import type { ChainReport } from '../../shared/api/types.ts';
import { isCharterError } from '../../shared/errors.ts';
import { verifyChainInWorker as verifyInAuditWorker } from '../engine/audit/verify-in-worker.ts';

export interface VerifyInWorkerOptions {
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export async function verifyChainInWorker(path: string, options: VerifyInWorkerOptions = {}): Promise<ChainReport> {
  const started = performance.now();
  let checked = 0;
  try {
    const result = await verifyInAuditWorker(path, {
      signal: options.signal,
      onProgress: (p) => {
        checked = p.checked;
        options.onProgress?.(p.checked, p.total);
      },
    });
    return { ...result, cancelled: false, elapsedMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (isCharterError(error) && error.code === 'cancelled') {
      return { ok: false, eventsChecked: checked, firstBad: null, headDigest: '', cancelled: true, elapsedMs: Math.round(performance.now() - started) };
    }
    throw error;
  }
}
