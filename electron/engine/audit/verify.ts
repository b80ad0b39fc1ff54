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
 * SQLite renders `prev_digest || <header bytes>` for each row: json_array over the header
 * columns in eventHeaderBytes' order gives exactly what JSON.stringify gives for the values
 * SQLite can hold (tests/unit/audit/header-bytes.test.ts checks it against shared/audit.ts).
 * It is sound whatever the table holds: the rendering is valid JSON of the row's values, so it
 * can only equal the bytes first hashed if the values are the ones first hashed.
 */
const CHAINED = `e.prev_digest || json_array(e.seq, e.ts, e.type, e.agent_id, e.action, e.outcome, e.trace_id, e.payload_hash)`;

/**
 * The fast pass reads one string per event, `prev_digest || header bytes || digest` (null when
 * prev_digest is not a digest's length), which saves creating a row array and two more strings
 * per event. Whatever it cannot confirm, the precise pass below re-reads to say what is wrong.
 */
const FAST_SELECT = `select case when length(e.prev_digest) = 64 then ${CHAINED} || e.digest end
                     from audit_events e where e.seq >= ? and e.seq <= ? order by e.seq limit ?`;
const PRECISE_SELECT = `select e.seq, ${CHAINED}, e.digest, length(e.prev_digest), p.payload, p.state, e.payload_hash
                        from audit_events e left join audit_payloads p on p.seq = e.seq
                        where e.seq >= ? and e.seq <= ? order by e.seq limit ?`;
const DIGEST_LENGTH = 64;

