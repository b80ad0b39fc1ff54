/** Worker-thread entry for verifyBundleInWorker: verifies (the previous bundle first), posting progress. */
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { BundleVerdict, VerifiedBundle } from '../../../shared/bundle/verify.ts';
import { TrustedKeys } from '../../../shared/merkle/jws.ts';
import { verifyBundleFile } from './verify-file.ts';
import type { VerifyToParent, VerifyWorkerData } from './verify-in-worker.ts';

const data = workerData as VerifyWorkerData;
const post = (message: VerifyToParent): void => parentPort?.postMessage(message);

async function verifyFile(path: string, trusted: TrustedKeys, previous?: VerifiedBundle): Promise<BundleVerdict> {
  return verifyBundleFile(path, {
    trusted,
    threshold: data.threshold,
    ...(previous ? { previous } : {}),
    onProgress: (p) => post({ kind: 'progress', file: path, bytes: p.bytes, total: p.total }),
  });
}

try {
  const trusted = await TrustedKeys.fromJwks(data.trusted, 'trusted keys');
  let previous: VerifiedBundle | undefined;
  let verdict: BundleVerdict | undefined;
  if (data.previousPath) {
    const earlier = await verifyFile(data.previousPath, trusted);
    if (earlier.ok) previous = earlier.bundle;
    else verdict = { ok: false, failure: { ...earlier.failure, message: `the previous bundle ${basename(data.previousPath)}: ${earlier.failure.message}` } };
  }
  verdict ??= await verifyFile(data.path, trusted, previous);
  post({ kind: 'done', verdict });
} catch (error) {
  post({ kind: 'error', message: (error as Error).message });
}
