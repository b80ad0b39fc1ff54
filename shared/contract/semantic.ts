/**
 * Checks that need more than the schema: names that must refer to something, ids that must be
 * unique, embedded schemas and regular expressions that must compile. Runs on data that already
 * matches the contract schema; returns findings with pointer paths, located by the caller.
 */
import type { ActionCatalog } from '../catalog.ts';
import { TOOL_ACTION_PREFIX } from '../domain.ts';
import type { Finding } from './finding.ts';
import { compileUserSchema } from './json-schema.ts';
import { parsePointer } from './pointer.ts';
import { closest } from './schema-check.ts';
import { BUILTIN_DATA_CLASSES } from './types.ts';
import type { AgentContract, ApprovalRule, Condition, JsonSchema } from './types.ts';

type Path = readonly string[];

const error = (code: string, message: string, path: Path, part: 'key' | 'value' = 'value'): Finding => ({ code, severity: 'error', message, path, part });
const warning = (code: string, message: string, path: Path, part: 'key' | 'value' = 'value'): Finding => ({ code, severity: 'warning', message, path, part });

const entries = <T>(record: Readonly<Record<string, T>> | undefined): [string, T][] => Object.entries(record ?? {});

export function checkSemantics(contract: AgentContract, catalog: ActionCatalog): readonly Finding[] {
  const findings: Finding[] = [];
  const spec = contract.spec;
  const tools = new Set(Object.keys(spec.tools ?? {}));
  const actions = new Set<string>([...catalog.actions.keys(), ...Object.keys(spec.actions ?? {}), ...[...tools].map((t) => TOOL_ACTION_PREFIX + t)]);

  const checkActionRef = (name: string, path: Path, part: 'key' | 'value' = 'value'): void => {
    if (actions.has(name)) return;
    if (name.startsWith(TOOL_ACTION_PREFIX)) {
      const tool = name.slice(TOOL_ACTION_PREFIX.length);
      const guess = closest(tool, [...tools]);
      findings.push(error('contract.unknown-action', `\`${name}\` refers to the tool \`${tool}\`, which spec.tools does not declare.${guess ? ` Did you mean \`tool:${guess}\`?` : ''}`, path, part));
      return;
    }
    const guess = closest(name, [...actions]);
    findings.push(
      error(
        'contract.unknown-action',
        `\`${name}\` is not a known action: it is not in the action catalog and not declared in spec.actions.${guess ? ` Did you mean \`${guess}\`?` : ' Declare it under spec.actions with a complexity, or a tool under spec.tools.'}`,
        path,
        part,
      ),
    );
  };
  const checkActionList = (list: readonly string[] | undefined, path: Path): void => {
    (list ?? []).forEach((name, i) => checkActionRef(name, [...path, String(i)]));
  };

  // Actions and tools, and the schemas they embed.
  for (const [name, action] of entries(spec.actions)) {
    const path = ['spec', 'actions', name];
    if (!catalog.actions.has(name) && action.complexity === undefined) {
      findings.push(error('contract.action-needs-complexity', `\`${name}\` is a new action (not in the catalog), so it must state its complexity (1 to 4).`, path, 'key'));
    }
    checkSchemaCompiles(action.input, [...path, 'input'], findings);
    checkSchemaCompiles(action.output, [...path, 'output'], findings);
  }
  for (const [name, tool] of entries(spec.tools)) {
    const path = ['spec', 'tools', name];
    checkSchemaCompiles(tool.arguments, [...path, 'arguments'], findings);
    checkSchemaCompiles(tool.output, [...path, 'output'], findings);
  }

  // Data classes.
  const builtins = new Set<string>(BUILTIN_DATA_CLASSES);
  const declaredClasses = new Map<string, number>();
  (spec.dataClasses ?? []).forEach((dc, i) => {
    const path = ['spec', 'dataClasses', String(i), 'name'];
    if (builtins.has(dc.name)) findings.push(error('contract.duplicate-data-class', `\`${dc.name}\` is a built-in data class; declare only custom classes.`, path));
    else if (declaredClasses.has(dc.name)) findings.push(error('contract.duplicate-data-class', `The data class \`${dc.name}\` is declared twice (first at spec.dataClasses[${declaredClasses.get(dc.name)}]).`, path));
    else declaredClasses.set(dc.name, i);
  });
  const usedClasses = new Set<string>();
  const checkClass = (name: string, path: Path): void => {
    usedClasses.add(name);
    if (builtins.has(name) || declaredClasses.has(name)) return;
    const guess = closest(name, [...builtins, ...declaredClasses.keys()]);
    findings.push(error('contract.unknown-data-class', `\`${name}\` is not a data class: use PII, PHI, PCI or secret, or declare it under spec.dataClasses.${guess ? ` Did you mean \`${guess}\`?` : ''}`, path));
  };

  const classificationIds = new Uniqueness('classification', findings);
  (spec.classification ?? []).forEach((c, i) => {
    const path = ['spec', 'classification', String(i)];
    classificationIds.add(c.id, [...path, 'id']);
    checkPointer(c.path, [...path, 'path'], findings);
    checkActionList(c.actions, [...path, 'actions']);
    checkClass(c.class, [...path, 'class']);
  });

  const outboundIds = new Uniqueness('outbound rule', findings);
  (spec.outbound ?? []).forEach((o, i) => {
    const path = ['spec', 'outbound', String(i)];
    outboundIds.add(o.id, [...path, 'id']);
    o.classes.forEach((c, k) => checkClass(c, [...path, 'classes', String(k)]));
    checkActionList(o.actions, [...path, 'actions']);
  });

  (spec.dataClasses ?? []).forEach((dc, i) => {
    if (!builtins.has(dc.name) && !usedClasses.has(dc.name)) {
      findings.push(warning('contract.unused-data-class', `The data class \`${dc.name}\` is declared but no classification or outbound rule uses it.`, ['spec', 'dataClasses', String(i), 'name']));
    }
  });

  // Rule groups.
  const groupIds = new Uniqueness('rule group', findings);
  (spec.rules ?? []).forEach((group, g) => {
    const path = ['spec', 'rules', String(g)];
    groupIds.add(group.id, [...path, 'id']);
    for (const [name] of entries(group.complexity)) checkActionRef(name, [...path, 'complexity', name], 'key');

    const allow = group.tools?.allow ?? [];
    const deny = group.tools?.deny ?? [];
    const checkTool = (name: string, where: Path): void => {
      if (tools.has(name)) return;
      const guess = closest(name, [...tools]);
      findings.push(error('contract.undeclared-tool', `\`${name}\` is not declared under spec.tools.${guess ? ` Did you mean \`${guess}\`?` : ''}`, where));
    };
    allow.forEach((t, i) => checkTool(t, [...path, 'tools', 'allow', String(i)]));
    deny.forEach((t, i) => {
      checkTool(t, [...path, 'tools', 'deny', String(i)]);
      if (allow.includes(t)) {
        findings.push(error('contract.tool-allowed-and-denied', `The tool \`${t}\` is both allowed and denied in rule group \`${group.id}\`; deny would win, so remove it from one list.`, [...path, 'tools', 'deny', String(i)]));
      }
    });
    if (group.tools?.allow !== undefined && allow.length === 0) {
      findings.push(warning('contract.no-tools-allowed', `\`allow: []\` in rule group \`${group.id}\` lets its subjects call no tool at all.`, [...path, 'tools', 'allow']));
    }

    const denyIds = new Uniqueness(`deny rule in rule group \`${group.id}\``, findings);
    (group.deny ?? []).forEach((d, i) => {
      denyIds.add(d.id, [...path, 'deny', String(i), 'id']);
      checkActionList(d.actions, [...path, 'deny', String(i), 'actions']);
    });
    const quotaIds = new Uniqueness(`quota in rule group \`${group.id}\``, findings);
    (group.quotas ?? []).forEach((q, i) => {
      const qPath = [...path, 'quotas', String(i)];
      quotaIds.add(q.id, [...qPath, 'id']);
      checkActionList(q.actions, [...qPath, 'actions']);
      if (q.limit === 0) findings.push(warning('contract.quota-zero', `The quota \`${q.id}\` has limit 0, so every request it counts is denied.`, [...qPath, 'limit']));
    });
    const approvalIds = new Uniqueness(`approval in rule group \`${group.id}\``, findings);
    (group.approvals ?? []).forEach((a, i) => {
      const aPath = [...path, 'approvals', String(i)];
      approvalIds.add(a.id, [...aPath, 'id']);
      checkActionList(a.actions, [...aPath, 'actions']);
      checkConditions(a, aPath, findings);
    });
  });

  // Loud settings.
  if (spec.flags?.emergencyBypass === true) {
    findings.push(warning('contract.emergency-bypass', 'Emergency bypass is on: every check is skipped and every request is allowed (each one is audited as a bypass). Turn it off as soon as the emergency is over.', ['spec', 'flags', 'emergencyBypass']));
  }
  if (spec.failMode === 'open') {
    findings.push(warning('contract.fail-open', 'failMode is open: when the engine cannot decide, requests are allowed. The default, closed, denies them.', ['spec', 'failMode']));
  }
  return findings;
}

