/**
 * Compiles a published contract version once: rule groups become sets and maps, embedded JSON
 * Schemas become validators, conditions become predicates. `plan()` then builds the static part
 * of a decision for one agent and action without touching the contract document again.
 */
import type { ActionCatalog, ActionFamily } from '../../../shared/catalog.ts';
import type {
  AgentContract,
  ApprovalRule,
  ContractFlags,
  DenyRule,
  JsonSchema,
  QuotaRule,
  RuleGroup,
} from '../../../shared/contract/types.ts';
import type { ContractRef, FailMode, Maturity, Reason, RedactionObligation } from '../../../shared/domain.ts';
import { MATURITY_LEVELS, maturityRank, TOOL_ACTION_PREFIX } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import { allOf, compileCondition } from './conditions.ts';
import type { ApprovalCheck, DecisionPlan, OutboundCheck, QuotaCheck, SchemaCheck } from './decision-plan.ts';
import { TEXT_DETECTORS } from './detectors.ts';
import { compilePointer } from './pointer.ts';
import { withFixedVerdict } from './evaluate-plan.ts';
import { parseWindow } from './quota-window.ts';
import { BUILTIN_RULES, contractRuleIds, ruleId } from './rule-ids.ts';

/** Who is asking: the resolved agent, reduced to what rules select on. */
export interface Subject {
  readonly id: string;
  readonly role: string;
  readonly maturity: Maturity;
}

/** Compiles an embedded JSON Schema into a function returning null or a plain-words error. */
export type SchemaCompiler = (schema: JsonSchema, where: string) => (value: unknown) => string | null;

interface ActionInfo {
  readonly name: string;
  readonly complexity: number;
  readonly family: ActionFamily;
  readonly input: SchemaCheck | null;
  readonly output: SchemaCheck | null;
  readonly declaredInputSchema: boolean;
}

interface CompiledGroup {
  readonly id: string;
  readonly agents: ReadonlySet<string> | null;
  readonly roles: ReadonlySet<string> | null;
  readonly maturity: ReadonlySet<Maturity> | null;
  readonly complexity: ReadonlyMap<string, number>;
  readonly toolAllow: ReadonlySet<string> | null;
  readonly toolDeny: ReadonlySet<string> | null;
  readonly deny: readonly { readonly rule: DenyRule; readonly actions: ReadonlySet<string> }[];
  readonly quotas: readonly { readonly check: QuotaCheck; readonly actions: ReadonlySet<string> | null }[];
  readonly approvals: readonly { readonly check: ApprovalCheck; readonly actions: ReadonlySet<string> }[];
  readonly tokenCap: number | undefined;
}

interface CompiledClassification {
  readonly ruleId: string;
  readonly path: string;
  readonly actions: ReadonlySet<string> | null;
  readonly target: 'input' | 'output';
  readonly dataClass: string;
  readonly redaction: RedactionObligation;
}

interface CompiledOutbound {
  readonly ruleId: string;
  readonly actions: ReadonlySet<string> | null;
  readonly effect: OutboundCheck['effect'];
  readonly reason: string;
  readonly classes: readonly string[];
}

const STREAMING_FAMILY: ActionFamily = 'streaming';

export class CompiledContract {
  readonly ref: ContractRef;
  readonly failMode: FailMode;
  readonly flags: Required<ContractFlags>;
  readonly ruleIds: readonly string[];
  readonly #actions: ReadonlyMap<string, ActionInfo>;
  readonly #groups: readonly CompiledGroup[];
  readonly #classification: readonly CompiledClassification[];
  readonly #outbound: readonly CompiledOutbound[];

