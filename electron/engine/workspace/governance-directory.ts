/**
 * What the governance engine looks up on every decision, kept in memory: agents, sessions,
 * workspace settings and compiled contracts. The services that change them call `refresh()`,
 * which also clears the decision cache.
 */
import type { Agent, FailMode, Session } from '../../../shared/domain.ts';
import type { CompiledContract } from '../governance/compiled-contract.ts';
import type { GovernanceDirectory } from '../governance/governance-engine.ts';
import { listAgents } from '../store/agents-repository.ts';
import type { WorkspaceDb } from '../store/database.ts';
import { getSession } from '../store/sessions-repository.ts';
import type { ContractRegistry } from './contract-registry.ts';
import { readWorkspaceSettings } from './settings-service.ts';
import type { WorkspaceSettings } from './settings-service.ts';

export class WorkspaceDirectory implements GovernanceDirectory {
  readonly #db: WorkspaceDb;
  readonly #contracts: ContractRegistry;
  #agents = new Map<string, Agent>();
  readonly #sessions = new Map<string, Session | null>();
  #settings: WorkspaceSettings;

  constructor(db: WorkspaceDb, contracts: ContractRegistry) {
    this.#db = db;
    this.#contracts = contracts;
    this.#settings = readWorkspaceSettings(db);
    this.reload();
  }

  reload(): void {
    this.#agents = new Map(listAgents(this.#db).map((a) => [a.id, a]));
    this.#sessions.clear();
    this.#settings = readWorkspaceSettings(this.#db);
    this.#contracts.forget();
  }

  agent(id: string): Agent | undefined {
    return this.#agents.get(id);
  }

  session(id: string): Session | undefined {
    let session = this.#sessions.get(id);
    if (session === undefined) {
      session = getSession(this.#db, id) ?? null;
      this.#sessions.set(id, session);
    }
    return session ?? undefined;
  }

  defaultAgentId(): string | null {
    return this.#settings.defaultAgentId;
  }

  defaultContract(): string | null {
    return this.#settings.defaultContract;
  }

  compiledContract(name: string): CompiledContract | undefined {
    return this.#contracts.active(name);
  }

  workspaceBypass(): boolean {
    return this.#settings.flags.emergencyBypass;
  }

  workspaceFailMode(): FailMode {
    return this.#settings.failMode;
  }
}
