/**
 * Decision speed: our compiled contract (uncached and cached) against Cedar's
 * statefulIsAuthorized with pre-parsed policies, on the same rules and the same requests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseContract } from '../../../shared/contract/parse.ts';
import type { Agent, DecisionRequest, Session } from '../../../shared/domain.ts';
import { builtinCatalog } from '../../../electron/engine/catalog.ts';
import { compileContractSource } from '../../../electron/engine/governance/compile-source.ts';
import { GovernanceEngine } from '../../../electron/engine/governance/governance-engine.ts';
import type { GovernanceDirectory } from '../../../electron/engine/governance/governance-engine.ts';
import type { BenchSection } from './section.ts';
import { percentile, ratio } from './stats.ts';

interface CedarModule {
  preparsePolicySet(id: string, policies: { staticPolicies: Record<string, string> }): { type: string; errors?: unknown };
  statefulIsAuthorized(call: unknown): { type: string; response?: { decision: string; diagnostics: { reason: string[] } }; errors?: unknown };
}

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

const AGENTS: readonly Agent[] = [
  agent('coder-1', 'coder', 'supervised'),
  agent('coder-2', 'coder', 'intern'),
  agent('support-1', 'support', 'student'),
  agent('support-2', 'support', 'supervised'),
  agent('ops-1', 'ops', 'supervised'),
];
const RANK: Readonly<Record<string, number>> = { student: 1, intern: 2, supervised: 3, autonomous: 4 };

/** A realistic mix: tool calls with arguments, canvas and streaming actions, form submissions. */
const REQUESTS: readonly DecisionRequest[] = [
  { agentId: 'coder-1', action: 'tool:read_file', input: { path: 'src/engine/index.ts' } },
  { agentId: 'coder-1', action: 'tool:read_file', input: { path: 'src/../etc/passwd' } },
  { agentId: 'coder-2', action: 'tool:write_file', input: { path: 'src/a.ts', bytes: 2048 } },
  { agentId: 'coder-1', action: 'tool:run_shell', input: { cmd: 'rm -rf /' } },
  { agentId: 'support-1', action: 'stream_chat', input: { prompt: 'hello' } },
  { agentId: 'support-1', action: 'present_form', input: { title: 'Refund' } },
  { agentId: 'support-2', action: 'submit_form', input: { formId: 'refund', amount: 900 } },
  { agentId: 'support-2', action: 'submit_form', input: { formId: 'refund', amount: 120 } },
  { agentId: 'ops-1', action: 'tool:deploy', input: { env: 'staging' } },
  { agentId: 'coder-2', action: 'llm_stream', input: { prompt: 'x' } },
  { agentId: 'support-2', action: 'present_chart', input: { series: [1, 2, 3] } },
  { agentId: 'coder-1', action: 'tool:search_code', input: { query: 'decide' } },
];

