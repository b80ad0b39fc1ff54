/**
 * Worker entry: verifies the chain of the workspace at workerData.path on its own read-only
 * connection, posting progress; stops when the shared cancel flag is raised.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { walkChain } from './verify-chain.ts';

interface VerifyWorkerData {
  readonly path: string;
  readonly cancel: SharedArrayBuffer;
}

const data = workerData as VerifyWorkerData;
const cancel = new Int32Array(data.cancel);
const sqlite = new BetterSqlite3(data.path, { readonly: true, fileMustExist: true });
try {
  const result = walkChain(sqlite, {
    onProgress: (done, total) => parentPort?.postMessage({ kind: 'progress', done, total }),
    shouldStop: () => Atomics.load(cancel, 0) === 1,
  });
  parentPort?.postMessage({ kind: 'done', result });
} catch (error) {
  parentPort?.postMessage({ kind: 'error', message: (error as Error).message });
} finally {
  sqlite.close();
}
