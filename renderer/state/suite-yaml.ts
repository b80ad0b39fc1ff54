/**
 * Writes a simulated request and its decision as a TestSuite case. Plain text on purpose: the
 * suite stays the user's document, so we append to it rather than re-serialize it.
 */
import type { Decision, DecisionRequest } from '../../shared/domain.ts';

export function newSuite(contract: string): string {
  return `apiVersion: charter/v1
kind: TestSuite
metadata:
  name: ${contract}
contract: ./${contract}.yaml
cases:
`;
}

function flow(value: unknown): string {
  // JSON is valid YAML flow syntax.
  return JSON.stringify(value);
}

export function appendCase(existing: string | null, contract: string, name: string, request: DecisionRequest, decision: Decision): string {
  const base = existing && existing.trim() !== '' ? existing.replace(/\s*$/, '\n') : newSuite(contract);
  const req: Record<string, unknown> = { action: request.action };
  if (request.agentId) req.agent = request.agentId;
  if (request.input !== undefined) req.input = request.input;
  const expect: Record<string, unknown> = { outcome: decision.outcome };
  const firstRule = decision.reasons[0]?.ruleId;
  if (firstRule) expect.ruleId = firstRule;
  return `${base}  - name: ${flow(name)}
    request: ${flow(req)}
    expect: ${flow(expect)}
`;
}
