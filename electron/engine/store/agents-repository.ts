/** Agents: who acts, at what maturity, under which contract, with what confidence. */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Agent, Maturity } from '../../../shared/domain.ts';
import { isMaturity } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDb } from './database.ts';
import type { AgentsTable } from './schema.ts';
import { notFound, withConstraints } from './store-errors.ts';
import { all, defineQuery, run } from './sync.ts';
import { isoNow } from './timestamps.ts';

export interface NewAgentRow {
  readonly id?: string;
  readonly name: string;
  readonly role: string;
  readonly maturity: Maturity;
  readonly contract?: string | null;
  readonly confidence?: number;
  readonly createdAt?: string;
}

export interface AgentChanges {
  readonly name?: string;
  readonly role?: string;
  readonly maturity?: Maturity;
  readonly contract?: string | null;
  readonly confidence?: number;
}

function toAgent(row: Selectable<AgentsTable>): Agent {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    maturity: row.maturity as Maturity,
    confidence: row.confidence,
    contract: row.contract,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkMaturity(maturity: unknown): void {
  if (!isMaturity(maturity)) {
    throw new CharterError('invalid_argument', `maturity "${String(maturity)}" does not exist (student, intern, supervised or autonomous)`);
  }
}

function checkConfidence(confidence: number): void {
  if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    throw new CharterError('invalid_argument', `confidence must be between 0 and 1, got ${confidence}`);
  }
}

const agentById = defineQuery((db, args: { id: string }) => db.selectFrom('agents').selectAll().where('id', '=', args.id));

const shiftConfidence = defineQuery((db, args: { id: string; delta: number; now: string }) =>
  db.updateTable('agents')
    .set((eb) => ({
      confidence: eb.fn('max', [eb.lit(0), eb.fn('min', [eb.lit(1), eb('confidence', '+', args.delta)])]),
      updated_at: args.now,
    }))
    .where('id', '=', args.id)
    .returningAll());

export function listAgents(db: WorkspaceDb): readonly Agent[] {
  return all(db.sqlite, db.kysely.selectFrom('agents').selectAll().orderBy('name').orderBy('id')).map(toAgent);
}

export function getAgent(db: WorkspaceDb, id: string): Agent | undefined {
  const row = agentById.first(db.sqlite, { id });
  return row ? toAgent(row) : undefined;
}

export function insertAgent(db: WorkspaceDb, input: NewAgentRow): Agent {
  checkMaturity(input.maturity);
  if (input.confidence !== undefined) checkConfidence(input.confidence);
  const now = input.createdAt ?? isoNow();
  const row: Selectable<AgentsTable> = {
    id: input.id ?? randomUUID(),
    name: input.name,
    role: input.role,
    maturity: input.maturity,
    confidence: input.confidence ?? 0.5,
    contract: input.contract ?? null,
    created_at: now,
    updated_at: now,
  };
  withConstraints(() => run(db.sqlite, db.kysely.insertInto('agents').values(row)), {
    PRIMARYKEY: ['conflict', `agent ${row.id} already exists`],
  });
  return toAgent(row);
}

export function updateAgent(db: WorkspaceDb, id: string, changes: AgentChanges): Agent {
  if (changes.maturity !== undefined) checkMaturity(changes.maturity);
  if (changes.confidence !== undefined) checkConfidence(changes.confidence);
  const set: Partial<Selectable<AgentsTable>> = { updated_at: isoNow() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.maturity !== undefined) set.maturity = changes.maturity;
  if (changes.contract !== undefined) set.contract = changes.contract;
  if (changes.confidence !== undefined) set.confidence = changes.confidence;
  const rows = all(db.sqlite, db.kysely.updateTable('agents').set(set).where('id', '=', id).returningAll());
  const row = rows[0];
  if (!row) throw notFound(`agent ${id}`);
  return toAgent(row);
}

/** Moves an agent's confidence by `delta`, held within [0, 1]; returns the agent as it now is. */
export function adjustConfidence(db: WorkspaceDb, id: string, delta: number): Agent {
  if (!Number.isFinite(delta)) throw new CharterError('invalid_argument', `confidence change must be a finite number, got ${delta}`);
  const row = shiftConfidence.first(db.sqlite, { id, delta, now: isoNow() });
  if (!row) throw notFound(`agent ${id}`);
  return toAgent(row);
}