class Uniqueness {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly what: string,
    private readonly findings: Finding[],
  ) {}

  add(id: string, path: Path): void {
    const first = this.seen.get(id);
    if (first === undefined) {
      this.seen.set(id, path.join('/'));
      return;
    }
    this.findings.push(error('contract.duplicate-id', `Another ${this.what} already has the id \`${id}\` (at /${first}); ids must be unique.`, path));
  }
}

function checkPointer(pointer: string, path: Path, findings: Finding[]): void {
  if (parsePointer(pointer) === undefined) {
    findings.push(error('contract.bad-pointer', `\`${pointer}\` is not a JSON pointer: it must be empty or start with \`/\`, and \`~\` must be written \`~0\` (\`~1\` for \`/\`).`, path));
  }
}

/** Why a schema does not compile (null: it does), by its JSON text. */
const verdicts = new Map<string, { readonly message: string; readonly pointer?: string } | null>();
const MAX_VERDICTS = 512;

/** Compiling costs about a millisecond a schema; an editor re-checks the same schemas on every keystroke. */
function compileVerdict(schema: JsonSchema): { readonly message: string; readonly pointer?: string } | null {
  const key = JSON.stringify(schema);
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const compiled = compileUserSchema(schema);
  const verdict = compiled.ok ? null : compiled.pointer === undefined ? { message: compiled.message } : { message: compiled.message, pointer: compiled.pointer };
  if (verdicts.size >= MAX_VERDICTS) verdicts.delete(verdicts.keys().next().value as string);
  verdicts.set(key, verdict);
  return verdict;
}

