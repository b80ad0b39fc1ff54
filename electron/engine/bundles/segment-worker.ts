/**
 * Worker-thread entry for ./segment-pool.ts: exports or verifies one segment at a time. Export
 * reads through a read-only connection of its own, opened (and its modules loaded) on first use.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { CharterError } from '../../../shared/errors.ts';
import { verifySegment } from '../../../shared/bundle/verify-segment.ts';
import type { FromSegmentWorker, SegmentWorkerData, ToSegmentWorker } from './segment-pool.ts';
import { MAX_UNWRITTEN } from './segment-pool.ts';

const data = workerData as SegmentWorkerData;
const port = parentPort;
const post = (message: FromSegmentWorker, transfer: ArrayBuffer[] = []): void => port?.postMessage(message, transfer);

let sqlite: BetterSqlite3.Database | null = null;
let unwritten = 0;
let wake: (() => void) | null = null;

async function handle(m: Exclude<ToSegmentWorker, { kind: 'written' }>): Promise<void> {
  try {
    if (m.kind === 'verify') {
      post({ kind: 'done', id: m.id, result: await verifySegment(m.task) });
      return;
    }
    if (data.dbPath === null) throw new CharterError('internal', 'no workspace to export from');
    // Loaded on first use: a thread that only verifies starts without SQLite.
    const [{ openReadOnlyConnection }, { exportSegment }] = await Promise.all([import('../store/connection.ts'), import('./export-segment.ts')]);
    sqlite ??= openReadOnlyConnection(data.dbPath);
    const result = await exportSegment(sqlite, m.task, (chunk) => {
      unwritten += chunk.length;
      const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : Uint8Array.prototype.slice.call(chunk);
      post({ kind: 'packed', id: m.id, chunk: owned }, [owned.buffer as ArrayBuffer]);
      if (unwritten <= MAX_UNWRITTEN) return undefined;
      return new Promise<void>((resolve) => {
        wake = resolve;
      });
    });
    post({ kind: 'done', id: m.id, result });
  } catch (error) {
    const code = error instanceof CharterError ? error.code : 'internal';
    post({ kind: 'error', id: m.id, code, message: (error as Error).message });
  }
}

port?.on('message', (m: ToSegmentWorker) => {
  if (m.kind === 'written') {
    unwritten -= m.bytes;
    if (unwritten <= MAX_UNWRITTEN && wake) {
      const resume = wake;
      wake = null;
      resume();
    }
    return;
  }
  void handle(m);
});
post({ kind: 'ready' });
