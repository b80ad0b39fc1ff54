/**
 * Small runtime validators for CharterApi arguments. Hand-rolled on purpose: the renderer and
 * the sandboxed preload use them too, and a code-generating validator (Ajv) would need `eval`,
 * which the page's CSP forbids. Each validator knows its TypeScript type (`Infer<V>`), so the
 * operation table declares a shape once and gets both the check and the type.
 */
import type { Diagnostic } from '../errors.ts';
import { CharterError } from '../errors.ts';

export interface Validator<T> {
  /** Appends one diagnostic per problem found at `pointer` (a JSON pointer) or below. */
  readonly check: (value: unknown, pointer: string, problems: Diagnostic[]) => void;
  /** Plain words for what is expected, used in messages. */
  readonly expected: string;
  /** Phantom: carries T for `Infer`. Never set at runtime. */
  readonly __type?: T;
  /** Set by `optional`: the key may be absent from an object. */
  readonly optional?: boolean;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function problem(pointer: string, message: string, code = 'argument.invalid'): Diagnostic {
  return { code, message, severity: 'error', pointer };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export interface StringOptions {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

export function str(options: StringOptions = {}): Validator<string> {
  const max = options.max ?? 1_000_000;
  return {
    expected: 'a string',
    check(value, pointer, problems) {
      if (typeof value !== 'string') {
        problems.push(problem(pointer, `expected a string, got ${describe(value)}`));
        return;
      }
      if (options.min !== undefined && value.length < options.min) {
        problems.push(problem(pointer, options.min === 1 ? 'must not be empty' : `must be at least ${options.min} characters`));
      }
      if (value.length > max) problems.push(problem(pointer, `must be at most ${max} characters`));
      if (options.pattern && !options.pattern.test(value)) {
        problems.push(problem(pointer, `does not match ${options.pattern.source}`));
      }
    },
  };
}

export interface NumberOptions {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export function num(options: NumberOptions = {}): Validator<number> {
  return {
    expected: options.integer ? 'an integer' : 'a number',
    check(value, pointer, problems) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        problems.push(problem(pointer, `expected ${options.integer ? 'an integer' : 'a number'}, got ${describe(value)}`));
        return;
      }
      if (options.integer && !Number.isInteger(value)) problems.push(problem(pointer, 'must be an integer'));
      if (options.min !== undefined && value < options.min) problems.push(problem(pointer, `must be ≥ ${options.min}`));
      if (options.max !== undefined && value > options.max) problems.push(problem(pointer, `must be ≤ ${options.max}`));
    },
  };
}

export function int(options: Omit<NumberOptions, 'integer'> = {}): Validator<number> {
  return num({ ...options, integer: true });
}

export const bool: Validator<boolean> = {
  expected: 'true or false',
  check(value, pointer, problems) {
    if (typeof value !== 'boolean') problems.push(problem(pointer, `expected true or false, got ${describe(value)}`));
  },
};

/** Any JSON value (action input, payloads). Size is bounded by the transport. */
export const json: Validator<unknown> = { expected: 'any JSON value', check() {} };

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  return {
    expected: `one of ${values.join(', ')}`,
    check(value, pointer, problems) {
      if (typeof value !== 'string' || !values.includes(value)) {
        problems.push(problem(pointer, `expected one of ${values.join(', ')}`));
      }
    },
  };
}

export function optional<T>(inner: Validator<T>): Validator<T | undefined> & { readonly optional: true } {
  return {
    expected: inner.expected,
    optional: true,
    check(value, pointer, problems) {
      if (value !== undefined) inner.check(value, pointer, problems);
    },
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return {
    expected: `${inner.expected} or null`,
    check(value, pointer, problems) {
      if (value !== null) inner.check(value, pointer, problems);
    },
  };
}

export function arrayOf<T>(item: Validator<T>, options: { readonly max?: number } = {}): Validator<readonly T[]> {
  const max = options.max ?? 10_000;
  return {
    expected: `a list of ${item.expected}`,
    check(value, pointer, problems) {
      if (!Array.isArray(value)) {
        problems.push(problem(pointer, `expected a list, got ${describe(value)}`));
        return;
      }
      if (value.length > max) {
        problems.push(problem(pointer, `must hold at most ${max} items`));
        return;
      }
      value.forEach((v, i) => item.check(v, `${pointer}/${i}`, problems));
    },
  };
}

type Shape = Readonly<Record<string, Validator<unknown>>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] };
export type ObjectOf<S extends Shape> = Flatten<
  { readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    readonly [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined>;
  }
>;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A plain object with exactly these keys; unknown keys are refused (they are usually typos). */
export function object<S extends Shape>(shape: S): Validator<ObjectOf<S>> & { readonly shape: S } {
  return {
    shape,
    expected: 'an object',
    check(value, pointer, problems) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(problem(pointer, `expected an object, got ${describe(value)}`));
        return;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!Object.prototype.hasOwnProperty.call(shape, key)) {
          problems.push(problem(`${pointer}/${escapePointer(key)}`, `unknown field "${key}"`, 'argument.unknown-field'));
        }
      }
      for (const [key, validator] of Object.entries(shape)) {
        const child = `${pointer}/${escapePointer(key)}`;
        if (record[key] === undefined) {
          if (!validator.optional) problems.push(problem(child, `"${key}" is required (${validator.expected})`, 'argument.required'));
          continue;
        }
        validator.check(record[key], child, problems);
      }
    },
  };
}

/** Checks `value`; on any problem throws `invalid_argument` naming each one by JSON pointer. */
export function assertValid<T>(validator: Validator<T>, value: unknown, what: string): T {
  const problems: Diagnostic[] = [];
  validator.check(value, '', problems);
  if (problems.length > 0) {
    const first = problems[0] as Diagnostic;
    throw new CharterError(
      'invalid_argument',
      `${what}: ${first.pointer || '/'} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      problems,
    );
  }
  return value as T;
}
