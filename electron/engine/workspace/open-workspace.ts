/**
 * Opens a workspace: the database (migrated), the audit log, the governance engine and the
 * services over them. Everything after this asynchronous open is synchronous.
 */
import { userInfo } from 'node:os';
import type { ActionCatalog } from '../../../shared/catalog.ts';
import type { JwsSigner } from '../../../shared/merkle/jws.ts';
import { AuditLog } from '../audit/audit-log.ts';
import type { AuditLogOptions } from '../audit/audit-log.ts';
import { MerkleSealer } from '../bundles/merkle-sealer.ts';
import { builtinCatalog } from '../catalog.ts';
import type { DecisionCacheOptions } from '../governance/decision-cache.ts';
import { GovernanceEngine } from '../governance/governance-engine.ts';
import type { Clock } from '../services.ts';
import { systemClock } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';
import { openWorkspaceDatabase } from '../store/database.ts';
import { WorkspaceAgentService } from './agent-service.ts';
import { WorkspaceApprovalService } from './approval-service.ts';
import { WorkspaceAuditService } from './audit-service.ts';
import { ContractRegistry } from './contract-registry.ts';
import { WorkspaceContractService } from './contract-service.ts';
import { WorkspaceExecutionService } from './execution-service.ts';
import { WorkspaceDirectory } from './governance-directory.ts';
import { WorkspaceGovernanceService } from './governance-service.ts';
import { seedDefaultContract } from './seed-defaults.ts';
import { WorkspaceSettingsService } from './settings-service.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export interface OpenWorkspaceOptions {
  readonly clock?: Clock;
  readonly cache?: DecisionCacheOptions;
  /** Who acts, recorded in audit payloads. Default: the OS user name. */
  readonly actor?: string;
  /** Install the default Chat Assistant contract in a new workspace (default true). */
  readonly seedDefaults?: boolean;
  readonly audit?: Omit<AuditLogOptions, 'clock'>;
  /** Signs Merkle checkpoints; without one, checkpoints record their root unsigned. */
  readonly signer?: JwsSigner | null;
}

export interface Workspace {
  readonly path: string;
  readonly db: WorkspaceDb;
  readonly catalog: ActionCatalog;
  readonly auditLog: AuditLog;
  readonly engine: GovernanceEngine;
  readonly agents: WorkspaceAgentService;
  readonly contracts: WorkspaceContractService;
  readonly settings: WorkspaceSettingsService;
  readonly governance: WorkspaceGovernanceService;
  readonly executions: WorkspaceExecutionService;
  readonly approvals: WorkspaceApprovalService;
  readonly audit: WorkspaceAuditService;
  close(): Promise<void>;
}

export async function openWorkspace(path: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const db = await openWorkspaceDatabase(path);
  try {
    const clock = options.clock ?? systemClock;
    const catalog = builtinCatalog();
    const sealer = options.audit?.sealer ?? new MerkleSealer(db.sqlite, { signer: options.signer ?? null });
    const auditLog = new AuditLog(db, { ...options.audit, clock, sealer });
    const registry = new ContractRegistry(db, catalog);
    const directory = new WorkspaceDirectory(db, registry);
    const engine = new GovernanceEngine(directory, clock, options.cache);
    const ctx: WorkspaceContext = {
      db,
      audit: auditLog,
      engine,
      directory,
      catalog,
      clock,
      actor: options.actor ?? safeUserName(),
      transact: (fn) => db.sqlite.transaction(fn).immediate(),
      changed: () => {
        directory.reload();
        engine.invalidate();
      },
    };
    const contracts = new WorkspaceContractService(ctx);
    if (options.seedDefaults ?? true) seedDefaultContract(contracts);
    return {
      path,
      db,
      catalog,
      auditLog,
      engine,
      agents: new WorkspaceAgentService(ctx),
      contracts,
      settings: new WorkspaceSettingsService(ctx),
      governance: new WorkspaceGovernanceService(ctx),
      executions: new WorkspaceExecutionService(ctx),
      approvals: new WorkspaceApprovalService(ctx),
      audit: new WorkspaceAuditService(ctx),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
