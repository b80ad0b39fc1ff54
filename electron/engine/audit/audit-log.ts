/**
 * The audit trail's writer: appends chained events to one workspace.
 *
 * `append` is synchronous and meant to run inside the caller's better-sqlite3 transaction (one
 * user action = one transaction: decision, execution row and audit event commit together). Outside
 * a transaction it opens its own.
 *
 * The head (last seq and digest) is kept in memory. Because the surrounding transaction (or a
 * savepoint inside it) may roll back after we advanced it, a head written inside a transaction
 * is only tentative: before chaining onto it we probe that one row by primary key (about half a
 * microsecond; an `insert … select … where` carrying the same check costs ten times more). If
 * the row is gone or differs, the transaction that wrote it rolled back (or another writer moved
 * on): the head is re-read and the insert retried once. A head confirmed by a commit outside
 * any transaction is trusted; another writer taking its successor seq trips the primary key.
 *
 * Payloads are redacted first, then stored as their RFC 8785 canonical JSON; `payloadHash` is
 * the SHA-256 of exactly that stored text (the payload *as first stored*, after redaction), so a
 * verifier can check every payload still in state `intact` without parsing it. Redacting or
 * erasing a payload later changes its state and leaves the chain verifiable.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEvent, AuditEventHeader, AuditEventType } from '../../../shared/audit.ts';
import { GENESIS_DIGEST } from '../../../shared/audit.ts';
import type { Outcome, RedactionObligation } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { Clock } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';
import type { Checkpoint, CheckpointSealer } from './checkpoints.ts';
import { CheckpointWriter, DEFAULT_CHECKPOINT_EVERY } from './checkpoints.ts';
import { canonicalPayload, eventDigest, sha256Hex } from './digest.ts';
import type { PayloadRedaction, RedactionRoots } from './redact.ts';
import { redact, toPayloadRedactions } from './redact.ts';

export interface AuditAppend {
  readonly type: AuditEventType;
  readonly agentId?: string | null;
  readonly action?: string | null;
  readonly outcome?: Outcome | null;
  readonly traceId?: string | null;
  /** Any JSON value; `undefined` is stored as null. */
  readonly payload: unknown;
  /** ISO-8601 UTC; defaults to the log's clock. */
  readonly ts?: string;
  /**
   * Fields to redact before storage. Decision obligations (with a `target`) point into the
   * payload's input or output (see RedactionRoots); plain redactions point into the payload.
   */
  readonly redactions?: readonly (PayloadRedaction | RedactionObligation)[];
}

export interface AuditLogOptions {
  /** Record a checkpoint every N events (default 1000; 0 turns periodic checkpoints off). */
  readonly checkpointEvery?: number;
  readonly sealer?: CheckpointSealer;
  readonly clock?: Clock;
  readonly redactionRoots?: RedactionRoots;
}

export interface AuditHead {
  readonly seq: number;
  readonly digest: string;
}

interface PreparedPayload {
  readonly payload: unknown;
  readonly text: string;
  readonly hash: string;
}

const systemNow = (): number => Date.now();

const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Header fields are hashed as JavaScript strings but stored as UTF-8, where a lone surrogate
 * cannot survive: such an event could never verify, so it is refused up front.
 */
function headerText<T extends string | null>(field: string, value: T): T {
  if (value !== null && (typeof value !== 'string' || (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value)))) {
    throw new CharterError('invalid_argument', `audit event ${field} must be well-formed text`, [
      { code: 'audit.header-text', message: `${field} is not well-formed text`, severity: 'error', pointer: `/${field}` },
    ]);
  }
  return value;
}

export class AuditLog {
  readonly #sqlite: BetterSqlite3.Database;
  readonly #insertEvent: BetterSqlite3.Statement;
  readonly #insertPayload: BetterSqlite3.Statement;
  readonly #selectHead: BetterSqlite3.Statement;
  readonly #selectDigest: BetterSqlite3.Statement;
  readonly #checkpoints: CheckpointWriter;
  readonly #checkpointEvery: number;
  readonly #now: () => number;
  readonly #roots: RedactionRoots | undefined;
  readonly #appendInOwnTransaction: (inputs: readonly AuditAppend[]) => AuditEvent[];

  #headSeq = 0;
  #headDigest = GENESIS_DIGEST;
  /** False while the head may belong to a transaction that has not committed (or rolled back). */
  #confirmed = true;

