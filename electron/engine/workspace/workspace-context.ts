/** What every workspace service shares: the database, the audit log, the engine, the clock. */
import type { ActionCatalog } from '../../../shared/catalog.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { GovernanceEngine } from '../governance/governance-engine.ts';
import type { Clock } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';
import type { WorkspaceDirectory } from './governance-directory.ts';

export interface WorkspaceContext {
  readonly db: WorkspaceDb;
  readonly audit: AuditLog;
  readonly engine: GovernanceEngine;
  readonly directory: WorkspaceDirectory;
  readonly catalog: ActionCatalog;
  readonly clock: Clock;
  /** Who is acting, for audit payloads (the OS user for the CLI and the app). */
  readonly actor: string;
  /** Runs `fn` as one transaction: one user action, one commit. */
  transact<T>(fn: () => T): T;
  /** Call after any change to agents, sessions, contracts or settings. */
  changed(): void;
}
