/**
 * Redaction of audit payloads before they are stored. Pure: the input is never changed; the
 * parts of the payload along a redacted path are copied, everything else is shared.
 */
import type { RedactionMethod, RedactionObligation } from '../../../shared/domain.ts';
import { CharterError } from '../../../shared/errors.ts';
import { canonicalPayload, sha256Hex } from './digest.ts';

/** One field to redact: a JSON pointer into the payload itself. */
export interface PayloadRedaction {
  readonly path: string;
  readonly method: RedactionMethod;
  readonly dataClass?: string;
}

/**
 * Where a decision obligation's `input`/`output` sit inside an audit payload. By convention the
 * engine's decision payloads carry the request input at `/input` and the output at `/output`.
 */
export interface RedactionRoots {
  readonly input: string;
  readonly output: string;
}

export const DEFAULT_REDACTION_ROOTS: RedactionRoots = { input: '/input', output: '/output' };

/** Turns decision obligations (pointers into input or output) into pointers into the payload. */
export function toPayloadRedactions(
  redactions: readonly (PayloadRedaction | RedactionObligation)[],
  roots: RedactionRoots = DEFAULT_REDACTION_ROOTS,
): readonly PayloadRedaction[] {
  return redactions.map((r) =>
    'target' in r ? { path: roots[r.target] + r.path, method: r.method, dataClass: r.dataClass } : r,
  );
}

/** What a masked value becomes: the data class stays visible, the value does not. */
export function maskFor(dataClass: string | undefined): string {
  return dataClass ? `[masked:${dataClass}]` : '[masked]';
}

/**
 * `sha256:<hex>` of the value's canonical JSON: equal values stay correlatable without being
 * readable. Unkeyed, so a low-entropy value (a 4-digit PIN) can be guessed by trying them all;
 * use `remove` or `mask` for those.
 */
export function hashFor(value: unknown): string {
  return `sha256:${sha256Hex(canonicalPayload(value))}`;
}

/** Marks an array element for removal until the whole pass is done, so indices stay put. */
const REMOVED: unique symbol = Symbol('removed');

export function parsePointer(pointer: string): readonly string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new CharterError('invalid_argument', `redaction path "${pointer}" is not a JSON pointer (it must start with "/")`, [
      { code: 'audit.redaction-pointer', message: 'a JSON pointer starts with "/"', severity: 'error', pointer },
    ]);
  }
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Applies every redaction and returns the redacted payload. Pointers all refer to the payload as
 * given (removing `/items/0` does not shift what `/items/1` means). A pointer that leads nowhere
 * redacts nothing.
 */
export function redact(payload: unknown, redactions: readonly PayloadRedaction[]): unknown {
  let result = payload;
  let removedFromArray = false;
  for (const r of redactions) {
    const tokens = parsePointer(r.path);
    if (tokens.length === 0) {
      result = r.method === 'remove' ? null : replacement(r, result);
      continue;
    }
    result = rewrite(result, tokens, 0, (parent, key) => {
      if (r.method !== 'remove') return replacement(r, (parent as Record<string, unknown>)[key]);
      if (Array.isArray(parent)) removedFromArray = true;
      return REMOVED;
    });
  }
  return removedFromArray ? dropRemoved(result) : result;
}

function replacement(r: PayloadRedaction, value: unknown): unknown {
  return r.method === 'hash' ? hashFor(value) : maskFor(r.dataClass);
}

type Rewriter = (parent: object, key: string) => unknown;

/** Copies the containers along `tokens` and replaces (or deletes) the value at its end. */
function rewrite(value: unknown, tokens: readonly string[], i: number, replace: Rewriter): unknown {
  if (value === null || typeof value !== 'object') return value;
  const token = tokens[i] as string;
  if (Array.isArray(value)) {
    if (!/^(0|[1-9][0-9]*)$/.test(token)) return value;
    const index = Number(token);
    if (index >= value.length || value[index] === REMOVED) return value;
    const copy = value.slice();
    copy[index] = i === tokens.length - 1 ? replace(value, token) : rewrite(value[index], tokens, i + 1, replace);
    return copy;
  }
  const record = value as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, token)) return value;
  const copy: Record<string, unknown> = { ...record };
  const next = i === tokens.length - 1 ? replace(record, token) : rewrite(record[token], tokens, i + 1, replace);
  if (next === REMOVED) delete copy[token];
  else copy[token] = next;
  return copy;
}

/** Removes the marked array elements; containers without any keep their identity. */
function dropRemoved(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.filter((v) => v !== REMOVED);
    const mapped = kept.map(dropRemoved);
    return kept.length === value.length && mapped.every((v, i) => v === kept[i]) ? value : mapped;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const next = dropRemoved(v);
    if (next !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = next;
  }
  return out ?? value;
}
