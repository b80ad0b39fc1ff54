/**
 * Executions: one governed action being carried out, with its decision outcome, status and
 * parent (an execution started by another). A terminal status (completed, failed, blocked) is
 * final.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Execution, ExecutionStatus, Outcome } from '../../../shared/domain.ts';
import { TERMINAL_EXECUTION_STATUSES } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDb } from './database.ts';
import type { ExecutionsTable } from './schema.ts';
import { notFound, withConstraints } from './store-errors.ts';
import { all, defineQuery } from './sync.ts';
import { isoNow } from './timestamps.ts';

export interface NewExecutionRow {
  readonly id?: string;
  readonly agentId: string;
  readonly action: string;
  readonly status: ExecutionStatus;
  readonly decisionOutcome: Outcome;
  readonly parentId?: string | null;
  /** A fresh one is generated when absent. */
  readonly traceId?: string;
  /** The contract version that decided, when there was one. */
  readonly contractName?: string | null;
  readonly contractVersion?: number | null;
  readonly startedAt?: string;
  /** Defaults to `startedAt` when the execution starts in a terminal status (blocked). */
  readonly endedAt?: string | null;
  readonly error?: string | null;
}

export interface ExecutionStatusChange {
  /** Defaults to now when the new status is terminal. */
  readonly endedAt?: string;
  readonly error?: string | null;
}

export interface ExecutionFilter {
  readonly agentId?: string;
  readonly status?: ExecutionStatus;
  readonly traceId?: string;
  readonly parentId?: string;
  /** Only executions started before this instant (ISO-8601), for paging back in time. */
  readonly startedBefore?: string;
  readonly limit?: number;
}

function isTerminal(status: string): boolean {
  return (TERMINAL_EXECUTION_STATUSES as readonly string[]).includes(status);
}

function toExecution(row: Selectable<ExecutionsTable>): Execution {
  return {
    id: row.id,
    agentId: row.agent_id,
    action: row.action,
    status: row.status as ExecutionStatus,
    parentId: row.parent_id,
    traceId: row.trace_id,
    decisionOutcome: row.decision_outcome as Outcome,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    error: row.error,
  };
}

const executionById = defineQuery((db, args: { id: string }) => db.selectFrom('executions').selectAll().where('id', '=', args.id));

const addExecution = defineQuery((db, args: Selectable<ExecutionsTable>) => db.insertInto('executions').values({
  id: args.id,
  agent_id: args.agent_id,
  action: args.action,
  status: args.status,
  parent_id: args.parent_id,
  trace_id: args.trace_id,
  decision_outcome: args.decision_outcome,
  contract_name: args.contract_name,
  contract_version: args.contract_version,
  started_at: args.started_at,
  ended_at: args.ended_at,
  error: args.error,
}));

// The status guard makes a race between two finishers harmless: only one update matches.
const changeStatus = defineQuery((db, args: { id: string; status: string; endedAt: string | null; error: string | null }) =>
  db.updateTable('executions')
    .set({ status: args.status, ended_at: args.endedAt, error: args.error })
    .where('id', '=', args.id)
    .where('status', 'not in', TERMINAL_EXECUTION_STATUSES)
    .returningAll());

export function insertExecution(db: WorkspaceDb, input: NewExecutionRow): Execution {
  const startedAt = input.startedAt ?? isoNow();
  const row: Selectable<ExecutionsTable> = {
    id: input.id ?? randomUUID(),
    agent_id: input.agentId,
    action: input.action,
    status: input.status,
    parent_id: input.parentId ?? null,
    trace_id: input.traceId ?? randomUUID(),
    decision_outcome: input.decisionOutcome,
    contract_name: input.contractName ?? null,
    contract_version: input.contractVersion ?? null,
    started_at: startedAt,
    ended_at: input.endedAt !== undefined ? input.endedAt : isTerminal(input.status) ? startedAt : null,
    error: input.error ?? null,
  };
  withConstraints(() => addExecution.run(db.sqlite, row), {
    PRIMARYKEY: ['conflict', `execution ${row.id} already exists`],
    FOREIGNKEY: ['not_found', `parent execution ${row.parent_id ?? ''} does not exist`],
    CHECK: ['invalid_argument', `execution status "${row.status}" does not exist`],
  });
  return toExecution(row);
}

/** Moves an execution to `status`. Refused (conflict) once the execution has reached a terminal status. */
export function updateExecutionStatus(db: WorkspaceDb, id: string, status: ExecutionStatus,
  change: ExecutionStatusChange = {}): Execution {
  const endedAt = change.endedAt ?? (isTerminal(status) ? isoNow() : null);
  const row = withConstraints(() => changeStatus.first(db.sqlite, { id, status, endedAt, error: change.error ?? null }), {
    CHECK: ['invalid_argument', `execution status "${status}" does not exist`],
  });
  if (row) return toExecution(row);
  const current = getExecution(db, id);
  if (!current) throw notFound(`execution ${id}`);
  throw new CharterError('conflict', `execution ${id} is already ${current.status}; its status cannot change`);
}

export function getExecution(db: WorkspaceDb, id: string): Execution | undefined {
  const row = executionById.first(db.sqlite, { id });
  return row ? toExecution(row) : undefined;
}

/** Executions matching every given filter, newest first. */
export function listExecutions(db: WorkspaceDb, filter: ExecutionFilter = {}): readonly Execution[] {
  let query = db.kysely.selectFrom('executions').selectAll();
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.traceId !== undefined) query = query.where('trace_id', '=', filter.traceId);
  if (filter.parentId !== undefined) query = query.where('parent_id', '=', filter.parentId);
  if (filter.startedBefore !== undefined) query = query.where('started_at', '<', filter.startedBefore);
  // rowid breaks ties between executions started in the same millisecond: later insert first.
  query = query.orderBy('started_at', 'desc').orderBy(sql`rowid`, 'desc');
  if (filter.limit !== undefined) {
    if (!Number.isSafeInteger(filter.limit) || filter.limit < 0) {
      throw new CharterError('invalid_argument', `limit must be a whole number ≥ 0, got ${filter.limit}`);
    }
    query = query.limit(filter.limit);
  }
  return all(db.sqlite, query).map(toExecution);
}
