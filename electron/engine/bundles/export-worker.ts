/**
 * Worker-thread entry for exportBundleInWorker: its own connection, progress messages, cancel
 * on request (the partial file is removed), and signing by the parent, which keeps the keys.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CharterError } from '../../../shared/errors.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { openWorkspaceDatabase } from '../store/database.ts';
import { exportBundle } from './export.ts';
import type { ExportToParent, ExportToWorker, ExportWorkerData } from './export-in-worker.ts';

const data = workerData as ExportWorkerData;
const port = parentPort;
const post = (message: ExportToParent): void => port?.postMessage(message);
const abort = new AbortController();
let signed: ((jws: readonly string[]) => void) | null = null;

port?.on('message', (message: ExportToWorker) => {
  if (message.kind === 'cancel') abort.abort();
  else if (message.kind === 'signatures') signed?.(message.jws);
});

try {
  const db = await openWorkspaceDatabase(data.path);
  try {
    // Names only: signing happens in the parent (signManifest below).
    const signers: JwsSigner[] = data.kids.map((kid) => ({ kid, sign: () => { throw new CharterError('internal', 'signing in a worker'); } }));
    const result = await exportBundle(db, {
      ...data.options,
      signers,
      signal: abort.signal,
      onProgress: (p) => post({ kind: 'progress', progress: p }),
      signManifest: (manifest) => new Promise((resolve) => {
        signed = resolve;
        post({ kind: 'sign', manifest });
      }),
    });
    post({ kind: 'done', result });
  } finally {
    port?.removeAllListeners('message');
    await db.close();
  }
} catch (error) {
  const code = error instanceof CharterError ? error.code : 'internal';
  post({ kind: 'error', code, message: (error as Error).message });
}
