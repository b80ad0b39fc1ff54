/** Sessions: a conversation bound (or not) to an agent; context resolution's second rung. */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Session } from '../../../shared/domain.ts';
import type { WorkspaceDb } from './database.ts';
import type { SessionsTable } from './schema.ts';
import { withConstraints } from './store-errors.ts';
import { defineQuery } from './sync.ts';
import { isoNow } from './timestamps.ts';

export interface NewSessionRow {
  readonly id?: string;
  readonly agentId?: string | null;
  readonly createdAt?: string;
}

function toSession(row: Selectable<SessionsTable>): Session {
  return { id: row.id, agentId: row.agent_id, createdAt: row.created_at };
}

const sessionById = defineQuery((db, args: { id: string }) => db.selectFrom('sessions').selectAll().where('id', '=', args.id));

const addSession = defineQuery((db, args: { id: string; agentId: string | null; createdAt: string }) =>
  db.insertInto('sessions').values({ id: args.id, agent_id: args.agentId, created_at: args.createdAt }));

export function insertSession(db: WorkspaceDb, input: NewSessionRow = {}): Session {
  const row: Selectable<SessionsTable> = { id: input.id ?? randomUUID(), agent_id: input.agentId ?? null, created_at: input.createdAt ?? isoNow() };
  withConstraints(() => addSession.run(db.sqlite, { id: row.id, agentId: row.agent_id, createdAt: row.created_at }), {
    PRIMARYKEY: ['conflict', `session ${row.id} already exists`],
    FOREIGNKEY: ['not_found', `agent ${row.agent_id ?? ''} does not exist`],
  });
  return toSession(row);
}

export function getSession(db: WorkspaceDb, id: string): Session | undefined {
  const row = sessionById.first(db.sqlite, { id });
  return row ? toSession(row) : undefined;
}
