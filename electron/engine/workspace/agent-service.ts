/** Agents and sessions, each change audited and followed by a cache invalidation. */
import type { Agent, Session } from '../../../shared/domain.ts';
import { isMaturity, MATURITY_LEVELS } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import type { AgentPatch, AgentService, NewAgent } from '../services.ts';
import { getAgent, insertAgent, listAgents, updateAgent } from '../store/agents-repository.ts';
import { insertSession } from '../store/sessions-repository.ts';
import type { WorkspaceContext } from './workspace-context.ts';

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export class WorkspaceAgentService implements AgentService {
  readonly #ctx: WorkspaceContext;

  constructor(ctx: WorkspaceContext) {
    this.#ctx = ctx;
  }

  list(): readonly Agent[] {
    return listAgents(this.#ctx.db);
  }

  get(id: string): Agent | undefined {
    return getAgent(this.#ctx.db, id);
  }

  create(input: NewAgent): Agent {
    checkAgent(input);
    const agent = this.#ctx.transact(() => {
      const created = insertAgent(this.#ctx.db, {
        ...(input.id !== undefined ? { id: input.id } : {}),
        name: input.name.trim(),
        role: input.role.trim(),
        maturity: input.maturity,
        contract: input.contract ?? null,
      });
      this.#ctx.audit.append({ type: 'agent.created', agentId: created.id, payload: { agent: created, actor: this.#ctx.actor } });
      return created;
    });
    this.#ctx.changed();
    return agent;
  }

  update(id: string, patch: AgentPatch): Agent {
    checkAgent(patch);
    const before = getAgent(this.#ctx.db, id);
    if (!before) throw new CharterError('not_found', `no agent with id ${id} exists in this workspace`);
    const agent = this.#ctx.transact(() => {
      const after = updateAgent(this.#ctx.db, id, patch);
      this.#ctx.audit.append({ type: 'agent.updated', agentId: id, payload: { before, after, actor: this.#ctx.actor } });
      return after;
    });
    this.#ctx.changed();
    return agent;
  }

  createSession(agentId: string | null): Session {
    if (agentId !== null && !getAgent(this.#ctx.db, agentId)) {
      throw new CharterError('not_found', `no agent with id ${agentId} exists in this workspace`);
    }
    const session = insertSession(this.#ctx.db, { agentId });
    this.#ctx.changed();
    return session;
  }
}

function checkAgent(input: Partial<NewAgent>): void {
  if (input.id !== undefined && !AGENT_ID.test(input.id)) {
    throw new CharterError('invalid_argument', `agent id ${JSON.stringify(input.id)} must be 1–64 lowercase letters, digits, '.', '_' or '-'`);
  }
  if (input.name !== undefined && input.name.trim() === '') throw new CharterError('invalid_argument', 'an agent needs a name');
  if (input.role !== undefined && input.role.trim() === '') throw new CharterError('invalid_argument', 'an agent needs a role');
  if (input.maturity !== undefined && !isMaturity(input.maturity)) {
    throw new CharterError('invalid_argument', `maturity ${JSON.stringify(input.maturity)} does not exist; use one of ${MATURITY_LEVELS.join(', ')}`);
  }
}
