/**
 * Reads a YAML document with positions: every problem becomes a Diagnostic located at
 * `file:line:column`, with a JSON pointer. Small typed accessors keep format parsers short.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { findExcessiveNesting } from '../../../shared/contract/nesting.ts';
import type { Diagnostic, SourceLocation } from '../../../shared/errors.ts';

/** Deeper documents are refused: no legitimate suite or scenario nests this far. */
export const MAX_DEPTH = 64;
/** Stop collecting after this many problems; the rest are usually consequences. */
const MAX_DIAGNOSTICS = 50;

export class YamlReader {
  readonly diagnostics: Diagnostic[] = [];
  readonly root: Node | null;
  private readonly lineCounter: LineCounter;
  private readonly document: Document.Parsed | null;

  constructor(
    readonly file: string,
    source: string,
  ) {
    this.lineCounter = new LineCounter();
    let document: Document.Parsed | null = null;
    // Absurd nesting costs the parser seconds and its recursive composer the stack: refuse it first.
    const deep = findExcessiveNesting(source, MAX_DEPTH);
    if (deep !== -1) {
      this.lineCounter.addNewLine(0);
      for (let i = source.indexOf('\n'); i !== -1 && i < deep; i = source.indexOf('\n', i + 1)) this.lineCounter.addNewLine(i + 1);
      this.push({ code: 'yaml.too-deep', message: `document nests deeper than ${MAX_DEPTH} levels; nothing was parsed`, severity: 'error', location: this.at(deep) });
      this.document = null;
      this.root = null;
      return;
    }
    try {
      document = parseDocument(source, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: true });
    } catch (error) {
      this.push({ code: 'yaml.syntax', message: `cannot parse YAML: ${(error as Error).message}`, severity: 'error', location: this.at(0) });
    }
    this.document = document;
    for (const problem of document?.errors ?? []) {
      this.push({ code: 'yaml.syntax', message: firstLine(problem.message), severity: 'error', location: this.at(problem.pos[0]) });
    }
    const root = document && document.errors.length === 0 ? (document.contents as Node | null) : null;
    this.root = root && this.depthOk(root) ? root : null;
  }

  get ok(): boolean {
    return !this.diagnostics.some((d) => d.severity === 'error');
  }

  at(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  locate(node: Node | null | undefined, fallback?: Node | null): SourceLocation {
    const range = node?.range ?? fallback?.range;
    return this.at(range ? range[0] : 0);
  }

  error(node: Node | null | undefined, pointer: string, code: string, message: string): void {
    this.push({ code, message, severity: 'error', pointer, location: this.locate(node) });
  }

  /** The entries of a mapping, or undefined (with a diagnostic) when `node` is not one. */
  map(node: Node | null | undefined, pointer: string, what: string, allowed?: readonly string[]): Map<string, Entry> | undefined {
    if (!isMap(node)) {
      this.error(node, pointer, 'schema.type', `${what} must be a mapping`);
      return undefined;
    }
    const entries = new Map<string, Entry>();
    for (const pair of (node as YAMLMap<unknown, unknown>).items as Pair<Node, Node>[]) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) {
        this.error(keyNode, pointer, 'schema.key', `${what} keys must be plain strings`);
        continue;
      }
      if (allowed && !allowed.includes(key)) {
        const hint = closest(key, allowed);
        this.error(keyNode, `${pointer}/${escapePointer(key)}`, 'schema.unknown-key',
          `unknown key "${key}" in ${what}${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`);
        continue;
      }
      entries.set(key, { key: keyNode, value: pair.value ?? null, pointer: `${pointer}/${escapePointer(key)}` });
    }
    return entries;
  }

  require(entries: Map<string, Entry>, key: string, owner: Node | null | undefined, pointer: string, what: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) this.error(owner, pointer, 'schema.required', `${what} is missing required key "${key}"`);
    return entry;
  }

  seq(entry: Entry, what: string): Entry[] | undefined {
    if (!isSeq(entry.value)) {
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.type', `${what} must be a list`);
      return undefined;
    }
    return (entry.value.items as (Node | null)[]).map((value, i) => ({ key: value, value, pointer: `${entry.pointer}/${i}` }));
  }

  string(entry: Entry, what: string, pattern?: RegExp, patternHint?: string): string | undefined {
    const value = this.scalar(entry);
    if (typeof value !== 'string' || value.length === 0) {
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.type', `${what} must be a non-empty string`);
      return undefined;
    }
    if (pattern && !pattern.test(value)) {
      this.error(entry.value, entry.pointer, 'schema.pattern', `${what} "${value}" is not valid${patternHint ? `: ${patternHint}` : ''}`);
      return undefined;
    }
    return value;
  }

  /** A JSON pointer: "" (the whole value) or "/a/b". */
  pointer(entry: Entry, what: string): string | undefined {
    const value = this.scalar(entry);
    if (typeof value !== 'string' || (value !== '' && !value.startsWith('/'))) {
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.pattern', `${what} must be a JSON pointer such as /customer/email, or "" for free text (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }

  isNull(entry: Entry): boolean {
    return entry.value === null || (isScalar(entry.value) && entry.value.value === null);
  }

  /** A string or an explicit null. */
  nullableString(entry: Entry, what: string): string | null | undefined {
    return this.isNull(entry) ? null : this.string(entry, what);
  }

  oneOf<T extends string>(entry: Entry, what: string, values: readonly T[]): T | undefined {
    const value = this.scalar(entry);
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.enum', `${what} must be one of ${values.join(', ')} (got ${describe(value)})`);
      return undefined;
    }
    return value as T;
  }

  number(entry: Entry, what: string, options: { integer?: boolean; min?: number } = {}): number | undefined {
    const value = this.scalar(entry);
    const bad =
      typeof value !== 'number' || !Number.isFinite(value) ||
      (options.integer && !Number.isInteger(value)) ||
      (options.min !== undefined && value < options.min);
    if (bad) {
      const kind = options.integer ? 'an integer' : 'a number';
      const bound = options.min !== undefined ? ` ≥ ${options.min}` : '';
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.type', `${what} must be ${kind}${bound} (got ${describe(value)})`);
      return undefined;
    }
    return value as number;
  }

  boolean(entry: Entry, what: string): boolean | undefined {
    const value = this.scalar(entry);
    if (typeof value !== 'boolean') {
      this.error(entry.value ?? entry.key, entry.pointer, 'schema.type', `${what} must be true or false (got ${describe(value)})`);
      return undefined;
    }
    return value;
  }

  /** Any YAML value as plain data (JSON-compatible). */
  data(entry: Entry): unknown {
    if (!entry.value || !this.document) return null;
    return entry.value.toJS(this.document, { maxAliasCount: 100 }) as unknown;
  }

  private scalar(entry: Entry): unknown {
    if (!isScalar(entry.value)) return entry.value === null ? null : Symbol.for('collection');
    return entry.value.value;
  }

  private depthOk(root: Node): boolean {
    const stack: [unknown, number][] = [[root, 1]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (depth > MAX_DEPTH) {
        this.push({ code: 'yaml.too-deep', message: `document nests deeper than ${MAX_DEPTH} levels`, severity: 'error', location: this.locate(node as Node) });
        return false;
      }
      if (isMap(node) || isSeq(node)) {
        for (const item of node.items as unknown[]) {
          if (item && typeof item === 'object' && 'key' in item && 'value' in item) {
            stack.push([(item as Pair).value, depth + 1]);
          } else {
            stack.push([item, depth + 1]);
          }
        }
      }
    }
    return true;
  }

  private push(diagnostic: Diagnostic): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(diagnostic);
  }
}

export interface Entry {
  readonly key: Node | null;
  readonly value: Node | null;
  readonly pointer: string;
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function describe(value: unknown): string {
  if (value === Symbol.for('collection')) return 'a list or mapping';
  if (value === null || value === undefined) return 'nothing';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
