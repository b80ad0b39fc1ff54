/**
 * Validates parsed contract data against the published schema and words each failure for
 * people: which field, what is wrong, what is allowed.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { MATURITY_LEVELS } from '../domain.ts';
import { AGENT_CONTRACT_SCHEMA } from './schema.ts';
import { describeAjvError, describeType } from './json-schema.ts';
import type { Finding } from './finding.ts';
import { displayPath, parsePointer } from './pointer.ts';

let validator: ValidateFunction | undefined;

/** The contract schema, compiled once per process. */
function contractValidator(): ValidateFunction {
  validator ??= new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, verbose: true, logger: false }).compile(AGENT_CONTRACT_SCHEMA);
  return validator;
}

/** What a value defined in `$defs/<name>` must look like, in words. */
const SHAPES: Readonly<Record<string, string>> = {
  slug: 'must be a lowercase slug: letters a-z, digits and single hyphens, like `support-assistant`',
  actionName: 'must be an action or tool name: lowercase letters, digits and underscores, like `search_code`',
  actionRef: 'must name an action, like `submit_form`, or a declared tool, like `tool:search_code`',
  dataClass: 'must be a data class name: PII, PHI, PCI, secret, or a declared custom class (letters, digits, `_`, `-`)',
  jsonPointer: 'must be a JSON pointer such as `/card/number` (segments start with `/`; write `~1` for a `/` and `~0` for a `~` inside a name)',
  window: 'must look like 30s, 5m, 1h or 1d',
  complexity: 'must be a whole number from 1 to 4',
  maturity: `must be a maturity level: ${MATURITY_LEVELS.join(', ')}`,
};

/** Which $defs entry the failing keyword sits in: `#/$defs/window/pattern` → `window`. */
function definitionOf(error: ErrorObject): string | undefined {
  const match = /^#\/\$defs\/([^/]+)\/[^/]+$/.exec(error.schemaPath);
  return match?.[1];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The closest of `candidates` to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return 99;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] as number;
}

/** Specific codes for failures that have their own name in docs/contracts.md. */
function codeFor(error: ErrorObject, definition: string | undefined): string {
  if (definition === 'maturity') return 'contract.unknown-maturity';
  if (definition === 'complexity' && (error.keyword === 'minimum' || error.keyword === 'maximum' || error.keyword === 'type')) return 'contract.complexity-range';
  if (definition === 'jsonPointer' && error.keyword === 'pattern') return 'contract.bad-pointer';
  if (definition === 'window' && error.keyword === 'pattern') return 'contract.bad-window';
  switch (error.keyword) {
    case 'additionalProperties':
      return 'schema.unknown-field';
    case 'required':
      return 'schema.required';
    case 'type':
      return 'schema.type';
    case 'enum':
    case 'const':
      return 'schema.enum';
    case 'pattern':
      return 'schema.pattern';
    case 'minItems':
    case 'uniqueItems':
      return 'schema.list';
    case 'minLength':
    case 'maxLength':
      return 'schema.length';
    case 'minimum':
    case 'maximum':
      return 'schema.range';
    default:
      return 'schema.invalid';
  }
}

function findingFor(error: ErrorObject, root: unknown): Finding | undefined {
  // propertyNames reports twice: once for the name's own failure, once for the mapping.
  if (error.keyword === 'propertyNames') return undefined;
  const described = describeAjvError(error);
  const path = parsePointer(error.instancePath) ?? [];
  const definition = definitionOf(error);
  const code = codeFor(error, definition);
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const params = error.params as Record<string, unknown>;

  if (propertyName !== undefined) {
    const shape = definition ? SHAPES[definition] : undefined;
    return {
      code: code === 'schema.pattern' || code === 'schema.length' ? 'schema.bad-name' : code,
      severity: 'error',
      message: `\`${propertyName}\` in \`${displayPath(path, root)}\` ${shape ?? described.words}.`,
      path: [...path, propertyName],
      part: 'key',
    };
  }
  const where = displayPath(path, root);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closest(key, allowed);
      const hint = guess ? ` Did you mean \`${guess}\`?` : allowed.length > 0 ? ` Allowed fields: ${allowed.join(', ')}.` : '';
      return { code, severity: 'error', message: `\`${where}\` has an unknown field \`${key}\`.${hint}`, path: [...path, key], part: 'key' };
    }
    case 'required':
      return { code, severity: 'error', message: `\`${where}\` is missing the required field \`${String(params.missingProperty)}\`.`, path, part: 'value' };
    case 'type':
      return { code, severity: 'error', message: `\`${where}\` must be ${describeType(params.type)}, not ${typeOf(error.data)}.`, path, part: 'value' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      const what = definition === 'maturity' ? 'a maturity level' : 'one of';
      return {
        code,
        severity: 'error',
        message: `\`${where}\` is ${typeOf(error.data)}; it must be ${what}: ${allowed.join(', ')}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
        path,
        part: 'value',
      };
    }
    case 'uniqueItems': {
      const list = error.data as unknown[];
      const repeated = list[Number(params.i)];
      return { code, severity: 'error', message: `\`${where}\` lists ${JSON.stringify(repeated)} more than once.`, path: [...path, String(params.i)], part: 'value' };
    }
    default: {
      const shape = definition ? SHAPES[definition] : undefined;
      const wantsShape = shape !== undefined && ['pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'type'].includes(error.keyword);
      const words = wantsShape ? shape : described.words;
      const shown = error.data !== undefined && typeof error.data !== 'object' ? ` (found ${typeOf(error.data)})` : '';
      return { code, severity: 'error', message: `\`${where}\` ${words}${shown}.`, path, part: 'value' };
    }
  }
}

/** Schema findings for `value`; empty when it matches the contract schema. */
export function checkSchema(value: unknown): readonly Finding[] {
  const validate = contractValidator();
  if (validate(value)) return [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const finding = findingFor(error, value);
    if (!finding) continue;
    const key = `${finding.path.join('/')}|${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}
