/**
 * Parses a test suite with positions: a malformed suite yields diagnostics located at
 * `file:line:column`, never an exception.
 */
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import { isMaturity, MATURITY_LEVELS, OUTCOMES, QUOTA_METRICS, RESOLUTION_RUNGS, SYSTEM_DEFAULT_AGENT_ID } from '../../../shared/domain.ts';
import type { Degradation, FailMode, Maturity, Outcome, RedactionMethod, ResolutionRung, Usage } from '../../../shared/domain.ts';
import type { Diagnostic } from '../../../shared/errors.ts';
import { DEFAULT_SUITE_START, SUITE_API_VERSION, SUITE_KIND } from './suite.ts';
import type {
  CaseRequest,
  ContractFileRef,
  ExpectedRedaction,
  Expectation,
  SuiteAgent,
  SuiteSession,
  SuiteSettings,
  TestCase,
  TestSuite,
} from './suite.ts';
import { YamlReader } from './yaml-reader.ts';
import type { Entry } from './yaml-reader.ts';

export type SuiteParseResult =
  | { readonly ok: true; readonly suite: TestSuite; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const ID_HINT = 'use letters, digits, ".", "_", ":" or "-" (at most 128)';
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DEGRADATIONS: readonly (Degradation | 'none')[] = ['fail_closed', 'fail_open', 'bypass', 'none'];
const REDACTION_METHODS: readonly RedactionMethod[] = ['mask', 'hash', 'remove'];

/** `source` is the suite's text; `file` locates diagnostics and anchors relative contract paths. */
export function parseSuite(source: string, file: string): SuiteParseResult {
  const r = new YamlReader(file, source);
  if (!r.root) {
    if (r.ok) r.error(null, '', 'suite.empty', 'the file is empty; expected a TestSuite document');
    return { ok: false, diagnostics: r.diagnostics };
  }
  const suite = readSuite(r, r.root, file);
  return suite && r.ok ? { ok: true, suite, diagnostics: r.diagnostics } : { ok: false, diagnostics: r.diagnostics };
}

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * DURATION_MS[match[2]!]! : undefined;
}

function readSuite(r: YamlReader, root: Node, file: string): TestSuite | undefined {
  const top = r.map(root, '', 'a test suite', ['apiVersion', 'kind', 'metadata', 'contract', 'contracts', 'start', 'agents', 'sessions', 'settings', 'cases']);
  if (!top) return undefined;
  const apiVersion = r.require(top, 'apiVersion', root, '', 'the suite');
  if (apiVersion && r.string(apiVersion, 'apiVersion') !== undefined && r.data(apiVersion) !== SUITE_API_VERSION) {
    r.error(apiVersion.value, apiVersion.pointer, 'suite.api-version', `apiVersion must be "${SUITE_API_VERSION}"`);
  }
  const kind = r.require(top, 'kind', root, '', 'the suite');
  if (kind && r.string(kind, 'kind') !== undefined && r.data(kind) !== SUITE_KIND) {
    r.error(kind.value, kind.pointer, 'suite.kind', `kind must be "${SUITE_KIND}" (got "${String(r.data(kind))}")`);
  }

  let name: string | undefined;
  let description: string | undefined;
  const metadataEntry = r.require(top, 'metadata', root, '', 'the suite');
  if (metadataEntry) {
    const metadata = r.map(metadataEntry.value, metadataEntry.pointer, 'metadata', ['name', 'description']);
    if (metadata) {
      const nameEntry = r.require(metadata, 'name', metadataEntry.value, metadataEntry.pointer, 'metadata');
      if (nameEntry) name = r.string(nameEntry, 'metadata.name', ID, ID_HINT);
      const descriptionEntry = metadata.get('description');
      if (descriptionEntry) description = r.string(descriptionEntry, 'metadata.description');
    }
  }

  const base = dirname(file);
  const contractEntry = r.require(top, 'contract', root, '', 'the suite');
  const contract = contractEntry ? readContractRef(r, contractEntry, base) : undefined;
  const extraContracts: ContractFileRef[] = [];
  const contractsEntry = top.get('contracts');
  if (contractsEntry) {
    for (const item of r.seq(contractsEntry, 'contracts') ?? []) {
      const ref = readContractRef(r, item, base);
      if (ref) extraContracts.push(ref);
    }
  }

  let start = Date.parse(DEFAULT_SUITE_START);
  const startEntry = top.get('start');
  if (startEntry) start = readInstant(r, startEntry, 'start') ?? start;

  // Ids are collected even from malformed entries, so one mistake does not cascade.
  const agentIds = new Set<string>([SYSTEM_DEFAULT_AGENT_ID]);
  const agents = readAgents(r, top.get('agents'), agentIds);
  const sessionIds = new Set<string>();
  const sessions = readSessions(r, top.get('sessions'), agentIds, sessionIds);
  const settings = readSettings(r, top.get('settings'), agentIds);

  const cases: TestCase[] = [];
  const casesEntry = r.require(top, 'cases', root, '', 'the suite');
  if (casesEntry) {
    const items = r.seq(casesEntry, 'cases') ?? [];
    if (items.length === 0 && r.ok) r.error(casesEntry.value, casesEntry.pointer, 'suite.no-cases', 'cases must list at least one case');
    const names = new Set<string>();
    for (const item of items) {
      const testCase = readCase(r, item, sessionIds);
      if (!testCase) continue;
      if (names.has(testCase.name)) r.error(item.value, item.pointer, 'suite.duplicate-case', `two cases are named "${testCase.name}"`);
      names.add(testCase.name);
      cases.push(testCase);
    }
  }

  if (name === undefined || contract === undefined) return undefined;
  return { file, name, ...(description !== undefined ? { description } : {}), contract, extraContracts, start, agents, sessions, settings, cases };
}

