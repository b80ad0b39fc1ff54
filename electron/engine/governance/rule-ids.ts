/**
 * Stable rule ids. Decisions cite them in reasons; test coverage counts them.
 */
import type { AgentContract } from '../../../shared/contract/types.ts';

export const BUILTIN_RULES = {
  maturityGate: 'maturity.gate',
  unknownAction: 'action.unknown',
  unknownAgent: 'context.unknown-agent',
  streaming: 'flags.streaming',
  canvas: 'flags.canvas',
  formGovernance: 'flags.formGovernance',
  emergencyBypass: 'flags.emergencyBypass',
  undeclaredTool: 'tools.undeclared',
  failClosed: 'failmode.closed',
  failOpen: 'failmode.open',
} as const;

export const ruleId = {
  complexity: (group: string, action: string) => `${group}/complexity/${action}`,
  toolsAllow: (group: string) => `${group}/tools/allow`,
  toolsDeny: (group: string) => `${group}/tools/deny`,
  deny: (group: string, id: string) => `${group}/deny/${id}`,
  quota: (group: string, id: string) => `${group}/quotas/${id}`,
  approval: (group: string, id: string) => `${group}/approvals/${id}`,
  tokenCap: (group: string) => `${group}/tokenCap`,
  actionInput: (action: string) => `actions/${action}/input`,
  actionOutput: (action: string) => `actions/${action}/output`,
  toolArguments: (tool: string) => `tools/${tool}/arguments`,
  toolOutput: (tool: string) => `tools/${tool}/output`,
  classification: (id: string) => `classification/${id}`,
  outbound: (id: string) => `outbound/${id}`,
} as const;

/** Every rule id a contract defines: the denominator of test coverage. */
export function contractRuleIds(contract: AgentContract): readonly string[] {
  const spec = contract.spec;
  const ids: string[] = [];
  for (const [action, a] of Object.entries(spec.actions ?? {})) {
    if (a.input !== undefined) ids.push(ruleId.actionInput(action));
    if (a.output !== undefined) ids.push(ruleId.actionOutput(action));
  }
  for (const [tool, t] of Object.entries(spec.tools ?? {})) {
    if (t.arguments !== undefined) ids.push(ruleId.toolArguments(tool));
    if (t.output !== undefined) ids.push(ruleId.toolOutput(tool));
  }
  for (const c of spec.classification ?? []) ids.push(ruleId.classification(c.id));
  for (const o of spec.outbound ?? []) ids.push(ruleId.outbound(o.id));
  for (const group of spec.rules ?? []) {
    for (const action of Object.keys(group.complexity ?? {})) ids.push(ruleId.complexity(group.id, action));
    if (group.tools?.allow) ids.push(ruleId.toolsAllow(group.id));
    if (group.tools?.deny) ids.push(ruleId.toolsDeny(group.id));
    for (const d of group.deny ?? []) ids.push(ruleId.deny(group.id, d.id));
    for (const q of group.quotas ?? []) ids.push(ruleId.quota(group.id, q.id));
    for (const a of group.approvals ?? []) ids.push(ruleId.approval(group.id, a.id));
    if (group.tokenCap !== undefined) ids.push(ruleId.tokenCap(group.id));
  }
  return ids;
}