function checkSchemaCompiles(schema: JsonSchema | undefined, path: Path, findings: Finding[]): void {
  if (schema === undefined) return;
  const compiled = compileVerdict(schema);
  if (compiled === null) return;
  const inner = compiled.pointer ? parsePointer(compiled.pointer) : undefined;
  findings.push(error('contract.bad-json-schema', `The JSON Schema at \`${path.slice(1).join('.')}\` does not compile: ${compiled.message}.`, inner ? [...path, ...inner] : path));
}

function checkConditions(approval: ApprovalRule, path: Path, findings: Finding[]): void {
  (approval.when ?? []).forEach((c: Condition, i) => {
    const cPath = [...path, 'when', String(i)];
    checkPointer(c.path, [...cPath, 'path'], findings);
    const has = Object.hasOwn(c, 'value');
    const valuePath = has ? [...cPath, 'value'] : cPath;
    switch (c.op) {
      case 'in':
        if (!Array.isArray(c.value)) findings.push(error('contract.in-needs-array', `The \`in\` condition needs \`value\` to be a list of the accepted values${has ? '' : ' (it has none)'}.`, valuePath));
        break;
      case 'matches':
        if (typeof c.value !== 'string') {
          findings.push(error('contract.bad-condition', 'The `matches` condition needs `value` to be a regular expression written as text.', valuePath));
          break;
        }
        try {
          new RegExp(c.value, 'u');
        } catch (e) {
          findings.push(error('contract.bad-regex', `The regular expression ${JSON.stringify(c.value)} does not compile: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e)}.`, valuePath));
        }
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        if (typeof c.value !== 'number') {
          findings.push(error('contract.bad-condition', `The \`${c.op}\` condition compares numbers, so \`value\` must be a number${has ? '' : ' (it has none)'}.`, valuePath));
        }
        break;
      case 'eq':
      case 'ne':
        if (!has) findings.push(error('contract.bad-condition', `The \`${c.op}\` condition needs a \`value\` to compare with.`, cPath));
        break;
      case 'exists':
        if (has) findings.push(error('contract.bad-condition', 'The `exists` condition takes no `value`: it holds when the path is present.', valuePath));
        break;
    }
  });
}