function readContractRef(r: YamlReader, entry: Entry, base: string): ContractFileRef | undefined {
  const path = r.string(entry, 'contract path');
  if (path === undefined) return undefined;
  return { path, resolved: resolve(base, path), location: r.locate(entry.value) };
}

function readInstant(r: YamlReader, entry: Entry, what: string): number | undefined {
  const text = r.string(entry, what);
  if (text === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    r.error(entry.value, entry.pointer, 'suite.time', `${what} must be an ISO-8601 time such as 2025-01-01T09:30:00Z (got "${text}")`);
    return undefined;
  }
  return ms;
}

function readAgents(r: YamlReader, entry: Entry | undefined, ids: Set<string>): SuiteAgent[] {
  const agents: SuiteAgent[] = [];
  if (!entry) return agents;
  for (const item of r.seq(entry, 'agents') ?? []) {
    const fields = r.map(item.value, item.pointer, 'an agent', ['id', 'name', 'role', 'maturity', 'contract']);
    if (!fields) continue;
    const idEntry = r.require(fields, 'id', item.value, item.pointer, 'the agent');
    const id = idEntry && r.string(idEntry, 'agent id', ID, ID_HINT);
    const duplicate = id !== undefined && ids.has(id);
    if (id !== undefined) ids.add(id);
    const nameEntry = fields.get('name');
    const name = nameEntry ? r.string(nameEntry, 'agent name') : id;
    const roleEntry = r.require(fields, 'role', item.value, item.pointer, 'the agent');
    const role = roleEntry && r.string(roleEntry, 'agent role');
    const maturityEntry = r.require(fields, 'maturity', item.value, item.pointer, 'the agent');
    const maturity = maturityEntry && r.oneOf<Maturity>(maturityEntry, 'maturity', MATURITY_LEVELS);
    const contractEntry = fields.get('contract');
    const contract = contractEntry ? r.nullableString(contractEntry, 'agent contract') : null;
    if (id === undefined || name === undefined || role === undefined || maturity === undefined || !isMaturity(maturity) || contract === undefined) continue;
    if (duplicate) {
      r.error(idEntry?.value, idEntry?.pointer ?? item.pointer, 'suite.duplicate-agent',
        id === SYSTEM_DEFAULT_AGENT_ID ? `"${id}" is the built-in system default agent; pick another id` : `two agents have the id "${id}"`);
      continue;
    }
    agents.push({ id, name, role, maturity, contract, location: r.locate(item.value) });
  }
  return agents;
}

function readSessions(r: YamlReader, entry: Entry | undefined, agentIds: ReadonlySet<string>, ids: Set<string>): SuiteSession[] {
  const sessions: SuiteSession[] = [];
  if (!entry) return sessions;
  for (const item of r.seq(entry, 'sessions') ?? []) {
    const fields = r.map(item.value, item.pointer, 'a session', ['id', 'agent']);
    if (!fields) continue;
    const idEntry = r.require(fields, 'id', item.value, item.pointer, 'the session');
    const id = idEntry && r.string(idEntry, 'session id', ID, ID_HINT);
    const duplicate = id !== undefined && ids.has(id);
    if (id !== undefined) ids.add(id);
    const agentEntry = fields.get('agent');
    const agent = agentEntry ? r.nullableString(agentEntry, 'session agent') : null;
    if (agentEntry && typeof agent === 'string' && !agentIds.has(agent)) {
      r.error(agentEntry.value, agentEntry.pointer, 'suite.unknown-agent', `session agent "${agent}" is not one of the suite's agents`);
      continue;
    }
    if (id === undefined || agent === undefined) continue;
    if (duplicate) {
      r.error(idEntry?.value, idEntry?.pointer ?? item.pointer, 'suite.duplicate-session', `two sessions have the id "${id}"`);
      continue;
    }
    sessions.push({ id, agent, location: r.locate(item.value) });
  }
  return sessions;
}

