/**
 * What the direct CharterApi implementation needs from an open workspace: the engine's
 * services (electron/engine/services.ts) and the database for read-only reporting queries.
 * `openWorkspace` (electron/engine/workspace.ts) returns a superset of this.
 */
import type { AuditLog } from '../engine/audit/audit-log.ts';
import type { WorkspaceDb } from '../engine/store/database.ts';
import type {
  AgentService,
  AuditService,
  ContractService,
  GovernanceService,
  SettingsService,
} from '../engine/services.ts';

export interface EngineHandle {
  readonly agents: AgentService;
  readonly contracts: ContractService;
  readonly settings: SettingsService;
  readonly governance: GovernanceService;
  readonly audit: AuditService;
  readonly db: WorkspaceDb;
  /** Where key and bundle operations record themselves (key.created, bundle.exported). */
  readonly auditLog?: Pick<AuditLog, 'append'>;
}
