/**
 * Context resolution: which agent governs a request. Explicit agent id → the session's agent →
 * the workspace default → the system default "Chat Assistant" (student). The decision records
 * which rung answered.
 */
import type { Agent, DecisionRequest, ResolutionRung, Session } from '../../../shared/domain.ts';
import { SYSTEM_DEFAULT_AGENT_ID, SYSTEM_DEFAULT_AGENT_NAME } from '../../../shared/domain.ts';

export const SYSTEM_DEFAULT_CONTRACT = 'chat-assistant';

export const SYSTEM_DEFAULT_AGENT: Agent = {
  id: SYSTEM_DEFAULT_AGENT_ID,
  name: SYSTEM_DEFAULT_AGENT_NAME,
  role: 'assistant',
  maturity: 'student',
  confidence: 0.5,
  contract: SYSTEM_DEFAULT_CONTRACT,
  createdAt: '1970-01-01T00:00:00.000Z',
  updatedAt: '1970-01-01T00:00:00.000Z',
};

export interface AgentDirectory {
  agent(id: string): Agent | undefined;
  session(id: string): Session | undefined;
  defaultAgentId(): string | null;
}

export type Resolution =
  | { readonly ok: true; readonly agent: Agent; readonly rung: ResolutionRung }
  | { readonly ok: false; readonly rung: ResolutionRung; readonly agentId: string; readonly message: string };

export function resolveContext(request: DecisionRequest, directory: AgentDirectory): Resolution {
  if (request.agentId !== undefined) {
    const agent = lookup(request.agentId, directory);
    return agent
      ? { ok: true, agent, rung: 'explicit' }
      : { ok: false, rung: 'explicit', agentId: request.agentId, message: `no agent with id ${request.agentId} exists in this workspace` };
  }
  if (request.sessionId !== undefined) {
    const session = directory.session(request.sessionId);
    if (session?.agentId) {
      const agent = lookup(session.agentId, directory);
      if (agent) return { ok: true, agent, rung: 'session' };
    }
  }
  const defaultId = directory.defaultAgentId();
  if (defaultId !== null) {
    const agent = lookup(defaultId, directory);
    if (agent) return { ok: true, agent, rung: 'workspace_default' };
  }
  return { ok: true, agent: lookup(SYSTEM_DEFAULT_AGENT_ID, directory) ?? SYSTEM_DEFAULT_AGENT, rung: 'system_default' };
}

function lookup(id: string, directory: AgentDirectory): Agent | undefined {
  return directory.agent(id) ?? (id === SYSTEM_DEFAULT_AGENT_ID ? SYSTEM_DEFAULT_AGENT : undefined);
}
