/** Approvals: an escalated execution waiting for a person's verdict. Decided once. */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Approval, ApprovalStatus } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDb } from './database.ts';
import type { ApprovalsTable } from './schema.ts';
import { notFound, withConstraints } from './store-errors.ts';
import { all, defineQuery, run } from './sync.ts';
import { isoNow } from './timestamps.ts';

export interface NewApprovalRow {
  readonly id?: string;
  readonly executionId: string;
  readonly agentId: string;
  readonly action: string;
  readonly reason: string;
  readonly requestedAt?: string;
}

export type ApprovalVerdict = Exclude<ApprovalStatus, 'pending'>;

function toApproval(row: Selectable<ApprovalsTable>): Approval {
  return {
    id: row.id,
    executionId: row.execution_id,
    agentId: row.agent_id,
    action: row.action,
    status: row.status as ApprovalStatus,
    reason: row.reason,
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}

const approvalById = defineQuery((db, args: { id: string }) => db.selectFrom('approvals').selectAll().where('id', '=', args.id));

// Matching only pending rows makes two people deciding at once harmless: one verdict wins.
const decide = defineQuery((db, args: { id: string; status: string; decidedAt: string; decidedBy: string }) =>
  db.updateTable('approvals')
    .set({ status: args.status, decided_at: args.decidedAt, decided_by: args.decidedBy })
    .where('id', '=', args.id)
    .where('status', '=', 'pending')
    .returningAll());

export function insertApproval(db: WorkspaceDb, input: NewApprovalRow): Approval {
  const row: Selectable<ApprovalsTable> = {
    id: input.id ?? randomUUID(),
    execution_id: input.executionId,
    agent_id: input.agentId,
    action: input.action,
    status: 'pending',
    reason: input.reason,
    requested_at: input.requestedAt ?? isoNow(),
    decided_at: null,
    decided_by: null,
  };
  withConstraints(() => run(db.sqlite, db.kysely.insertInto('approvals').values(row)), {
    PRIMARYKEY: ['conflict', `approval ${row.id} already exists`],
    FOREIGNKEY: ['not_found', `execution ${row.execution_id} does not exist`],
  });
  return toApproval(row);
}

export function getApproval(db: WorkspaceDb, id: string): Approval | undefined {
  const row = approvalById.first(db.sqlite, { id });
  return row ? toApproval(row) : undefined;
}

/** Approvals with the given status (all when absent), newest request first. */
export function listApprovals(db: WorkspaceDb, status?: ApprovalStatus): readonly Approval[] {
  let query = db.kysely.selectFrom('approvals').selectAll();
  if (status !== undefined) query = query.where('status', '=', status);
  return all(db.sqlite, query.orderBy('requested_at', 'desc').orderBy(sql`rowid`, 'desc')).map(toApproval);
}

/** Records a verdict on a pending approval; an approval already decided is refused as a conflict. */
export function decideApproval(db: WorkspaceDb, id: string, verdict: ApprovalVerdict, by: string, decidedAt: string = isoNow()): Approval {
  if (verdict !== 'approved' && verdict !== 'denied') {
    throw new CharterError('invalid_argument', `an approval is decided "approved" or "denied", not "${String(verdict)}"`);
  }
  if (by.trim() === '') throw new CharterError('invalid_argument', 'an approval verdict needs the name of who decided');
  const row = decide.first(db.sqlite, { id, status: verdict, decidedAt, decidedBy: by });
  if (row) return toApproval(row);
  const current = getApproval(db, id);
  if (!current) throw notFound(`approval ${id}`);
  throw new CharterError('conflict', `approval ${id} was already ${current.status} by ${current.decidedBy ?? 'someone'}`);
}
