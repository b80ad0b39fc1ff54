/** The Simulate slice: the request being built, the last decision, and saving it as a test case. */
import { create } from 'zustand';
import type { Agent, Decision, DecisionRequest, Maturity } from '../../shared/domain.ts';
import { charter } from '../api.ts';
import { useApp } from './app.ts';
import { appendCase } from './suite-yaml.ts';

export type ContextKind = 'agent' | 'session' | 'workspace';

interface SimulateState {
  readonly agents: readonly Agent[];
  readonly contextKind: ContextKind;
  readonly agentId: string;
  readonly sessionId: string;
  readonly action: string;
  readonly input: string;
  readonly inputError: string | null;
  readonly record: boolean;
  readonly decision: Decision | null;
  readonly request: DecisionRequest | null;
  readonly running: boolean;
  loadAgents(): Promise<void>;
  createAgent(name: string, role: string, maturity: Maturity, contract: string | null): Promise<void>;
  newSession(agentId: string | null): Promise<void>;
  set(patch: Partial<Pick<SimulateState, 'contextKind' | 'agentId' | 'sessionId' | 'action' | 'input' | 'record'>>): void;
  simulate(): Promise<void>;
  saveAsTestCase(caseName: string): Promise<void>;
}

function parseInput(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `The input is not valid JSON: ${(error as Error).message}` };
  }
}

export const useSimulate = create<SimulateState>((set, get) => ({
  agents: [],
  contextKind: 'workspace',
  agentId: '',
  sessionId: '',
  action: 'stream_chat',
  input: '{\n  "messages": [{ "role": "user", "content": "hello" }]\n}',
  inputError: null,
  record: true,
  decision: null,
  request: null,
  running: false,

  loadAgents: async () => {
    try {
      const agents = await charter().agents.list({});
      set({ agents, agentId: get().agentId || agents[0]?.id || '' });
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  createAgent: async (name, role, maturity, contract) => {
    try {
      const agent = await charter().agents.create({ name, role, maturity, contract });
      set({ agents: await charter().agents.list({}), agentId: agent.id, contextKind: 'agent' });
      useApp.getState().say(`Agent ${agent.name} (${agent.maturity}) created.`);
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  newSession: async (agentId) => {
    try {
      const session = await charter().agents.createSession({ agentId });
      set({ sessionId: session.id, contextKind: 'session' });
      useApp.getState().say(`Session ${session.id} created${agentId ? ` for ${agentId}` : ' with no agent'}.`);
    } catch (error) {
      useApp.getState().fail(error);
    }
  },

  set: (patch) => set({ ...patch, inputError: patch.input !== undefined ? null : get().inputError }),

  simulate: async () => {
    const s = get();
    const input = parseInput(s.input);
    if (!input.ok) {
      set({ inputError: input.error });
      return;
    }
    const request: DecisionRequest = {
      action: s.action.trim(),
      ...(input.value !== undefined ? { input: input.value } : {}),
      ...(s.contextKind === 'agent' && s.agentId ? { agentId: s.agentId } : {}),
      ...(s.contextKind === 'session' && s.sessionId ? { sessionId: s.sessionId } : {}),
    };
    set({ running: true });
    try {
      const decision = await charter().governance.simulate({ request, record: s.record });
      set({ decision, request });
    } catch (error) {
      useApp.getState().fail(error);
    } finally {
      set({ running: false });
    }
  },

  saveAsTestCase: async (caseName) => {
    const { decision, request } = get();
    if (!decision || !request) return;
    const contract = decision.contract?.name;
    if (!contract) {
      useApp.getState().fail({ code: 'invalid_argument', message: 'No contract governed this decision, so there is no suite to add it to.' });
      return;
    }
    try {
      const { source } = await charter().tests.getSuite({ contract });
      const next = appendCase(source, contract, caseName, request, decision);
      await charter().tests.saveSuite({ contract, source: next });
      useApp.getState().say(`Saved as a test case in ${contract}'s suite.`);
    } catch (error) {
      useApp.getState().fail(error);
    }
  },
}));
