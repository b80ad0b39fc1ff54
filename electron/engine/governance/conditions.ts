/** Approval conditions compiled into predicates over a request's input. */
import type { Condition } from '../../../shared/contract/types.ts';
import { compilePointer, MISSING, readPointer } from './pointer.ts';

export type Predicate = (input: unknown) => boolean;

export function compileCondition(condition: Condition): Predicate {
  const pointer = compilePointer(condition.path);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return (input) => readPointer(input, pointer) !== MISSING;
    case 'eq':
      return (input) => sameValue(readPointer(input, pointer), expected);
    case 'ne':
      return (input) => {
        const actual = readPointer(input, pointer);
        return actual !== MISSING && !sameValue(actual, expected);
      };
    case 'gt':
      return numeric(pointer, expected, (a, b) => a > b);
    case 'gte':
      return numeric(pointer, expected, (a, b) => a >= b);
    case 'lt':
      return numeric(pointer, expected, (a, b) => a < b);
    case 'lte':
      return numeric(pointer, expected, (a, b) => a <= b);
    case 'in': {
      const options = Array.isArray(expected) ? expected : [];
      return (input) => {
        const actual = readPointer(input, pointer);
        return actual !== MISSING && options.some((option) => sameValue(actual, option));
      };
    }
    case 'matches': {
      const pattern = new RegExp(String(expected), 'u');
      return (input) => {
        const actual = readPointer(input, pointer);
        return typeof actual === 'string' && pattern.test(actual);
      };
    }
  }
}

export function allOf(predicates: readonly Predicate[]): Predicate {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0]!;
  return (input) => predicates.every((p) => p(input));
}

function numeric(pointer: readonly string[], expected: unknown, compare: (a: number, b: number) => boolean): Predicate {
  const bound = Number(expected);
  return (input) => {
    const actual = readPointer(input, pointer);
    return typeof actual === 'number' && compare(actual, bound);
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
