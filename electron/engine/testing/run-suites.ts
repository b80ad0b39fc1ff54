/**
 * Runs test suites: each in a fresh in-memory workspace with a fake clock, its contract loaded,
 * published and activated, its agents, sessions and settings created, and its cases run in
 * order (so quota state carries over from one case to the next). Results are data.
 */
import type { AgentContract } from '../../../shared/contract/types.ts';
import type { Decision, DecisionRequest, FailMode } from '../../../shared/domain.ts';
import { isCharterError } from '../../../shared/errors.ts';
import type { Diagnostic, SourceLocation } from '../../../shared/errors.ts';
import { BUILTIN_RULES, contractRuleIds } from '../governance/rule-ids.ts';
import { resourcePath } from '../resource-root.ts';
import type { AgentService, Clock, ContractService, GovernanceService, SettingsService } from '../services.ts';
import { compareDecision } from './compare.ts';
import { parseSuite } from './parse-suite.ts';
import type { CaseResult, ContractCoverage, SuiteResult, TestReport } from './results.ts';
import { readSourceFile } from './source-file.ts';
import type { TestCase, TestSuite } from './suite.ts';

export const DEFAULT_CONTRACT_FILE = resourcePath('policies', 'default', 'chat-assistant.yaml');
const DEFAULT_CONTRACT_NAME = 'chat-assistant';

/** The part of a workspace the runner uses; the real Workspace satisfies it. */
export interface SuiteWorkspace {
  readonly agents: Pick<AgentService, 'create' | 'createSession'>;
  readonly contracts: Pick<ContractService, 'validate' | 'saveDraft' | 'publish' | 'activate' | 'get' | 'versions'>;
  readonly settings: Pick<SettingsService, 'setDefaultAgent' | 'setDefaultContract' | 'setFlag'> & {
    setFailMode?(mode: FailMode): void;
  };
  readonly governance: Pick<GovernanceService, 'decide'>;
  close(): Promise<void> | void;
}

export type OpenSuiteWorkspace = (path: string, options: { clock: Clock }) => Promise<SuiteWorkspace>;

export interface RunOptions {
  readonly openWorkspace: OpenSuiteWorkspace;
  /** The default Chat Assistant contract, loaded into every suite's workspace. */
  readonly defaultContractFile?: string;
}

const BUILTIN_RULE_IDS: ReadonlySet<string> = new Set(Object.values(BUILTIN_RULES));

export async function runSuites(files: readonly string[], options: RunOptions): Promise<TestReport> {
  const started = performance.now();
  const suites: SuiteResult[] = [];
  for (const file of files) suites.push(await runSuiteFile(file, options));
  const cases = suites.flatMap((s) => s.cases);
  const passed = cases.filter((c) => c.status === 'pass').length;
  const failed = cases.filter((c) => c.status === 'fail').length;
  const errored = cases.filter((c) => c.status === 'error').length;
  const brokenSuites = suites.filter((s) => s.diagnostics.some((d) => d.severity === 'error')).length;
  return {
    ok: failed === 0 && errored === 0 && brokenSuites === 0 && cases.length > 0,
    suites,
    coverage: coverageByContract(suites),
    totals: { suites: suites.length, brokenSuites, cases: cases.length, passed, failed, errored },
    durationMs: performance.now() - started,
  };
}