export const decisionSection: BenchSection = {
  name: 'decision',
  async run({ quick, log }) {
    const catalog = builtinCatalog();
    const parsed = parseContract(fixture('decision-contract.yaml'), { file: 'decision-contract.yaml', catalog });
    if (!parsed.ok) throw new Error(`bench contract is invalid: ${JSON.stringify(parsed.diagnostics)}`);
    const compiled = compileContractSource(parsed.contract, { name: 'bench-coding', version: 1, hash: 'bench' }, catalog);
    const directory = benchDirectory(compiled);
    const clock = { now: () => 1_700_000_000_000 };
    const uncached = new GovernanceEngine(directory, clock, { capacity: 0 });
    const cached = new GovernanceEngine(directory, clock);

    const cedar = loadCedar();
    const cedarIds = new Map<string, boolean>();
    const policies = cedarPolicies(fixture('decision-policies.cedar'), cedarIds);
    const prep = cedar.preparsePolicySet('bench', { staticPolicies: policies });
    if (prep.type !== 'success') throw new Error(`cedar policies did not parse: ${JSON.stringify(prep.errors)}`);
    const cedarCalls = REQUESTS.map((r) => cedarCall(r));
    const cedarDecide = (i: number): string => {
      const answer = cedar.statefulIsAuthorized(cedarCalls[i]!);
      if (answer.type !== 'success') throw new Error(`cedar failed: ${JSON.stringify(answer.errors)}`);
      const reasons = answer.response!.diagnostics.reason;
      return reasons.some((id) => cedarIds.get(id)) ? 'escalate' : answer.response!.decision;
    };

    // Both engines must agree on every request before we compare speed.
    for (let i = 0; i < REQUESTS.length; i++) {
      const ours = uncached.decide(REQUESTS[i]!, { consumeQuota: false }).outcome;
      const theirs = cedarDecide(i);
      if (ours !== theirs) throw new Error(`engines disagree on request ${i}: ours ${ours}, cedar ${theirs}`);
    }
    log(`outcomes agree on all ${REQUESTS.length} requests`);

    const samples = quick ? 100_000 : 1_000_000;
    const ours = latencies((i) => uncached.decide(REQUESTS[i % REQUESTS.length]!, { consumeQuota: false }), samples);
    const hits = latencies((i) => cached.decide(REQUESTS[i % REQUESTS.length]!, { consumeQuota: false }), samples);

    const rounds = quick ? 3 : 5;
    const perRound = quick ? 20_000 : 50_000;
    let oursOps = 0;
    let cedarOps = 0;
    for (let round = 0; round < rounds; round++) {
      oursOps += throughput(perRound, (i) => uncached.decide(REQUESTS[i % REQUESTS.length]!, { consumeQuota: false }));
      cedarOps += throughput(Math.max(1000, perRound / 50), (i) => cedarDecide(i % REQUESTS.length));
    }
    oursOps /= rounds;
    cedarOps /= rounds;

    const cachedHitRate = cached.cache.stats().hitRate;
    const result = {
      decision_p50_us: round3(percentile(ours, 0.5)),
      decision_p99_us: round3(percentile(ours, 0.99)),
      cached_decision_p50_us: round3(percentile(hits, 0.5)),
      cached_decision_p99_us: round3(percentile(hits, 0.99)),
      decision_ops_per_s: Math.round(oursOps),
      cedar_ops_per_s: Math.round(cedarOps),
      decision_speedup_vs_cedar: ratio(oursOps, cedarOps),
    };
    log(`ours uncached p50 ${result.decision_p50_us} µs, p99 ${result.decision_p99_us} µs`);
    log(`ours cached   p50 ${result.cached_decision_p50_us} µs (hit rate ${(cachedHitRate * 100).toFixed(1)}%)`);
    log(`throughput ours ${result.decision_ops_per_s}/s vs cedar ${result.cedar_ops_per_s}/s → ×${result.decision_speedup_vs_cedar}`);
    return result;
  },
};

/** Per-call latency in µs, less the timer's own cost (the median of timing an empty call). */
function latencies(run: (i: number) => unknown, count: number): Float64Array {
  for (let i = 0; i < 20_000; i++) run(i);
  const overhead = percentile(timed(() => undefined, 100_000), 0.5);
  const out = timed(run, count);
  for (let i = 0; i < count; i++) out[i] = Math.max(0, out[i]! - overhead);
  return out;
}

function timed(run: (i: number) => unknown, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    run(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

function throughput(count: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(count, 2000); i++) run(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) run(i);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return count / seconds;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function agent(id: string, role: string, maturity: Agent['maturity']): Agent {
  return { id, name: id, role, maturity, confidence: 0.5, contract: 'bench-coding', createdAt: '', updatedAt: '' };
}

function benchDirectory(compiled: ReturnType<typeof compileContractSource>): GovernanceDirectory {
  const agents = new Map(AGENTS.map((a) => [a.id, a]));
  const sessions = new Map<string, Session>();
  return {
    agent: (id) => agents.get(id),
    session: (id) => sessions.get(id),
    defaultAgentId: () => null,
    defaultContract: () => 'bench-coding',
    compiledContract: (name) => (name === 'bench-coding' ? compiled : undefined),
    workspaceBypass: () => false,
    workspaceFailMode: () => 'closed',
  };
}

function loadCedar(): CedarModule {
  const require = createRequire(import.meta.url);
  return require('@cedar-policy/cedar-wasm/nodejs') as CedarModule;
}

/** Splits the policy file into id → text so Cedar reports our ids; marks @escalate policies. */
function cedarPolicies(text: string, escalating: Map<string, boolean>): Record<string, string> {
  const policies: Record<string, string> = {};
  for (const statement of text.split('\n').filter((line) => line.startsWith('@'))) {
    const id = /@id\("([^"]+)"\)/.exec(statement)![1]!;
    policies[id] = statement;
    escalating.set(id, statement.includes('@escalate('));
  }
  return policies;
}

function cedarCall(request: DecisionRequest): unknown {
  const a = AGENTS.find((x) => x.id === request.agentId)!;
  return {
    principal: { type: 'Agent', id: a.id },
    action: { type: 'Action', id: request.action },
    resource: { type: 'Workspace', id: 'default' },
    context: request.input as Record<string, unknown>,
    preparsedPolicySetId: 'bench',
    entities: [{ uid: { type: 'Agent', id: a.id }, attrs: { role: a.role, rank: RANK[a.maturity]! }, parents: [] }],
  };
}
