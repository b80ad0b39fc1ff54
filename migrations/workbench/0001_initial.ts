import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/** The workspace's first shape: agents, contracts, executions, approvals and the audit trail. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('maturity', 'text', (c) =>
      c.notNull().check(sql`maturity in ('student', 'intern', 'supervised', 'autonomous')`),
    )
    .addColumn('confidence', 'real', (c) => c.notNull().defaultTo(0.5).check(sql`confidence between 0 and 1`))
    .addColumn('contract', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.references('agents.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contracts')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contract_versions')
    .addColumn('contract', 'text', (c) => c.notNull().references('contracts.name'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'published', 'active', 'superseded')`),
    )
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('parent_hash', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('approvals_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addPrimaryKeyConstraint('contract_versions_pk', ['contract', 'version'])
    .execute();
  // At most one active version per contract.
  await sql`create unique index contract_versions_one_active on contract_versions (contract) where status = 'active'`.execute(db);
  // Only drafts are editable: a version's text and hash never change once published.
  await sql`create trigger contract_versions_immutable before update of source, hash on contract_versions
            when old.status <> 'draft' and (new.source is not old.source or new.hash is not old.hash)
            begin select raise(abort, 'published contract versions are immutable'); end`.execute(db);
  await sql`create trigger contract_versions_no_unpublish before update of status on contract_versions
            when old.status <> 'draft' and new.status = 'draft'
            begin select raise(abort, 'a published contract version cannot become a draft again'); end`.execute(db);

  await db.schema
    .createTable('executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('running', 'completed', 'failed', 'blocked', 'awaiting_approval')`),
    )
    .addColumn('parent_id', 'text', (c) => c.references('executions.id'))
    .addColumn('trace_id', 'text', (c) => c.notNull())
    .addColumn('decision_outcome', 'text', (c) => c.notNull())
    .addColumn('contract_name', 'text')
    .addColumn('contract_version', 'integer')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('executions_agent').on('executions').columns(['agent_id', 'started_at']).execute();
  await db.schema.createIndex('executions_started').on('executions').columns(['started_at']).execute();
  await db.schema.createIndex('executions_trace').on('executions').columns(['trace_id']).execute();
  await db.schema.createIndex('executions_parent').on('executions').columns(['parent_id']).execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'denied')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .execute();
  await db.schema.createIndex('approvals_status').on('approvals').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('approvals_execution').on('approvals').columns(['execution_id']).execute();

  // The chained part of the audit trail. Append-only: triggers refuse updates and deletes.
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('action', 'text')
    .addColumn('outcome', 'text')
    .addColumn('trace_id', 'text')
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('prev_digest', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_agent').on('audit_events').columns(['agent_id', 'seq']).execute();
  await db.schema.createIndex('audit_events_trace').on('audit_events').columns(['trace_id']).execute();
  await db.schema.createIndex('audit_events_ts').on('audit_events').columns(['ts']).execute();
  await sql`create trigger audit_events_append_only_update before update on audit_events
            begin select raise(abort, 'audit events are append-only'); end`.execute(db);
  await sql`create trigger audit_events_append_only_delete before delete on audit_events
            begin select raise(abort, 'audit events are append-only'); end`.execute(db);

  // Payloads live apart from the chain so retention and erasure can redact them.
  await db.schema
    .createTable('audit_payloads')
    .addColumn('seq', 'integer', (c) => c.primaryKey().references('audit_events.seq'))
    .addColumn('payload', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('intact').check(sql`state in ('intact', 'redacted', 'erased')`))
    .execute();

  await db.schema
    .createTable('checkpoints')
    .addColumn('tree_size', 'integer', (c) => c.primaryKey())
    .addColumn('head_digest', 'text', (c) => c.notNull())
    .addColumn('root_hash', 'text')
    .addColumn('signature', 'text')
    .addColumn('key_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['checkpoints', 'audit_payloads', 'audit_events', 'approvals', 'executions',
    'contract_versions', 'contracts', 'sessions', 'agents', 'settings']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