  constructor(db: Pick<WorkspaceDb, 'sqlite'>, options: AuditLogOptions = {}) {
    const sqlite = db.sqlite;
    this.#sqlite = sqlite;
    this.#checkpointEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    const clock = options.clock;
    this.#now = clock ? () => clock.now() : systemNow;
    this.#roots = options.redactionRoots;
    this.#checkpoints = new CheckpointWriter(sqlite, options.sealer);
    this.#insertEvent = sqlite.prepare(
      `insert into audit_events (seq, ts, type, agent_id, action, outcome, trace_id, payload_hash, prev_digest, digest)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertPayload = sqlite.prepare(`insert into audit_payloads (seq, payload, state) values (?, ?, 'intact')`);
    this.#selectHead = sqlite.prepare('select seq, digest from audit_events order by seq desc limit 1').raw();
    this.#selectDigest = sqlite.prepare('select digest from audit_events where seq = ?').pluck();
    const inTransaction = sqlite.transaction((inputs: readonly AuditAppend[]) => inputs.map((i) => this.#write(i)));
    this.#appendInOwnTransaction = (inputs) => {
      const events = inTransaction.immediate(inputs);
      this.#confirmed = true;
      return events;
    };
    this.#reloadHead();
  }

  /** The last appended event as this connection sees it (seq 0 and the genesis digest when empty). */
  head(): AuditHead {
    this.#ensureHead();
    return { seq: this.#headSeq, digest: this.#headDigest };
  }

  /** Appends one event, in the caller's transaction if one is open, else in its own. */
  append(input: AuditAppend): AuditEvent {
    if (!this.#sqlite.inTransaction) return this.#appendInOwnTransaction([input])[0] as AuditEvent;
    return this.#write(input);
  }

  /** Appends several events atomically (a savepoint when the caller has a transaction open). */
  appendMany(inputs: readonly AuditAppend[]): readonly AuditEvent[] {
    if (inputs.length === 0) return [];
    if (!this.#sqlite.inTransaction) return this.#appendInOwnTransaction(inputs);
    const savepoint = this.#sqlite.transaction(() => inputs.map((i) => this.#write(i)));
    try {
      return savepoint();
    } catch (error) {
      this.#confirmed = false;
      throw error;
    }
  }

  /** Records a checkpoint at the current head (or returns the one already there). */
  checkpoint(): Checkpoint {
    this.#ensureHead();
    if (this.#headSeq === 0) throw new CharterError('invalid_argument', 'the audit trail is empty: there is nothing to checkpoint');
    return this.#checkpoints.write(this.#headSeq, this.#headDigest, new Date(this.#now()).toISOString());
  }

  /** Whether the in-memory head is still the trail's last event on this connection. */
  #headIsCurrent(): boolean {
    if (this.#headSeq === 0) return this.#selectHead.get() === undefined;
    return this.#selectDigest.get(this.#headSeq) === this.#headDigest;
  }

  #ensureHead(): void {
    if (this.#confirmed) return;
    if (!this.#headIsCurrent()) this.#reloadHead();
    this.#confirmed = !this.#sqlite.inTransaction;
  }

  #reloadHead(): void {
    const row = this.#selectHead.get() as [number, string] | undefined;
    this.#headSeq = row ? row[0] : 0;
    this.#headDigest = row ? row[1] : GENESIS_DIGEST;
    this.#confirmed = !this.#sqlite.inTransaction;
  }

  #preparePayload(input: AuditAppend): PreparedPayload {
    const payload =
      input.redactions && input.redactions.length > 0
        ? redact(input.payload, toPayloadRedactions(input.redactions, this.#roots))
        : input.payload;
    const text = canonicalPayload(payload);
    return { payload: payload === undefined ? null : payload, text, hash: sha256Hex(text) };
  }

  #write(input: AuditAppend): AuditEvent {
    const prepared = this.#preparePayload(input);
    const ts = input.ts ?? new Date(this.#now()).toISOString();
    let event = this.#tryInsert(input, ts, prepared);
    if (event === undefined) {
      // Our head was rolled back, or another writer appended: re-read it and chain onto it.
      this.#reloadHead();
      this.#confirmed = false;
      event = this.#tryInsert(input, ts, prepared);
      if (event === undefined) throw new CharterError('conflict', 'the audit trail changed while appending to it; try again');
    }
    this.#headSeq = event.seq;
    this.#headDigest = event.digest;
    // Tentative until a commit we see (our own transaction) confirms it.
    this.#confirmed = false;
    if (this.#checkpointEvery > 0 && event.seq % this.#checkpointEvery === 0) {
      this.#checkpoints.write(event.seq, event.digest, ts);
    }
    return event;
  }

  /** The appended event, or undefined when the head it chains onto is not the trail's head. */
  #tryInsert(input: AuditAppend, ts: string, prepared: PreparedPayload): AuditEvent | undefined {
    const header: AuditEventHeader = {
      seq: this.#headSeq + 1,
      ts: headerText('ts', ts),
      type: headerText('type', input.type),
      agentId: headerText('agentId', input.agentId ?? null),
      action: headerText('action', input.action ?? null),
      outcome: headerText('outcome', input.outcome ?? null),
      traceId: headerText('traceId', input.traceId ?? null),
      payloadHash: prepared.hash,
    };
    const prevDigest = this.#headDigest;
    const digest = eventDigest(prevDigest, header);
    if (!this.#confirmed && !this.#headIsCurrent()) return undefined;
    try {
      this.#insertEvent.run(
        header.seq, ts, header.type, header.agentId, header.action, header.outcome, header.traceId,
        header.payloadHash, prevDigest, digest,
      );
    } catch (error) {
      // Another writer already took this seq.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
      throw error;
    }
    this.#insertPayload.run(header.seq, prepared.text);
    return { ...header, prevDigest, digest, payload: prepared.payload, payloadState: 'intact' };
  }
}