function readSettings(r: YamlReader, entry: Entry | undefined, agentIds: ReadonlySet<string>): SuiteSettings {
  if (!entry) return {};
  const fields = r.map(entry.value, entry.pointer, 'settings', ['defaultAgent', 'defaultContract', 'emergencyBypass', 'failMode']);
  if (!fields) return {};
  const settings: { defaultAgent?: string | null; defaultContract?: string | null; emergencyBypass?: boolean; failMode?: FailMode } = {};
  const agentEntry = fields.get('defaultAgent');
  if (agentEntry) {
    const agent = r.nullableString(agentEntry, 'settings.defaultAgent');
    if (typeof agent === 'string' && !agentIds.has(agent)) {
      r.error(agentEntry.value, agentEntry.pointer, 'suite.unknown-agent', `default agent "${agent}" is not one of the suite's agents`);
    } else if (agent !== undefined) settings.defaultAgent = agent;
  }
  const contractEntry = fields.get('defaultContract');
  if (contractEntry) {
    const contract = r.nullableString(contractEntry, 'settings.defaultContract');
    if (contract !== undefined) settings.defaultContract = contract;
  }
  const bypassEntry = fields.get('emergencyBypass');
  if (bypassEntry) {
    const bypass = r.boolean(bypassEntry, 'settings.emergencyBypass');
    if (bypass !== undefined) settings.emergencyBypass = bypass;
  }
  const failModeEntry = fields.get('failMode');
  if (failModeEntry) {
    const failMode = r.oneOf<FailMode>(failModeEntry, 'settings.failMode', ['closed', 'open']);
    if (failMode !== undefined) settings.failMode = failMode;
  }
  return settings;
}

function readCase(r: YamlReader, item: Entry, sessionIds: ReadonlySet<string>): TestCase | undefined {
  const fields = r.map(item.value, item.pointer, 'a case', ['name', 'at', 'advance', 'request', 'expect']);
  if (!fields) return undefined;
  const nameEntry = r.require(fields, 'name', item.value, item.pointer, 'the case');
  const name = nameEntry && r.string(nameEntry, 'case name');

  let at: number | undefined;
  const atEntry = fields.get('at');
  if (atEntry) at = readInstant(r, atEntry, 'at');
  let advance: number | undefined;
  const advanceEntry = fields.get('advance');
  if (advanceEntry) {
    const text = r.string(advanceEntry, 'advance');
    advance = text === undefined ? undefined : parseDuration(text);
    if (text !== undefined && advance === undefined) {
      r.error(advanceEntry.value, advanceEntry.pointer, 'suite.duration', `advance must be a duration such as 500ms, 61s, 5m, 2h or 1d (got "${text}")`);
    }
  }
  if (atEntry && advanceEntry) r.error(advanceEntry.key, advanceEntry.pointer, 'suite.clock', 'a case sets the clock with "at" or "advance", not both');

  const requestEntry = r.require(fields, 'request', item.value, item.pointer, 'the case');
  const request = requestEntry && readRequest(r, requestEntry, sessionIds);
  const expectEntry = r.require(fields, 'expect', item.value, item.pointer, 'the case');
  const expect = expectEntry && readExpectation(r, expectEntry);
  if (name === undefined || request === undefined || expect === undefined) return undefined;
  return {
    name,
    location: r.locate(item.value),
    ...(at !== undefined ? { at } : {}),
    ...(advance !== undefined ? { advance } : {}),
    request,
    expect,
  };
}

/** `sessionIds` null accepts any session id (scenarios name real workspace sessions). */
export function readRequest(r: YamlReader, entry: Entry, sessionIds: ReadonlySet<string> | null): CaseRequest | undefined {
  const fields = r.map(entry.value, entry.pointer, 'request', ['agent', 'session', 'action', 'input', 'output', 'usage']);
  if (!fields) return undefined;
  const request: { agent?: string; session?: string; action?: string; input?: unknown; output?: unknown; usage?: Usage } = {};
  const agentEntry = fields.get('agent');
  if (agentEntry) request.agent = r.string(agentEntry, 'request.agent');
  const sessionEntry = fields.get('session');
  if (sessionEntry) {
    const session = r.string(sessionEntry, 'request.session');
    if (session !== undefined && sessionIds !== null && !sessionIds.has(session)) {
      r.error(sessionEntry.value, sessionEntry.pointer, 'suite.unknown-session', `session "${session}" is not one of the suite's sessions`);
    } else request.session = session;
  }
  const actionEntry = r.require(fields, 'action', entry.value, entry.pointer, 'the request');
  if (actionEntry) request.action = r.string(actionEntry, 'request.action');
  const inputEntry = fields.get('input');
  if (inputEntry) request.input = r.data(inputEntry);
  const outputEntry = fields.get('output');
  if (outputEntry) request.output = r.data(outputEntry);
  const usageEntry = fields.get('usage');
  if (usageEntry) {
    const usage = r.map(usageEntry.value, usageEntry.pointer, 'usage', QUOTA_METRICS);
    const values: Record<string, number> = {};
    for (const [metric, metricEntry] of usage ?? []) {
      const n = r.number(metricEntry, `usage.${metric}`, { min: 0 });
      if (n !== undefined) values[metric] = n;
    }
    request.usage = values as Usage;
  }
  if (request.action === undefined) return undefined;
  return request as CaseRequest;
}