/** True when the header bytes at `at` start with `[expected,` (json_array renders seq so). */
function seqIs(s: string, at: number, expected: number): boolean {
  if (s.charCodeAt(at) !== 91 || s.charCodeAt(at + 1) === 48) return false;
  let i = at + 1;
  let n = 0;
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    c = s.charCodeAt(++i);
  }
  return c === 44 && i > at + 1 && n === expected;
}

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

  /**
   * The fast pass over `FAST_SELECT` strings: link, seq, digest and checkpoints. Returns false
   * at the first event it cannot confirm, leaving `expectedSeq` on it for the precise pass.
   */
  runFast(rows: readonly (string | null)[]): boolean {
    const checkpoints = this.#checkpoints;
    const pinning = checkpoints.size > 0;
    let expected = this.expectedSeq;
    let prev = this.prevDigest;
    let n = 0;
    let confirmed = true;
    const count = rows.length;
    while (n < count) {
      const s = rows[n] as string | null;
      if (s === null || !s.startsWith(prev) || !seqIs(s, DIGEST_LENGTH, expected)) {
        confirmed = false;
        break;
      }
      const digest = hash('sha256', s.slice(0, s.length - DIGEST_LENGTH), 'hex');
      if (!s.endsWith(digest) || (pinning && (checkpoints.get(expected) ?? digest) !== digest)) {
        confirmed = false;
        break;
      }
      prev = digest;
      expected++;
      n++;
    }
    this.expectedSeq = expected;
    this.prevDigest = prev;
    this.checked += n;
    return confirmed;
  }

  /** Checks up to `max` rows of `PRECISE_SELECT`; false once a bad event was found. */
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
      if (seq !== expected) return this.#fail(prev, expected, n, gapProblem(expected, seq));
      const chained = row[1] as string | null;
      if (chained === null || row[3] !== DIGEST_LENGTH || !chained.startsWith(prev)) {
        return this.#fail(prev, seq, n, seq === 1
          ? `event 1: its previous-digest link is not the genesis digest`
          : `event ${seq}: its previous-digest link does not match event ${seq - 1}'s digest`);
      }
      const digest = row[2] as string;
      if (hash('sha256', chained, 'hex') !== digest) {
        return this.#fail(prev, seq, n, `event ${seq}: digest does not match its contents`);
      }
      if (payloads) {
        const text = row[4];
        const state = row[5];
        if (state === 'intact') {
          if (typeof text !== 'string' || hash('sha256', text, 'hex') !== row[6]) {
            return this.#fail(prev, seq, n, `event ${seq}: payload was altered (it no longer matches the hash in the chain)`);
          }
        } else if (state !== 'redacted' && state !== 'erased') {
          return this.#fail(prev, seq, n, `event ${seq}: its payload record is missing`);
        }
      }
      if (checkpoints.size > 0) {
        const pinned = checkpoints.get(seq);
        if (pinned !== undefined && pinned !== digest) {
          return this.#fail(prev, seq, n, `event ${seq}: digest does not match checkpoint ${seq} (the trail up to here was rewritten, or the checkpoint was altered)`);
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

  #fail(prev: string, seq: number, n: number, problem: string): false {
    this.prevDigest = prev;
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
  readonly toSeq: number;
  readonly total: number;
  /** FAST_SELECT when payloads are not checked; PRECISE_SELECT otherwise. */
  readonly fast: BetterSqlite3.Statement | null;
  readonly precise: BetterSqlite3.Statement;
  /** The last checkpoint beyond the end of the trail, when the trail was cut short. */
  readonly beyond: number | null;
  readonly nextSeq: BetterSqlite3.Statement;
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
  const lastCheckpoint = checkpointRows.reduce((m, [size]) => Math.max(m, size), 0);
  const payloads = options.payloads ?? true;
  return {
    check: new ChainCheck(fromSeq, prevDigest, new Map(checkpointRows), payloads),
    toSeq,
    total: Math.max(0, toSeq - fromSeq + 1),
    fast: payloads ? null : sqlite.prepare(FAST_SELECT).pluck(),
    precise: sqlite.prepare(PRECISE_SELECT).raw(),
    beyond: options.toSeq === undefined && lastCheckpoint > head ? lastCheckpoint : null,
    nextSeq: sqlite.prepare('select min(seq) from audit_events where seq > ?').pluck(),
  };
}

/** Rows per read in the fast pass: `all()` over a chunk costs less per row than an iterator. */
const FAST_CHUNK = 4096;

/**
 * Checks up to `max` events from `expectedSeq`. The fast pass stops at anything it cannot
 * confirm; the precise pass then re-reads that one event and names what is wrong with it.
 * `rows` (precise pass only) continues an open iterator instead of reading a new range.
 * Returns false once a bad event was found or no event was left.
 */
function step(p: Plan, max: number, rows?: IterableIterator<unknown[]>): boolean {
  const { check } = p;
  const before = check.checked;
  if (p.fast === null) {
    const it = rows ?? (p.precise.iterate(check.expectedSeq, p.toSeq, max) as IterableIterator<unknown[]>);
    let ok = false;
    try {
      ok = check.run(it, max);
    } finally {
      if (rows === undefined || !ok) it.return?.();
    }
    return ok && check.checked > before;
  }
  while (check.checked - before < max && check.expectedSeq <= p.toSeq) {
    const chunk = p.fast.all(check.expectedSeq, p.toSeq, Math.min(FAST_CHUNK, max - (check.checked - before))) as (string | null)[];
    if (chunk.length === 0) break;
    if (!check.runFast(chunk)) {
      const one = p.precise.iterate(check.expectedSeq, p.toSeq, 1) as IterableIterator<unknown[]>;
      try {
        if (check.run(one, 1)) check.firstBad = { seq: check.expectedSeq - 1, problem: `event ${check.expectedSeq - 1}: digest does not match its contents` };
      } finally {
        one.return?.();
      }
      return false;
    }
  }
  return check.checked > before;
}

function result(p: Plan): ChainVerification {
  const { check } = p;
  if (check.firstBad === null && check.expectedSeq <= p.toSeq) {
    // Rows ran out before the end of the range: events are missing up to the next one, if any.
    const end = check.expectedSeq - 1;
    const next = p.nextSeq.get(end) as number | null;
    check.firstBad = {
      seq: end + 1,
      problem: next !== null ? gapProblem(end + 1, next) : `${missingRange(end + 1, p.toSeq)} (the trail ends at ${end})`,
    };
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
 * `signal` can cancel (the promise then rejects with a `cancelled` CharterError). No statement
 * stays open across a yield, so other code may use the connection meanwhile.
 */
export async function verifyChain(db: Pick<WorkspaceDb, 'sqlite'>, options: VerifyOptions = {}): Promise<ChainVerification> {
  const p = plan(db.sqlite, options);
  if (!('check' in p)) return p;
  const { check, total } = p;
  while (check.expectedSeq <= p.toSeq) {
    if (options.signal?.aborted) throw cancelled(check.checked);
    if (!step(p, PROGRESS_EVERY)) break;
    options.onProgress?.({ checked: check.checked, total });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (options.signal?.aborted) throw cancelled(check.checked);
  return result(p);
}

/**
 * The same verification without yielding. `signal` is looked at
 * every PROGRESS_EVERY events, so it cancels only when aborted from `onProgress` (or before);
 * prefer `verifyChain` or `verifyChainInWorker` for long trails.
 */
export function verifyChainSync(db: Pick<WorkspaceDb, 'sqlite'>, options: VerifyOptions = {}): ChainVerification {
  const p = plan(db.sqlite, options);
  if (!('check' in p)) return p;
  const { check, total } = p;
  const rows = p.fast === null ? (p.precise.iterate(check.expectedSeq, p.toSeq, -1) as IterableIterator<unknown[]>) : undefined;
  try {
    while (check.expectedSeq <= p.toSeq) {
      if (options.signal?.aborted) throw cancelled(check.checked);
      if (!step(p, PROGRESS_EVERY, rows)) break;
      options.onProgress?.({ checked: check.checked, total });
    }
  } finally {
    rows?.return?.();
  }
  if (options.signal?.aborted) throw cancelled(check.checked);
  return result(p);
}
