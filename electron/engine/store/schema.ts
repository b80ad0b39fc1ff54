/** Kysely's view of the workspace database (migrations/workbench). Column names are snake_case. */
import type { Generated } from 'kysely';

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AgentsTable {
  id: string;
  name: string;
  role: string;
  maturity: string;
  confidence: Generated<number>;
  contract: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  agent_id: string | null;
  created_at: string;
}

export interface ContractsTable {
  name: string;
  description: Generated<string>;
  created_at: string;
}

export interface ContractVersionsTable {
  contract: string;
  version: number;
  status: string;
  hash: string;
  parent_hash: string | null;
  source: string;
  approvals_required: Generated<number>;
  created_at: string;
  published_at: string | null;
}

export interface ExecutionsTable {
  id: string;
  agent_id: string;
  action: string;
  status: string;
  parent_id: string | null;
  trace_id: string;
  decision_outcome: string;
  contract_name: string | null;
  contract_version: number | null;
  started_at: string;
  ended_at: string | null;
  error: string | null;
}

export interface ApprovalsTable {
  id: string;
  execution_id: string;
  agent_id: string;
  action: string;
  status: string;
  reason: string;
  requested_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface AuditEventsTable {
  seq: number;
  ts: string;
  type: string;
  agent_id: string | null;
  action: string | null;
  outcome: string | null;
  trace_id: string | null;
  payload_hash: string;
  prev_digest: string;
  digest: string;
}

export interface AuditPayloadsTable {
  seq: number;
  payload: string | null;
  state: Generated<string>;
}

export interface CheckpointsTable {
  tree_size: number;
  head_digest: string;
  root_hash: string | null;
  signature: string | null;
  key_id: string | null;
  created_at: string;
}

/** One row per applied migration: the checksum of its source when it ran (see migrator.ts). */
export interface CharterMigrationsTable {
  name: string;
  checksum: string;
  recorded_at: string;
}

export interface WorkspaceDatabase {
  settings: SettingsTable;
  agents: AgentsTable;
  sessions: SessionsTable;
  contracts: ContractsTable;
  contract_versions: ContractVersionsTable;
  executions: ExecutionsTable;
  approvals: ApprovalsTable;
  audit_events: AuditEventsTable;
  audit_payloads: AuditPayloadsTable;
  checkpoints: CheckpointsTable;
  charter_migrations: CharterMigrationsTable;
  signing_keys: SigningKeysTable;
  trusted_keys: TrustedKeysTable;
  bundle_exports: BundleExportsTable;
}

/** Signing keys (migrations/workbench/0002_keys.ts); the private half sealed by a SecretBox. */
export interface SigningKeysTable {
  kid: string;
  public_jwk: string;
  sealed_private: Uint8Array;
  box: string;
  status: string;
  created_at: string;
  retired_at: string | null;
}

export interface TrustedKeysTable {
  kid: string;
  public_jwk: string;
  label: Generated<string>;
  added_at: string;
}

export interface BundleExportsTable {
  id: Generated<number>;
  tree_size: number;
  root_hash: string;
  head_digest: string;
  first_seq: number;
  manifest_sha256: string;
  created_at: string;
}
