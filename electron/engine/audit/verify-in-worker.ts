/**
 * Chain verification in a worker thread with its own read-only connection, so a long trail never
 * blocks the thread that serves the UI. Progress arrives as messages; aborting terminates the
 * worker at once and rejects with a `cancelled` CharterError.
 */
import { runWorkerTask, workerEntry } from '../start-worker.ts';
import type { CharterErrorCode } from '../../../shared/errors.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ChainVerification, VerifyProgress } from '../services.ts';
import { openWorkspaceDatabase } from '../store/database.ts';
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

const WORKER_URL = workerEntry(import.meta.url, './verify-worker.ts', './verify-worker.js');

export interface WorkerVerifyOptions extends VerifyOptions {
  /**
   * Worker threads to split the trail across (default 1). Each checks a contiguous range of
   * seqs, including the link from its first event to the event before it, so together they
   * check exactly what one would; the first bad event of the earliest failing range is reported.
   */
  readonly threads?: number;
  /** Fewest events worth a thread of its own (default 50,000). */
  readonly minEventsPerThread?: number;
}

/** Below this many events per thread, extra threads cost more to start than they save. */
export const MIN_EVENTS_PER_THREAD = 50_000;

export async function verifyChainInWorker(path: string, options: WorkerVerifyOptions = {}): Promise<ChainVerification> {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  if (threads === 1) return runWorker(path, options);
  const db = await openWorkspaceDatabase(path, { readonly: true });
  let head: number;
  try {
    head = (db.sqlite.prepare('select max(seq) from audit_events').pluck().get() as number | null) ?? 0;
  } finally {
    await db.close();
  }
  const from = Math.max(1, Math.floor(options.fromSeq ?? 1));
  const to = Math.min(head, options.toSeq ?? head);
  const total = Math.max(0, to - from + 1);
  const parts = Math.min(threads, Math.max(1, Math.floor(total / (options.minEventsPerThread ?? MIN_EVENTS_PER_THREAD))));
  if (parts === 1) return runWorker(path, options);
  const size = Math.ceil(total / parts);
  const checked = new Array<number>(parts).fill(0);
  const segments = Array.from({ length: parts }, (_, i) => {
    const last = i === parts - 1;
    return runWorker(path, {
      payloads: options.payloads,
      signal: options.signal,
      fromSeq: from + i * size,
      // The last range runs to the head it finds (and checks checkpoints beyond it), unless bounded.
      toSeq: last ? options.toSeq : from + (i + 1) * size - 1,
      onProgress: (p) => {
        checked[i] = p.checked;
        options.onProgress?.({ checked: checked.reduce((a, b) => a + b, 0), total });
      },
    });
  });
  const results = await Promise.all(segments);
  let eventsChecked = 0;
  for (const r of results) {
    eventsChecked += r.eventsChecked;
    if (!r.ok) return { ...r, eventsChecked };
  }
  return { ok: true, eventsChecked, firstBad: null, headDigest: (results.at(-1) as ChainVerification).headDigest };
}

function runWorker(path: string, options: VerifyOptions): Promise<ChainVerification> {
  const data: VerifyWorkerData = { path, fromSeq: options.fromSeq, toSeq: options.toSeq, payloads: options.payloads };
  let last: VerifyProgress = { checked: 0, total: 0 };
  return runWorkerTask<VerifyWorkerMessage, ChainVerification>(WORKER_URL, data, {
    what: 'chain verification',
    signal: options.signal,
    cancelled: () => `chain verification was cancelled after ${last.checked} events`,
    onMessage: (message) => {
      if (message.kind === 'done') return { done: message.result };
      if (message.kind === 'error') return { error: new CharterError(message.code, message.message) };
      last = { checked: message.checked, total: message.total };
      options.onProgress?.(last);
      return null;
    },
  });
}
