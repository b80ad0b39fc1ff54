/** JSON pointers (RFC 6901) and the dotted paths diagnostics show people. */

/** `['rules', '0', 'a/b']` → `/rules/0/a~1b`. */
export function toPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  return out;
}

/** The segments of a well-formed pointer, or undefined when it is malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/') || /~(?![01])/.test(pointer)) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function isJsonPointer(value: string): boolean {
  return parsePointer(value) !== undefined;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A pointer shown the way people read paths: `/spec/rules/0/quotas/1/window` →
 * `spec.rules[0].quotas[1].window`. `root` tells which segments index arrays.
 */
export function displayPath(segments: readonly string[], root: unknown): string {
  let out = '';
  let node: unknown = root;
  for (const s of segments) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(s)) {
      out += `[${s}]`;
      node = node[Number(s)];
      continue;
    }
    out += PLAIN_KEY.test(s) ? (out === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    node = node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, s)
      ? (node as Record<string, unknown>)[s]
      : undefined;
  }
  return out === '' ? 'the document' : out;
}