  constructor(contract: AgentContract, ref: ContractRef, catalog: ActionCatalog, compileSchema: SchemaCompiler) {
    const spec = contract.spec;
    this.ref = ref;
    this.failMode = spec.failMode ?? 'closed';
    this.flags = {
      streaming: spec.flags?.streaming ?? true,
      canvas: spec.flags?.canvas ?? true,
      formGovernance: spec.flags?.formGovernance ?? true,
      emergencyBypass: spec.flags?.emergencyBypass ?? false,
    };
    this.ruleIds = contractRuleIds(contract);
    this.#actions = compileActions(contract, catalog, compileSchema);
    this.#groups = (spec.rules ?? []).map((group) => compileGroup(group));
    this.#classification = (spec.classification ?? []).map((c) => ({
      ruleId: ruleId.classification(c.id),
      path: c.path,
      actions: c.actions ? new Set(c.actions) : null,
      target: c.target ?? 'input',
      dataClass: c.class,
      redaction: { path: c.path, dataClass: c.class, method: c.redact ?? 'mask', target: c.target ?? 'input' },
    }));
    this.#outbound = (spec.outbound ?? []).map((o) => ({
      ruleId: ruleId.outbound(o.id),
      actions: o.actions ? new Set(o.actions) : null,
      effect: o.effect,
      reason: o.reason ?? `output may not carry ${o.classes.join(', ')} data`,
      classes: o.classes,
    }));
  }

  /** Whether the contract knows the action at all (catalog, declared action, or declared tool). */
  knows(action: string): boolean {
    return this.#actions.has(action);
  }

  actionNames(): readonly string[] {
    return [...this.#actions.keys()];
  }

  plan(subject: Subject, action: string, workspaceBypass: boolean): DecisionPlan {
    const rules: string[] = [];
    if (workspaceBypass || this.flags.emergencyBypass) {
      rules.push(BUILTIN_RULES.emergencyBypass);
      return emptyPlan(action, [], true, rules);
    }
    const info = this.#actions.get(action);
    if (!info) {
      rules.push(action.startsWith(TOOL_ACTION_PREFIX) ? BUILTIN_RULES.undeclaredTool : BUILTIN_RULES.unknownAction);
      const message = action.startsWith(TOOL_ACTION_PREFIX)
        ? `tool ${action.slice(TOOL_ACTION_PREFIX.length)} is not declared in contract ${this.ref.name}`
        : `action ${action} is not in the catalog and not declared in contract ${this.ref.name}`;
      return emptyPlan(action, [{ ruleId: rules[0]!, message }], false, rules);
    }

    const denials: Reason[] = [];
    const groups = this.#groups.filter((g) => selects(g, subject));

    // Flags: whole families switched off.
    if (info.family === STREAMING_FAMILY) {
      rules.push(BUILTIN_RULES.streaming);
      if (!this.flags.streaming) denials.push({ ruleId: BUILTIN_RULES.streaming, message: 'streaming is switched off for this contract' });
    } else if (info.family === 'canvas' || info.family === 'form') {
      rules.push(BUILTIN_RULES.canvas);
      if (!this.flags.canvas) denials.push({ ruleId: BUILTIN_RULES.canvas, message: 'canvas actions are switched off for this contract' });
    }
    if (action === 'submit_form' && this.flags.formGovernance) {
      rules.push(BUILTIN_RULES.formGovernance);
      if (!info.declaredInputSchema) {
        denials.push({
          ruleId: BUILTIN_RULES.formGovernance,
          message: 'form governance is on and submit_form has no declared input schema to check submissions against',
        });
      }
    }

    // Explicit deny rules.
    for (const group of groups) {
      for (const { rule, actions } of group.deny) {
        if (!actions.has(action)) continue;
        const id = ruleId.deny(group.id, rule.id);
        rules.push(id);
        denials.push({ ruleId: id, message: rule.reason ?? `${action} is denied by rule ${rule.id}` });
      }
    }

    // Tool allow/deny lists.
    if (info.family === 'tool') {
      const tool = action.slice(TOOL_ACTION_PREFIX.length);
      let allowGroup: CompiledGroup | undefined;
      let allowed = false;
      for (const group of groups) {
        if (group.toolDeny) {
          rules.push(ruleId.toolsDeny(group.id));
          if (group.toolDeny.has(tool)) {
            denials.push({ ruleId: ruleId.toolsDeny(group.id), message: `tool ${tool} is on the deny list of ${group.id}` });
          }
        }
        if (group.toolAllow) {
          rules.push(ruleId.toolsAllow(group.id));
          allowGroup ??= group;
          if (group.toolAllow.has(tool)) allowed = true;
        }
      }
      if (allowGroup && !allowed) {
        denials.push({ ruleId: ruleId.toolsAllow(allowGroup.id), message: `tool ${tool} is not on the allow list of ${allowGroup.id}` });
      }
    }

    // Complexity against maturity; a later matching group's override wins.
    let complexity = info.complexity;
    let complexitySource: string = BUILTIN_RULES.maturityGate;
    for (const group of groups) {
      const override = group.complexity.get(action);
      if (override !== undefined) {
        complexity = override;
        complexitySource = ruleId.complexity(group.id, action);
        rules.push(complexitySource);
      }
    }
    rules.push(BUILTIN_RULES.maturityGate);
    if (maturityRank(subject.maturity) < complexity) {
      const needed = MATURITY_LEVELS[complexity - 1];
      denials.push({
        ruleId: BUILTIN_RULES.maturityGate,
        message:
          `${action} has complexity ${complexity}${complexitySource === BUILTIN_RULES.maturityGate ? '' : ` (set by ${complexitySource})`}` +
          ` and needs ${needed} or above; agent ${subject.id} is ${subject.maturity}`,
      });
    }

    const quotas: QuotaCheck[] = [];
    const approvals: ApprovalCheck[] = [];
    let tokenCap: number | undefined;
    for (const group of groups) {
      for (const q of group.quotas) if (!q.actions || q.actions.has(action)) quotas.push(q.check);
      for (const a of group.approvals) if (a.actions.has(action)) approvals.push(a.check);
      if (group.tokenCap !== undefined && info.family === STREAMING_FAMILY) {
        rules.push(ruleId.tokenCap(group.id));
        tokenCap = tokenCap === undefined ? group.tokenCap : Math.min(tokenCap, group.tokenCap);
      }
    }

    const redactions: RedactionObligation[] = [];
    for (const c of this.#classification) {
      if (c.actions && !c.actions.has(action)) continue;
      rules.push(c.ruleId);
      redactions.push(c.redaction);
    }

    const outbound: OutboundCheck[] = [];
    for (const o of this.#outbound) {
      if (o.actions && !o.actions.has(action)) continue;
      const fields = this.#classification
        .filter((c) => c.target === 'output' && o.classes.includes(c.dataClass) && (!c.actions || c.actions.has(action)))
        .map((c) => ({ path: c.path, pointer: compilePointer(c.path), dataClass: c.dataClass }));
      const detectors = o.classes
        .filter((cls) => TEXT_DETECTORS[cls] !== undefined)
        .map((cls) => ({ dataClass: cls, detect: TEXT_DETECTORS[cls]! }));
      outbound.push({ ruleId: o.ruleId, effect: o.effect, reason: o.reason, classes: o.classes, fields, detectors });
    }

    return withFixedVerdict({
      action,
      denials,
      bypass: false,
      staticRules: rules,
      input: info.input,
      output: info.output,
      outbound,
      quotas,
      approvals,
      redactions,
      tokenCap,
      fixed: null,
    });
  }
}

