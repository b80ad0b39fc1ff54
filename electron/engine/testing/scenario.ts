/**
 * Scenario files for `charter simulate --file`: a list of requests decided in order against a
 * real workspace (its agents, sessions and contracts, the real clock).
 *
 *   apiVersion: charter/v1
 *   kind: Scenario
 *   metadata: { name: refund-flow }
 *   steps:
 *     - name: look up the order
 *       request: { agent: sue, action: lookup_order, input: { orderId: ORD-000123 } }
 */
import type { Diagnostic } from '../../../shared/errors.ts';
import type { SourceLocation } from '../../../shared/errors.ts';
import { readRequest } from './parse-suite.ts';
import type { CaseRequest } from './suite.ts';
import { SUITE_API_VERSION } from './suite.ts';
import { YamlReader } from './yaml-reader.ts';

export const SCENARIO_KIND = 'Scenario';

export interface Scenario {
  readonly name: string;
  readonly steps: readonly ScenarioStep[];
}

export interface ScenarioStep {
  readonly name: string;
  readonly location: SourceLocation;
  readonly request: CaseRequest;
}

export type ScenarioParseResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function parseScenario(source: string, file: string): ScenarioParseResult {
  const r = new YamlReader(file, source);
  if (!r.root) {
    if (r.ok) r.error(null, '', 'scenario.empty', 'the file is empty; expected a Scenario document');
    return { ok: false, diagnostics: r.diagnostics };
  }
  const top = r.map(r.root, '', 'a scenario', ['apiVersion', 'kind', 'metadata', 'steps']);
  if (!top) return { ok: false, diagnostics: r.diagnostics };
  const apiVersion = r.require(top, 'apiVersion', r.root, '', 'the scenario');
  if (apiVersion && r.data(apiVersion) !== SUITE_API_VERSION) {
    r.error(apiVersion.value, apiVersion.pointer, 'scenario.api-version', `apiVersion must be "${SUITE_API_VERSION}"`);
  }
  const kind = r.require(top, 'kind', r.root, '', 'the scenario');
  if (kind && r.data(kind) !== SCENARIO_KIND) {
    r.error(kind.value, kind.pointer, 'scenario.kind', `kind must be "${SCENARIO_KIND}" (got ${JSON.stringify(r.data(kind))})`);
  }
  let name = 'scenario';
  const metadata = top.get('metadata');
  if (metadata) {
    const fields = r.map(metadata.value, metadata.pointer, 'metadata', ['name', 'description']);
    const nameEntry = fields?.get('name');
    if (nameEntry) name = r.string(nameEntry, 'metadata.name') ?? name;
  }
  const steps: ScenarioStep[] = [];
  const stepsEntry = r.require(top, 'steps', r.root, '', 'the scenario');
  for (const item of (stepsEntry && r.seq(stepsEntry, 'steps')) ?? []) {
    const fields = r.map(item.value, item.pointer, 'a step', ['name', 'request']);
    if (!fields) continue;
    const nameEntry = fields.get('name');
    const stepName = nameEntry ? r.string(nameEntry, 'step name') : `step ${steps.length + 1}`;
    const requestEntry = r.require(fields, 'request', item.value, item.pointer, 'the step');
    const request = requestEntry && readRequest(r, requestEntry, null);
    if (stepName !== undefined && request !== undefined) steps.push({ name: stepName, location: r.locate(item.value), request });
  }
  if (stepsEntry && steps.length === 0 && r.ok) r.error(stepsEntry.value, stepsEntry.pointer, 'scenario.no-steps', 'steps must list at least one step');
  return r.ok ? { ok: true, scenario: { name, steps } } : { ok: false, diagnostics: r.diagnostics };
}