function readExpectation(r: YamlReader, entry: Entry): Expectation | undefined {
  const fields = r.map(entry.value, entry.pointer, 'expect',
    ['outcome', 'ruleId', 'ruleIds', 'rung', 'agent', 'contract', 'degraded', 'tokenCap', 'redact']);
  if (!fields) return undefined;
  const outcomeEntry = r.require(fields, 'outcome', entry.value, entry.pointer, 'expect');
  const outcome = outcomeEntry && r.oneOf<Outcome>(outcomeEntry, 'expect.outcome', OUTCOMES);
  const expectation: {
    outcome?: Outcome; ruleIds: string[]; rung?: ResolutionRung; agent?: string; contract?: string | null;
    degraded?: Degradation | null; tokenCap?: number | null; redact?: ExpectedRedaction[];
  } = { ruleIds: [] };
  expectation.outcome = outcome;
  const ruleIdEntry = fields.get('ruleId');
  if (ruleIdEntry) {
    const id = r.string(ruleIdEntry, 'expect.ruleId');
    if (id !== undefined) expectation.ruleIds.push(id);
  }
  const ruleIdsEntry = fields.get('ruleIds');
  if (ruleIdsEntry) {
    for (const item of r.seq(ruleIdsEntry, 'expect.ruleIds') ?? []) {
      const id = r.string(item, 'a rule id');
      if (id !== undefined) expectation.ruleIds.push(id);
    }
  }
  const rungEntry = fields.get('rung');
  if (rungEntry) expectation.rung = r.oneOf<ResolutionRung>(rungEntry, 'expect.rung', RESOLUTION_RUNGS);
  const agentEntry = fields.get('agent');
  if (agentEntry) expectation.agent = r.string(agentEntry, 'expect.agent');
  const contractEntry = fields.get('contract');
  if (contractEntry) expectation.contract = r.nullableString(contractEntry, 'expect.contract');
  const degradedEntry = fields.get('degraded');
  if (degradedEntry) {
    const degraded = r.oneOf(degradedEntry, 'expect.degraded', DEGRADATIONS);
    expectation.degraded = degraded === 'none' ? null : degraded;
  }
  const capEntry = fields.get('tokenCap');
  if (capEntry) {
    expectation.tokenCap = r.isNull(capEntry) ? null : r.number(capEntry, 'expect.tokenCap', { integer: true, min: 0 });
  }
  const redactEntry = fields.get('redact');
  if (redactEntry) expectation.redact = readRedactions(r, redactEntry);
  if (outcome === undefined) return undefined;
  return expectation as Expectation;
}

function readRedactions(r: YamlReader, entry: Entry): ExpectedRedaction[] | undefined {
  const items = r.seq(entry, 'expect.redact');
  if (!items) return undefined;
  const redactions: ExpectedRedaction[] = [];
  for (const item of items) {
    if (isScalar(item.value) && typeof item.value.value === 'string') {
      const path = r.pointer(item, 'a redacted path');
      if (path !== undefined) redactions.push({ path });
      continue;
    }
    const fields = r.map(item.value, item.pointer, 'a redaction', ['path', 'class', 'method', 'target']);
    if (!fields) continue;
    const pathEntry = r.require(fields, 'path', item.value, item.pointer, 'the redaction');
    const path = pathEntry && r.pointer(pathEntry, 'redaction path');
    const classEntry = fields.get('class');
    const dataClass = classEntry ? r.string(classEntry, 'redaction class') : undefined;
    const methodEntry = fields.get('method');
    const method = methodEntry ? r.oneOf<RedactionMethod>(methodEntry, 'redaction method', REDACTION_METHODS) : undefined;
    const targetEntry = fields.get('target');
    const target = targetEntry ? r.oneOf<'input' | 'output'>(targetEntry, 'redaction target', ['input', 'output']) : undefined;
    if (path === undefined) continue;
    redactions.push({
      path,
      ...(dataClass !== undefined ? { dataClass } : {}),
      ...(method !== undefined ? { method } : {}),
      ...(target !== undefined ? { target } : {}),
    });
  }
  return redactions;
}