function emptyPlan(action: string, denials: readonly Reason[], bypass: boolean, rules: readonly string[]): DecisionPlan {
  return withFixedVerdict({
    action,
    denials,
    bypass,
    staticRules: rules,
    input: null,
    output: null,
    outbound: [],
    quotas: [],
    approvals: [],
    redactions: [],
    tokenCap: undefined,
    fixed: null,
  });
}

function selects(group: CompiledGroup, subject: Subject): boolean {
  return (
    (group.agents === null || group.agents.has(subject.id)) &&
    (group.roles === null || group.roles.has(subject.role)) &&
    (group.maturity === null || group.maturity.has(subject.maturity))
  );
}

function compileActions(
  contract: AgentContract,
  catalog: ActionCatalog,
  compileSchema: SchemaCompiler,
): ReadonlyMap<string, ActionInfo> {
  const spec = contract.spec;
  const actions = new Map<string, ActionInfo>();
  const check = (schema: JsonSchema | undefined, id: string): SchemaCheck | null =>
    schema === undefined ? null : { ruleId: id, validate: compileSchema(schema, id) };

  for (const [name, base] of catalog.actions) {
    const declared = spec.actions?.[name];
    actions.set(name, {
      name,
      complexity: declared?.complexity ?? base.complexity,
      family: base.family,
      input: check(declared?.input, ruleId.actionInput(name)),
      output: check(declared?.output, ruleId.actionOutput(name)),
      declaredInputSchema: declared?.input !== undefined,
    });
  }
  for (const [name, declared] of Object.entries(spec.actions ?? {})) {
    if (actions.has(name)) continue;
    if (declared.complexity === undefined) {
      throw new CharterError('invalid_contract', `action ${name} is not in the catalog and declares no complexity`);
    }
    actions.set(name, {
      name,
      complexity: declared.complexity,
      family: 'custom',
      input: check(declared.input, ruleId.actionInput(name)),
      output: check(declared.output, ruleId.actionOutput(name)),
      declaredInputSchema: declared.input !== undefined,
    });
  }
  for (const [tool, declared] of Object.entries(spec.tools ?? {})) {
    const name = `${TOOL_ACTION_PREFIX}${tool}`;
    actions.set(name, {
      name,
      complexity: declared.complexity,
      family: 'tool',
      input: check(declared.arguments, ruleId.toolArguments(tool)),
      output: check(declared.output, ruleId.toolOutput(tool)),
      declaredInputSchema: declared.arguments !== undefined,
    });
  }
  return actions;
}