export async function runSuiteFile(file: string, options: RunOptions): Promise<SuiteResult> {
  const started = performance.now();
  const broken = (diagnostics: readonly Diagnostic[], extra: Partial<SuiteResult> = {}): SuiteResult => ({
    file, name: null, contract: null, contractFile: null, diagnostics, cases: [], durationMs: performance.now() - started,
    ruleIds: [], rulesEvaluated: [], ...extra,
  });

  let source: string;
  try {
    source = readSourceFile(file, { kind: 'test suite' });
  } catch (error) {
    if (isCharterError(error)) return broken(error.diagnostics.length > 0 ? error.diagnostics : [problem(error.message, { file, line: 1, column: 1 })]);
    throw error;
  }
  const parsed = parseSuite(source, file);
  if (!parsed.ok) return broken(parsed.diagnostics);
  const suite = parsed.suite;

  let now = suite.start;
  const clock: Clock = { now: () => now };
  const workspace = await options.openWorkspace(':memory:', { clock });
  try {
    const setup = setUp(workspace, suite, options.defaultContractFile ?? DEFAULT_CONTRACT_FILE);
    const base = { name: suite.name, contractFile: suite.contract.resolved };
    if (!setup.ok) return broken(setup.diagnostics, { ...base, contract: setup.contractName });

    const evaluated = new Set<string>();
    const cases: CaseResult[] = [];
    for (const testCase of suite.cases) {
      if (testCase.at !== undefined) now = testCase.at;
      if (testCase.advance !== undefined) now += testCase.advance;
      cases.push(runCase(workspace, testCase, setup.sessions, new Date(now).toISOString(), evaluated));
    }
    return {
      file,
      ...base,
      contract: setup.contractName,
      diagnostics: parsed.diagnostics,
      cases,
      durationMs: performance.now() - started,
      ruleIds: contractRuleIds(setup.contract),
      rulesEvaluated: [...evaluated],
    };
  } finally {
    await workspace.close();
  }
}

type Setup =
  | { ok: true; contract: AgentContract; contractName: string; sessions: ReadonlyMap<string, string> }
  | { ok: false; diagnostics: readonly Diagnostic[]; contractName: string | null };

function setUp(workspace: SuiteWorkspace, suite: TestSuite, defaultContractFile: string): Setup {
  const installed = installContract(workspace, suite.contract.resolved, suite.contract.location);
  if (!installed.ok) return { ok: false, diagnostics: installed.diagnostics, contractName: null };
  const contractName = installed.contract.metadata.name;
  const fail = (message: string, location: SourceLocation): Setup => ({ ok: false, diagnostics: [problem(message, location)], contractName });

  for (const extra of suite.extraContracts) {
    const result = installContract(workspace, extra.resolved, extra.location);
    if (!result.ok) return { ok: false, diagnostics: result.diagnostics, contractName };
  }
  if (contractName !== DEFAULT_CONTRACT_NAME && workspace.contracts.get(DEFAULT_CONTRACT_NAME) === undefined) {
    const fallback = { file: suite.file, line: 1, column: 1 };
    const result = installContract(workspace, defaultContractFile, fallback);
    if (!result.ok) return { ok: false, diagnostics: result.diagnostics, contractName };
  }

  for (const agent of suite.agents) {
    try {
      workspace.agents.create({ id: agent.id, name: agent.name, role: agent.role, maturity: agent.maturity, contract: agent.contract });
    } catch (error) {
      return fail(`cannot create agent ${agent.id}: ${messageOf(error)}`, agent.location);
    }
  }
  const sessions = new Map<string, string>();
  for (const session of suite.sessions) {
    try {
      sessions.set(session.id, workspace.agents.createSession(session.agent).id);
    } catch (error) {
      return fail(`cannot create session ${session.id}: ${messageOf(error)}`, session.location);
    }
  }
  const settingsAt = { file: suite.file, line: 1, column: 1 };
  try {
    const { defaultAgent, defaultContract, emergencyBypass, failMode } = suite.settings;
    if (defaultAgent !== undefined) workspace.settings.setDefaultAgent(defaultAgent);
    workspace.settings.setDefaultContract(defaultContract === undefined ? contractName : defaultContract);
    if (emergencyBypass !== undefined) workspace.settings.setFlag('emergencyBypass', emergencyBypass);
    if (failMode !== undefined) {
      if (!workspace.settings.setFailMode) throw new Error('this workspace cannot set a fail mode');
      workspace.settings.setFailMode(failMode);
    }
  } catch (error) {
    return fail(`cannot apply the suite's settings: ${messageOf(error)}`, settingsAt);
  }
  return { ok: true, contract: installed.contract, contractName, sessions };
}

