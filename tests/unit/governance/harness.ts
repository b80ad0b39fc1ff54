/** Builds a GovernanceEngine over an in-memory directory for tests, from contract YAML. */
import { parse } from 'yaml';
import type { AgentContract } from '../../../shared/contract/types.ts';
import type { Agent, FailMode, Maturity, Session } from '../../../shared/domain.ts';
import { builtinCatalog } from '../../../electron/engine/catalog.ts';
import { compileContractSource } from '../../../electron/engine/governance/compile-source.ts';
import type { CompiledContract } from '../../../electron/engine/governance/compiled-contract.ts';
import { GovernanceEngine } from '../../../electron/engine/governance/governance-engine.ts';

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export function agent(id: string, maturity: Maturity, role = 'assistant', contract: string | null = 'test'): Agent {
  return { id, name: id, role, maturity, confidence: 0.5, contract, createdAt: '', updatedAt: '' };
}

export function contractFrom(spec: string, name = 'test'): AgentContract {
  const body = spec
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return parse(`apiVersion: charter/v1\nkind: AgentContract\nmetadata:\n  name: ${name}\nspec:\n${body}\n`) as AgentContract;
}

export interface Harness {
  readonly engine: GovernanceEngine;
  readonly clock: FakeClock;
  readonly agents: Map<string, Agent>;
  readonly sessions: Map<string, Session>;
  readonly contracts: Map<string, CompiledContract>;
  settings: { defaultAgent: string | null; defaultContract: string | null; bypass: boolean; failMode: FailMode; storeDown: boolean };
  install(spec: string, name?: string, version?: number): CompiledContract;
}

export function harness(spec = '{}', agents: readonly Agent[] = []): Harness {
  const clock = fakeClock();
  const h: Harness = {
    clock,
    agents: new Map(agents.map((a) => [a.id, a])),
    sessions: new Map(),
    contracts: new Map(),
    settings: { defaultAgent: null, defaultContract: null, bypass: false, failMode: 'closed', storeDown: false },
    engine: undefined as unknown as GovernanceEngine,
    install(source, name = 'test', version = 1) {
      const compiled = compileContractSource(contractFrom(source, name), { name, version, hash: `h${version}` }, builtinCatalog());
      h.contracts.set(name, compiled);
      h.engine.invalidate();
      return compiled;
    },
  };
  (h as { engine: GovernanceEngine }).engine = new GovernanceEngine(
    {
      agent: (id) => h.agents.get(id),
      session: (id) => h.sessions.get(id),
      defaultAgentId: () => h.settings.defaultAgent,
      defaultContract: () => h.settings.defaultContract,
      compiledContract: (name) => {
        if (h.settings.storeDown) throw new Error('disk I/O error');
        return h.contracts.get(name);
      },
      workspaceBypass: () => h.settings.bypass,
      workspaceFailMode: () => h.settings.failMode,
    },
    clock,
  );
  h.install(spec);
  return h;
}
