/** Workspace settings: default agent, default contract, fail mode and flags, each change audited. */
import type { FailMode } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { SettingsService, WorkspaceFlags } from '../services.ts';
import type { WorkspaceDb } from '../store/database.ts';
import { getSetting, setSetting } from '../store/settings-repository.ts';
import type { WorkspaceContext } from './workspace-context.ts';

export interface WorkspaceSettings {
  readonly defaultAgentId: string | null;
  readonly defaultContract: string | null;
  readonly failMode: FailMode;
  readonly flags: WorkspaceFlags;
}

const KEYS = {
  defaultAgent: 'default_agent',
  defaultContract: 'default_contract',
  failMode: 'fail_mode',
  flags: 'flags',
} as const;

const DEFAULT_FLAGS: WorkspaceFlags = { emergencyBypass: false };

export function readWorkspaceSettings(db: WorkspaceDb): WorkspaceSettings {
  return {
    defaultAgentId: getSetting<string | null>(db, KEYS.defaultAgent) ?? null,
    defaultContract: getSetting<string | null>(db, KEYS.defaultContract) ?? null,
    failMode: getSetting<FailMode>(db, KEYS.failMode) ?? 'closed',
    flags: { ...DEFAULT_FLAGS, ...(getSetting<Partial<WorkspaceFlags>>(db, KEYS.flags) ?? {}) },
  };
}

export class WorkspaceSettingsService implements SettingsService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  current(): WorkspaceSettings {
    return readWorkspaceSettings(this.#ctx.db);
  }

  defaultAgentId(): string | null {
    return this.current().defaultAgentId;
  }

  setDefaultAgent(agentId: string | null): void {
    if (agentId !== null && !this.#ctx.directory.agent(agentId)) {
      throw new CharterError('not_found', `no agent with id ${agentId} exists in this workspace`);
    }
    this.#change(KEYS.defaultAgent, agentId, 'settings.changed');
  }

  defaultContract(): string | null {
    return this.current().defaultContract;
  }

  setDefaultContract(name: string | null): void {
    this.#change(KEYS.defaultContract, name, 'settings.changed');
  }

  failMode(): FailMode {
    return this.current().failMode;
  }

  setFailMode(mode: FailMode): void {
    if (mode !== 'closed' && mode !== 'open') throw new CharterError('invalid_argument', `fail mode must be closed or open, not ${String(mode)}`);
    this.#change(KEYS.failMode, mode, 'settings.changed');
  }

  flags(): WorkspaceFlags {
    return this.current().flags;
  }

  setFlag(name: keyof WorkspaceFlags, value: boolean): void {
    if (!(name in DEFAULT_FLAGS)) throw new CharterError('invalid_argument', `unknown flag ${String(name)}; known flags: ${Object.keys(DEFAULT_FLAGS).join(', ')}`);
    if (typeof value !== 'boolean') throw new CharterError('invalid_argument', `flag ${name} takes true or false`);
    this.#change(KEYS.flags, { ...this.flags(), [name]: value }, 'flag.changed', name);
  }

  #change(key: string, value: unknown, type: 'settings.changed' | 'flag.changed', flag?: string): void {
    const before = getSetting<unknown>(this.#ctx.db, key) ?? null;
    this.#ctx.transact(() => {
      setSetting(this.#ctx.db, key, value);
      this.#ctx.audit.append({ type, payload: { key, flag: flag ?? null, before, after: value, actor: this.#ctx.actor } });
    });
    this.#ctx.changed();
  }
}
