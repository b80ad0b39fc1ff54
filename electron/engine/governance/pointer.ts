/** JSON pointers (RFC 6901), compiled once into a token list. */

export type CompiledPointer = readonly string[];

export function compilePointer(pointer: string): CompiledPointer {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;
export { MISSING };

export function readPointer(value: unknown, pointer: CompiledPointer): unknown | Missing {
  let current: unknown = value;
  for (const token of pointer) {
    if (current === null || typeof current !== 'object') return MISSING;
    if (Array.isArray(current)) {
      const index = Number(token);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return MISSING;
      current = current[index];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return MISSING;
      current = (current as Record<string, unknown>)[token];
    }
  }
  return current;
}