type Installed = { ok: true; contract: AgentContract } | { ok: false; diagnostics: readonly Diagnostic[] };

/** Saves, publishes and activates a contract file. */
function installContract(workspace: SuiteWorkspace, path: string, referencedAt: SourceLocation): Installed {
  let source: string;
  try {
    source = readSourceFile(path, { kind: 'contract' });
  } catch (error) {
    if (isCharterError(error)) return { ok: false, diagnostics: [problem(error.message, referencedAt, 'suite.contract')] };
    throw error;
  }
  const parsed = workspace.contracts.validate(source, path);
  if (!parsed.ok) {
    return { ok: false, diagnostics: [problem(`contract ${path} is invalid`, referencedAt, 'suite.contract'), ...parsed.diagnostics] };
  }
  const name = parsed.contract.metadata.name;
  try {
    const head = workspace.contracts.versions(name).at(-1);
    let version = workspace.contracts.saveDraft(source, head?.hash ?? null);
    if (version.status === 'draft') version = workspace.contracts.publish(name, version.version);
    if (version.status !== 'active') workspace.contracts.activate(name, version.version);
  } catch (error) {
    return { ok: false, diagnostics: [problem(`cannot load contract ${path}: ${messageOf(error)}`, referencedAt, 'suite.contract')] };
  }
  return { ok: true, contract: parsed.contract };
}

function runCase(
  workspace: SuiteWorkspace,
  testCase: TestCase,
  sessions: ReadonlyMap<string, string>,
  at: string,
  evaluated: Set<string>,
): CaseResult {
  const { request } = testCase;
  const decisionRequest: DecisionRequest = {
    action: request.action,
    ...(request.agent !== undefined ? { agentId: request.agent } : {}),
    ...(request.session !== undefined ? { sessionId: sessions.get(request.session)! } : {}),
    ...(request.input !== undefined ? { input: request.input } : {}),
    ...(request.output !== undefined ? { output: request.output } : {}),
    ...(request.usage !== undefined ? { usage: request.usage } : {}),
    traceId: `test:${testCase.name}`,
  };
  let decision: Decision;
  try {
    decision = workspace.governance.decide(decisionRequest);
  } catch (error) {
    return { name: testCase.name, location: testCase.location, status: 'error', mismatches: [], decision: null, error: messageOf(error), at };
  }
  for (const id of decision.rulesEvaluated) evaluated.add(id);
  const mismatches = compareDecision(testCase.expect, decision);
  return {
    name: testCase.name,
    location: testCase.location,
    status: mismatches.length === 0 ? 'pass' : 'fail',
    mismatches,
    decision,
    error: null,
    at,
  };
}

function coverageByContract(suites: readonly SuiteResult[]): ContractCoverage[] {
  const byContract = new Map<string, { contract: string; file: string; ids: Set<string>; seen: Set<string> }>();
  for (const suite of suites) {
    if (suite.contract === null || suite.contractFile === null || suite.cases.length === 0) continue;
    const key = `${suite.contract}\u0000${suite.contractFile}`;
    let entry = byContract.get(key);
    if (!entry) {
      entry = { contract: suite.contract, file: suite.contractFile, ids: new Set(), seen: new Set() };
      byContract.set(key, entry);
    }
    for (const id of suite.ruleIds) entry.ids.add(id);
    for (const id of suite.rulesEvaluated) entry.seen.add(id);
  }
  return [...byContract.values()].map(({ contract, file, ids, seen }) => {
    const covered = [...ids].filter((id) => seen.has(id));
    const uncovered = [...ids].filter((id) => !seen.has(id));
    return {
      contract,
      file,
      total: ids.size,
      covered,
      uncovered,
      ratio: ids.size === 0 ? 1 : covered.length / ids.size,
      builtins: [...seen].filter((id) => BUILTIN_RULE_IDS.has(id)).sort(),
    };
  });
}

function problem(message: string, location: SourceLocation, code = 'suite.setup'): Diagnostic {
  return { code, message, severity: 'error', location };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