function compileGroup(group: RuleGroup): CompiledGroup {
  const subjects = group.subjects;
  return {
    id: group.id,
    agents: subjects?.agents ? new Set(subjects.agents) : null,
    roles: subjects?.roles ? new Set(subjects.roles) : null,
    maturity: subjects?.maturity ? new Set(subjects.maturity) : null,
    complexity: new Map(Object.entries(group.complexity ?? {})),
    toolAllow: group.tools?.allow ? new Set(group.tools.allow) : null,
    toolDeny: group.tools?.deny ? new Set(group.tools.deny) : null,
    deny: (group.deny ?? []).map((rule) => ({ rule, actions: new Set(rule.actions) })),
    quotas: (group.quotas ?? []).map((q) => ({ check: compileQuota(group.id, q), actions: q.actions ? new Set(q.actions) : null })),
    approvals: (group.approvals ?? []).map((a) => ({ check: compileApproval(group.id, a), actions: new Set(a.actions) })),
    tokenCap: group.tokenCap,
  };
}

function compileQuota(groupId: string, quota: QuotaRule): QuotaCheck {
  const windowMs = parseWindow(quota.window);
  if (windowMs === undefined) {
    throw new CharterError('invalid_contract', `quota ${quota.id} has an invalid window ${JSON.stringify(quota.window)}`);
  }
  return { ruleId: ruleId.quota(groupId, quota.id), metric: quota.metric, limit: quota.limit, window: quota.window, windowMs };
}

function compileApproval(groupId: string, approval: ApprovalRule): ApprovalCheck {
  return {
    ruleId: ruleId.approval(groupId, approval.id),
    applies: allOf((approval.when ?? []).map(compileCondition)),
    reason: approval.reason ?? `approval rule ${approval.id} requires a human decision`,
  };
}
