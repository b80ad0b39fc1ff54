/**
 * Changing stored payloads after the fact, for retention and erasure. Only `audit_payloads`
 * changes: the chained header keeps the hash of the payload as first stored, so the chain still
 * verifies; the payload's state tells verification not to compare it any more. The caller audits
 * the change itself (`retention.applied`, `erasure.applied`) in the same transaction.
 */
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDb } from '../store/database.ts';
import { canonicalPayload } from './digest.ts';
import type { PayloadRedaction } from './redact.ts';
import { redact } from './redact.ts';

type Db = Pick<WorkspaceDb, 'sqlite'>;

function storedPayload(db: Db, seq: number): string | null {
  const row = db.sqlite.prepare('select payload from audit_payloads where seq = ?').raw().get(seq) as [string | null] | undefined;
  if (!row) throw new CharterError('not_found', `audit event ${seq} has no stored payload`);
  return row[0];
}

/** Redacts fields of one stored payload; its state becomes `redacted`. */
export function redactStoredPayload(db: Db, seq: number, redactions: readonly PayloadRedaction[]): void {
  const text = storedPayload(db, seq);
  if (text === null) return;
  const redacted = canonicalPayload(redact(JSON.parse(text) as unknown, redactions));
  db.sqlite.prepare(`update audit_payloads set payload = ?, state = 'redacted' where seq = ?`).run(redacted, seq);
}

/** Removes one stored payload entirely; its state becomes `erased`. */
export function eraseStoredPayload(db: Db, seq: number): void {
  storedPayload(db, seq);
  db.sqlite.prepare(`update audit_payloads set payload = null, state = 'erased' where seq = ?`).run(seq);
}
