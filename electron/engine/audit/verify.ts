/**
 * Verifies the audit trail: streams events in seq order, recomputes every digest, checks each
 * event links to the one before, that no seq is missing, that payloads still `intact` match
 * their hash, and that every checkpoint agrees with the event it names. Stops at the first bad
 * event and says what is wrong with it.
 *
 * Rows are read with `.raw()` in keyset chunks so the async form can yield between chunks
 * without holding a statement open on the connection (other code may write meanwhile).
 */
import { hash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { GENESIS_DIGEST } from '../../../shared/audit.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { ChainVerification, VerifyProgress } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';

export interface VerifyOptions {
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly signal?: AbortSignal;
  /** Verify from this seq on (its link to the event before is still checked). Default 1. */
  readonly fromSeq?: number;
  /** Verify up to this seq (default: the head when verification starts). */
  readonly toSeq?: number;
  /** Check payloads still `intact` against their hash (default true). */
  readonly payloads?: boolean;
}

/** How often progress is reported and cancellation is noticed. */
export const PROGRESS_EVERY = 65_536;

type Row = unknown[];

/**
 * Each row brings `prev_digest || <header bytes>`, built by SQLite: json_array over the header
 * columns in eventHeaderBytes' order renders exactly what JSON.stringify renders for the values
 * SQLite can hold (tests/unit/audit/header-bytes.test.ts checks this against shared/audit.ts).
 * It is sound whatever the table holds: the rendering is valid JSON of the row's values, so it
 * can only equal the bytes first hashed if the values are the ones first hashed. Building the
 * string in SQLite saves creating eight strings per row and a JSON.stringify in JavaScript.
 */
const CHAINED = `e.seq, e.prev_digest || json_array(e.seq, e.ts, e.type, e.agent_id, e.action, e.outcome, e.trace_id, e.payload_hash), e.digest, length(e.prev_digest)`;

class ChainCheck {
  expectedSeq: number;
  prevDigest: string;
  checked = 0;
  firstBad: { seq: number; problem: string } | null = null;
  readonly #checkpoints: ReadonlyMap<number, string>;
  readonly #payloads: boolean;

  constructor(fromSeq: number, prevDigest: string, checkpoints: ReadonlyMap<number, string>, payloads: boolean) {
    this.expectedSeq = fromSeq;
    this.prevDigest = prevDigest;
    this.#checkpoints = checkpoints;
    this.#payloads = payloads;
  }

  /** Checks up to `max` rows; false once a bad event was found. */
  run(rows: IterableIterator<Row>, max: number): boolean {
    const checkpoints = this.#checkpoints;
    const payloads = this.#payloads;
    let expected = this.expectedSeq;
    let prev = this.prevDigest;
    let n = 0;
    while (n < max) {
      const next = rows.next();
      if (next.done === true) break;
      const row = next.value;
      const seq = row[0] as number;
      if (seq !== expected) return this.#fail(expected, n, gapProblem(expected, seq));
      const chained = row[1] as string | null;
      if (chained === null || row[3] !== prev.length || !chained.startsWith(prev)) {
        return this.#fail(seq, n, seq === 1
          ? `event 1: its previous-digest link is not the genesis digest`
          : `event ${seq}: its previous-digest link does not match event ${seq - 1}'s digest`);
      }
      const digest = row[2] as string;
      if (hash('sha256', chained, 'hex') !== digest) {
        return this.#fail(seq, n, `event ${seq}: digest does not match its contents`);
      }
      if (payloads) {
        const text = row[4];
        const state = row[5];
        if (state === 'intact') {
          if (typeof text !== 'string' || hash('sha256', text, 'hex') !== row[6]) {
            return this.#fail(seq, n, `event ${seq}: payload was altered (it no longer matches the hash in the chain)`);
          }
        } else if (state !== 'redacted' && state !== 'erased') {
          return this.#fail(seq, n, `event ${seq}: its payload record is missing`);
        }
      }
      if (checkpoints.size > 0) {
        const pinned = checkpoints.get(seq);
        if (pinned !== undefined && pinned !== digest) {
          return this.#fail(seq, n, `event ${seq}: digest does not match checkpoint ${seq} (the trail up to here was rewritten, or the checkpoint was altered)`);
        }
      }
      prev = digest;
      expected = seq + 1;
      n++;
    }
    this.expectedSeq = expected;
    this.prevDigest = prev;
    this.checked += n;
    return true;
  }

  #fail(seq: number, n: number, problem: string): false {
    this.checked += n;
    this.firstBad = { seq, problem };
    return false;
  }
}

function missingRange(first: number, last: number): string {
  return first === last ? `event ${first} missing` : `events ${first}–${last} missing`;
}

function gapProblem(expected: number, found: number): string {
  const missing = missingRange(expected, found - 1);
  if (expected === 1) return `${missing} (the trail starts at event ${found})`;
  return `${missing} (gap between ${expected - 1} and ${found})`;
}

interface Plan {
  readonly check: ChainCheck;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly total: number;
  readonly select: BetterSqlite3.Statement;
  /** The last checkpoint beyond the end of the trail, when the trail was cut short. */
  readonly beyond: number | null;
}

