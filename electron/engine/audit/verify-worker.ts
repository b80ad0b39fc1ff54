/**
 * Worker-thread entry for verifyChainInWorker: opens its own read-only connection, verifies and
 * posts progress, then the result (or the error) to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CharterError } from '../../../shared/errors.ts';
import { openWorkspaceDatabase } from '../store/database.ts';
import type { VerifyWorkerData, VerifyWorkerMessage } from './verify-in-worker.ts';
import { verifyChainSync } from './verify.ts';

const data = workerData as VerifyWorkerData;
const post = (message: VerifyWorkerMessage): void => parentPort?.postMessage(message);

try {
  const db = await openWorkspaceDatabase(data.path, { readonly: true });
  try {
    const result = verifyChainSync(db, {
      fromSeq: data.fromSeq,
      toSeq: data.toSeq,
      payloads: data.payloads,
      onProgress: (p) => post({ kind: 'progress', checked: p.checked, total: p.total }),
    });
    post({ kind: 'done', result });
  } finally {
    await db.close();
  }
} catch (error) {
  const code = error instanceof CharterError ? error.code : 'store_unavailable';
  post({ kind: 'error', code, message: (error as Error).message });
}
