/**
 * Verifies a bundle file from disk: its events on worker threads (./segment-pool.ts) when the
 * file is large enough to repay starting them, in this thread otherwise.
 */
import type { BundleVerdict, VerifyBundleOptions } from '../../../shared/bundle/verify.ts';
import { verifyBundle } from '../../../shared/bundle/verify.ts';
import type { FileSource } from './file-source.ts';
import { openFileSource } from './file-source.ts';
import { SegmentPool } from './segment-pool.ts';

/** From this many bytes of bundle, segments are verified on worker threads. */
const POOL_FROM_BYTES = 4 << 20;

export async function verifyOpenBundle(source: FileSource, options: VerifyBundleOptions): Promise<BundleVerdict> {
  if (options.segments || source.size < POOL_FROM_BYTES) return verifyBundle(source, options);
  const pool = SegmentPool.start();
  try {
    return await verifyBundle(source, { ...options, segments: pool });
  } finally {
    await pool.close();
  }
}

export async function verifyBundleFile(path: string, options: VerifyBundleOptions): Promise<BundleVerdict> {
  const source = await openFileSource(path);
  try {
    return await verifyOpenBundle(source, options);
  } finally {
    await source.close();
  }
}