function plan(sqlite: BetterSqlite3.Database, options: VerifyOptions): Plan | ChainVerification {
  const fromSeq = Math.max(1, Math.floor(options.fromSeq ?? 1));
  // Checkpoints first, then the head: a checkpoint commits with its event, so any checkpoint
  // seen here names an event the head query will see too, unless events were removed.
  const checkpointRows = sqlite.prepare('select tree_size, head_digest from checkpoints').raw().all() as [number, string][];
  const head = (sqlite.prepare('select max(seq) from audit_events').pluck().get() as number | null) ?? 0;
  const toSeq = Math.min(head, options.toSeq ?? head);
  let prevDigest = GENESIS_DIGEST;
  if (fromSeq > 1) {
    const before = sqlite.prepare('select digest from audit_events where seq = ?').pluck().get(fromSeq - 1) as string | undefined;
    if (before === undefined) {
      return { ok: false, eventsChecked: 0, firstBad: { seq: fromSeq - 1, problem: `event ${fromSeq - 1} missing` }, headDigest: GENESIS_DIGEST };
    }
    prevDigest = before;
  }
  const checkpoints = new Map(checkpointRows);
  const lastCheckpoint = checkpointRows.reduce((m, [size]) => Math.max(m, size), 0);
  const payloads = options.payloads ?? true;
  const select = payloads
    ? sqlite.prepare(`select ${CHAINED}, p.payload, p.state, e.payload_hash from audit_events e left join audit_payloads p on p.seq = e.seq
                      where e.seq >= ? and e.seq <= ? order by e.seq limit ?`)
    : sqlite.prepare(`select ${CHAINED} from audit_events e where e.seq >= ? and e.seq <= ? order by e.seq limit ?`);
  select.raw();
  return {
    check: new ChainCheck(fromSeq, prevDigest, checkpoints, payloads),
    fromSeq,
    toSeq,
    total: Math.max(0, toSeq - fromSeq + 1),
    select,
    beyond: options.toSeq === undefined && lastCheckpoint > head ? lastCheckpoint : null,
  };
}

function result(p: Plan): ChainVerification {
  const { check } = p;
  if (check.firstBad === null && check.expectedSeq <= p.toSeq) {
    // Rows ran out before the end: the last ones are missing.
    const end = check.expectedSeq - 1;
    check.firstBad = { seq: end + 1, problem: `${missingRange(end + 1, p.toSeq)} (the trail ends at ${end})` };
  }
  if (check.firstBad === null && p.beyond !== null) {
    const end = check.expectedSeq - 1;
    check.firstBad = {
      seq: end + 1,
      problem: `${missingRange(end + 1, p.beyond)} (checkpoint ${p.beyond} was recorded, the trail ends at ${end})`,
    };
  }
  return { ok: check.firstBad === null, eventsChecked: check.checked, firstBad: check.firstBad, headDigest: check.prevDigest };
}

function cancelled(checked: number): CharterError {
  return new CharterError('cancelled', `chain verification was cancelled after ${checked} events`);
}

/**
 * Verifies the chain, yielding to the event loop between chunks so progress can be shown and
 * `signal` can cancel (the promise then rejects with a `cancelled` CharterError).
 */
export async function verifyChain(db: Pick<WorkspaceDb, 'sqlite'>, options: VerifyOptions = {}): Promise<ChainVerification> {
  const p = plan(db.sqlite, options);
  if (!('check' in p)) return p;
  const { check, select, total, toSeq } = p;
  const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  while (check.expectedSeq <= toSeq) {
    if (options.signal?.aborted) throw cancelled(check.checked);
    const before = check.checked;
    const rows = select.iterate(check.expectedSeq, toSeq, PROGRESS_EVERY) as IterableIterator<Row>;
    let ok: boolean;
    try {
      ok = check.run(rows, PROGRESS_EVERY);
    } finally {
      rows.return?.();
    }
    if (!ok || check.checked === before) break;
    options.onProgress?.({ checked: check.checked, total });
    await yieldToLoop();
  }
  if (options.signal?.aborted) throw cancelled(check.checked);
  return result(p);
}

/**
 * The same verification without yielding: one pass over one statement. `signal` is checked
 * every PROGRESS_EVERY events, so it cancels only when aborted from `onProgress` or elsewhere
 * on another thread's behalf; prefer `verifyChain` or `verifyChainInWorker` for long trails.
 */
export function verifyChainSync(db: Pick<WorkspaceDb, 'sqlite'>, options: VerifyOptions = {}): ChainVerification {
  const p = plan(db.sqlite, options);
  if (!('check' in p)) return p;
  const { check, select, total, toSeq } = p;
  const rows = select.iterate(check.expectedSeq, toSeq, -1) as IterableIterator<Row>;
  try {
    while (check.expectedSeq <= toSeq) {
      if (options.signal?.aborted) throw cancelled(check.checked);
      const before = check.checked;
      if (!check.run(rows, PROGRESS_EVERY) || check.checked === before) break;
      options.onProgress?.({ checked: check.checked, total });
    }
  } finally {
    rows.return?.();
  }
  if (options.signal?.aborted) throw cancelled(check.checked);
  return result(p);
}
