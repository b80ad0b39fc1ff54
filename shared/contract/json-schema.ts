/**
 * Ajv, configured once, for the JSON Schemas a contract embeds (action input/output, tool
 * arguments/output). The engine compiles each published contract's schemas once with
 * `compileUserSchema` and words validation failures with `formatAjvError`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { JsonSchema } from './types.ts';

export type { ErrorObject, ValidateFunction };
export type AjvInstance = InstanceType<typeof Ajv2020>;

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (
  ajv: AjvInstance,
) => AjvInstance;

/**
 * A fresh Ajv for user schemas: draft 2020-12, formats, not strict (unknown keywords are
 * annotations), first error only (fast validators), never logging to the console.
 */
export function createAjv(): AjvInstance {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    logger: false,
    // Compiled schemas are not registered by $id: two contracts may reuse an $id.
    addUsedSchema: false,
  });
  addFormats(ajv);
  return ajv;
}

export type UserSchemaCompilation =
  | { readonly ok: true; readonly validate: ValidateFunction }
  /** `pointer` (into the schema itself) is set when a part of the schema is at fault. */
  | { readonly ok: false; readonly message: string; readonly pointer?: string };

let shared: AjvInstance | undefined;

function sharedAjv(): AjvInstance {
  shared ??= createAjv();
  return shared;
}

/** Compiles an embedded schema; never throws. The message says why a schema does not compile. */
export function compileUserSchema(schema: JsonSchema, ajv: AjvInstance = sharedAjv()): UserSchemaCompilation {
  if (typeof schema === 'boolean') {
    try {
      return { ok: true, validate: ajv.compile(schema) };
    } catch (error) {
      return { ok: false, message: errorText(error) };
    }
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return { ok: false, message: 'a JSON Schema must be an object or a boolean' };
  }
  const declared = schema.$schema;
  if (declared !== undefined && declared !== 'https://json-schema.org/draft/2020-12/schema') {
    return {
      ok: false,
      message: `$schema ${JSON.stringify(declared)} is not supported: embedded schemas are JSON Schema draft 2020-12 (omit $schema or use https://json-schema.org/draft/2020-12/schema)`,
    };
  }
  try {
    if (!ajv.validateSchema(schema)) {
      const worst = pickError(ajv.errors ?? []);
      return { ok: false, message: `it is not a valid JSON Schema: ${formatAjvError(worst)}`, pointer: worst.instancePath };
    }
    const validate = ajv.compile(schema);
    return { ok: true, validate };
  } catch (error) {
    return { ok: false, message: errorText(error) };
  } finally {
    // Keep the shared instance from holding every schema ever compiled.
    try {
      ajv.removeSchema(schema);
    } catch {
      // Not registered: nothing to forget.
    }
  }
}

/** Of the errors for a failed anyOf, the most specific one. */
function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const specific = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'type');
  return specific ?? errors[0] ?? { instancePath: '', schemaPath: '', keyword: 'invalid', params: {}, message: 'is invalid' };
}

function errorText(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (raw.startsWith("can't resolve reference")) {
    return `${raw.replace(" from id #", '')}: only references inside the schema itself (#/$defs/...) are supported`;
  }
  if (raw.startsWith('no schema with key or ref')) return `${raw}: embedded schemas cannot refer to other schemas`;
  return raw;
}

export interface DescribedError {
  /** JSON pointer to the offending value (for `required`, the missing field). */
  readonly pointer: string;
  /** A predicate in plain words: `must be at most 1000`. */
  readonly words: string;
}

const ARTICLE: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (object)',
  array: 'a list (array)',
  null: 'null',
};

export function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.map((t) => ARTICLE[String(t)] ?? String(t)).join(' or ');
}

function showValue(value: unknown): string {
  const shown = JSON.stringify(value);
  return shown === undefined ? String(value) : shown;
}

/** The plain-words core shared by `formatAjvError` and the contract's own schema messages. */
export function describeAjvError(error: ErrorObject): DescribedError {
  const p = error.params as Record<string, unknown>;
  const at = error.instancePath;
  const child = (key: unknown): string => `${at}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  const n = (key: string): string => String(p[key]);
  switch (error.keyword) {
    case 'required':
      return { pointer: child(p.missingProperty), words: 'is required' };
    case 'dependentRequired':
    case 'dependencies':
      return { pointer: child(p.missingProperty), words: `is required when ${child(p.property)} is present` };
    case 'additionalProperties':
      return { pointer: child(p.additionalProperty), words: 'is not allowed (unknown field)' };
    case 'unevaluatedProperties':
      return { pointer: child(p.unevaluatedProperty), words: 'is not allowed (unknown field)' };
    case 'propertyNames':
      return { pointer: child(p.propertyName), words: 'is not an allowed field name' };
    case 'type':
      return { pointer: at, words: `must be ${describeType(p.type)}` };
    case 'enum':
      return { pointer: at, words: `must be one of: ${(p.allowedValues as unknown[]).map(showValue).join(', ')}` };
    case 'const':
      return { pointer: at, words: `must be ${showValue(p.allowedValue)}` };
    case 'minLength':
      return { pointer: at, words: `must be at least ${n('limit')} characters long` };
    case 'maxLength':
      return { pointer: at, words: `must be at most ${n('limit')} characters long` };
    case 'minimum':
      return { pointer: at, words: `must be at least ${n('limit')}` };
    case 'maximum':
      return { pointer: at, words: `must be at most ${n('limit')}` };
    case 'exclusiveMinimum':
      return { pointer: at, words: `must be greater than ${n('limit')}` };
    case 'exclusiveMaximum':
      return { pointer: at, words: `must be less than ${n('limit')}` };
    case 'multipleOf':
      return { pointer: at, words: `must be a multiple of ${n('multipleOf')}` };
    case 'pattern':
      return { pointer: at, words: `must match the pattern ${n('pattern')}` };
    case 'format':
      return { pointer: at, words: `must be a valid ${n('format')}` };
    case 'minItems':
      return { pointer: at, words: `must have at least ${n('limit')} item${p.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { pointer: at, words: `must have at most ${n('limit')} item${p.limit === 1 ? '' : 's'}` };
    case 'uniqueItems':
      return { pointer: at, words: `must not repeat an item (items ${n('j')} and ${n('i')} are the same)` };
    case 'minProperties':
      return { pointer: at, words: `must have at least ${n('limit')} field${p.limit === 1 ? '' : 's'}` };
    case 'maxProperties':
      return { pointer: at, words: `must have at most ${n('limit')} field${p.limit === 1 ? '' : 's'}` };
    case 'contains':
      return { pointer: at, words: 'must contain an item that matches the schema' };
    case 'not':
      return { pointer: at, words: 'must not match the excluded schema' };
    case 'anyOf':
      return { pointer: at, words: 'must match at least one of the allowed shapes' };
    case 'oneOf':
      return { pointer: at, words: 'must match exactly one of the allowed shapes' };
    case 'if':
      return { pointer: at, words: `must match the "${n('failingKeyword')}" schema` };
    case 'false schema':
      return { pointer: at, words: 'is not allowed' };
    default:
      return { pointer: at, words: error.message ?? `fails the "${error.keyword}" check` };
  }
}

/** An Ajv error in plain words with its JSON pointer: `/amount must be at most 1000`. */
export function formatAjvError(error: ErrorObject): string {
  const { pointer, words } = describeAjvError(error);
  return `${pointer === '' ? 'the value' : pointer} ${words}`;
}
