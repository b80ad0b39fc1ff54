/**
 * Reads contract text as one YAML document, with positions: every problem comes back as a
 * located diagnostic, and the parsed document stays available to locate later ones by pointer.
 */
import { Composer, Parser, isAlias, isCollection, isMap, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import type { Diagnostic, SourceLocation } from '../errors.ts';
import { MAX_ALIAS_COUNT, MAX_DIAGNOSTICS, MAX_NESTING } from './limits.ts';
import { findExcessiveNesting } from './nesting.ts';
import { toPointer } from './pointer.ts';
import { LineIndex } from './text.ts';

export interface YamlSource {
  readonly text: string;
  readonly lines: LineIndex;
  readonly document: Document.Parsed;
  /** The document as plain JSON data. */
  readonly value: unknown;
  readonly warnings: readonly Diagnostic[];
}

export type YamlReadResult = { readonly ok: true; readonly source: YamlSource } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const YAML_CODES: Readonly<Partial<Record<YAMLError['code'], string>>> = {
  DUPLICATE_KEY: 'yaml.duplicate-key',
  NON_STRING_KEY: 'yaml.complex-key',
  RESOURCE_EXHAUSTION: 'yaml.too-deep',
  TAB_AS_INDENT: 'yaml.tab-indent',
};

function error(code: string, message: string, location: SourceLocation, pointer?: string): Diagnostic {
  return pointer === undefined
    ? { code, message, severity: 'error', location }
    : { code, message, severity: 'error', pointer, location };
}

function yamlDiagnostic(e: YAMLError, text: string, lines: LineIndex): Diagnostic {
  const [start, end] = e.pos;
  const severity = e.name === 'YAMLWarning' ? 'warning' : 'error';
  let message = e.message.replace(/\s+at line \d+, column \d+:[\s\S]*$/, '');
  if (e.code === 'DUPLICATE_KEY') {
    message = `The key ${JSON.stringify(keyAt(text, start, end))} appears more than once in this mapping; each key may appear only once.`;
  } else if (e.code === 'NON_STRING_KEY') {
    message = 'Keys must be plain text; a list or mapping cannot be a key.';
  } else if (e.code === 'RESOURCE_EXHAUSTION') {
    message = `The document is too deeply nested or too large to read (${message}).`;
  } else if (e.code === 'TAG_RESOLVE_FAILED') {
    message = `${message}; the value is read as plain text.`;
  } else {
    message = `YAML syntax error: ${message}`;
  }
  const code = YAML_CODES[e.code] ?? (severity === 'warning' ? 'yaml.warning' : 'yaml.syntax');
  return { code, message, severity, location: lines.location(start, end) };
}

/** The key written at `start`: up to the `:` that ends it on its line. */
function keyAt(text: string, start: number, end: number): string {
  const line = text.slice(start, Math.max(end, text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start)));
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|.*?)\s*:(?:\s|$)/.exec(line);
  return (match?.[1] ?? line).trim();
}

/** Parses `text` (already decoded and size-checked) as exactly one YAML document. */
export function readYaml(text: string, file: string | undefined): YamlReadResult {
  const lines = new LineIndex(text, file);
  const deep = findExcessiveNesting(text, 2 * MAX_NESTING);
  if (deep !== -1) {
    return {
      ok: false,
      diagnostics: [error('yaml.too-deep', `The document nests more than ${MAX_NESTING} levels deep here; contracts never need that much nesting. Nothing was parsed.`, lines.location(deep))],
    };
  }

  let documents: Document.Parsed[];
  try {
    const composer = new Composer({
      prettyErrors: false,
      stringKeys: true,
      uniqueKeys: true,
      logLevel: 'silent',
    });
    documents = Array.from(composer.compose(new Parser().parse(text), true, text.length));
  } catch (e) {
    return { ok: false, diagnostics: [error('yaml.syntax', `The text could not be read as YAML: ${e instanceof Error ? e.message : String(e)}`, lines.location(0))] };
  }

  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const doc of documents) {
    for (const e of doc.errors) diagnostics.push(yamlDiagnostic(e, text, lines));
    for (const w of doc.warnings) warnings.push(yamlDiagnostic(w, text, lines));
  }
  const extra = documents.slice(1).find((d) => d.contents !== null || d.errors.length > 0);
  if (extra) {
    diagnostics.push(
      error('yaml.multiple-documents', 'A contract file holds one YAML document, but a second one starts here (after `---`). Put each contract in its own file.', lines.location(extra.range[0], lines.lineEnd(extra.range[0]))),
    );
  }
  // After the first syntax error YAML's later errors are mostly its echoes: report the first.
  if (diagnostics.length > 0) return { ok: false, diagnostics: sortAndCap(diagnostics).slice(0, 1) };

  const document = documents[0];
  if (document === undefined || document.contents === null) {
    return { ok: false, diagnostics: [error('source.empty', 'The contract is empty. A contract is a YAML mapping that starts with `apiVersion: charter/v1` and `kind: AgentContract`.', lines.location(0))] };
  }
  const root = document.contents;
  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : 'a single value';
    const [start, end] = root.range;
    return {
      ok: false,
      diagnostics: [error('contract.not-a-mapping', `The document must be a mapping of fields (apiVersion, kind, metadata, spec), but it is ${found}.`, lines.location(start, Math.min(end, lines.lineEnd(start))), '')],
    };
  }

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(reason);
    const alias = firstAlias(document, unresolved?.[1]);
    const where = alias?.range ? lines.location(alias.range[0], alias.range[1]) : lines.location(0);
    let diagnostic: Diagnostic;
    if (unresolved) {
      diagnostic = error('yaml.unknown-alias', `The alias \`*${unresolved[1]}\` has no anchor: write \`&${unresolved[1]}\` on a value above it.`, where);
    } else if (/alias count/i.test(reason)) {
      diagnostic = error('yaml.alias-limit', `YAML aliases here expand to too much data (more than ${MAX_ALIAS_COUNT} copied values): this looks like an alias bomb, so the contract was refused.`, where);
    } else {
      diagnostic = error('yaml.syntax', `The YAML could not be turned into data: ${reason}`, where);
    }
    return { ok: false, diagnostics: [diagnostic] };
  }

  const bad = checkPlainData(value);
  if (bad) {
    const located = locate({ text, lines, document }, bad.path, 'value');
    return { ok: false, diagnostics: [error(bad.code, bad.message, located, toPointer(bad.path))] };
  }
  return { ok: true, source: { text, lines, document, value, warnings: sortAndCap(warnings) } };
}

function sortAndCap(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
  return sorted.slice(0, MAX_DIAGNOSTICS);
}

/** The first alias in the document (named `name`, when given). */
function firstAlias(document: Document.Parsed, name?: string): YamlNode | undefined {
  let found: YamlNode | undefined;
  visit(document, {
    Alias(_key, node) {
      if (name !== undefined && node.source !== name) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

interface DataProblem {
  readonly code: string;
  readonly message: string;
  readonly path: readonly string[];
}

/**
 * Contracts are JSON data: no cycles (an alias inside its own anchor), no nesting deeper than
 * MAX_NESTING, no binary, dates or sets (YAML tags), no infinite numbers. Iterative: no stack.
 */
function checkPlainData(root: unknown): DataProblem | undefined {
  interface Frame {
    readonly value: unknown;
    readonly path: readonly string[];
    readonly ancestors: ReadonlySet<object>;
  }
  const stack: Frame[] = [{ value: root, path: [], ancestors: new Set() }];
  let visited = 0;
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop() as Frame;
    if (++visited > 2_000_000) return { code: 'yaml.too-large', message: 'The document expands to too many values.', path };
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return { code: 'yaml.unsupported-value', message: 'Numbers must be finite: .inf and .nan are not allowed in a contract.', path };
    }
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function' || value === undefined) {
        return { code: 'yaml.unsupported-value', message: 'This value is not plain data (text, number, true/false, null, list or mapping).', path };
      }
      continue;
    }
    if (ancestors.has(value)) {
      return { code: 'yaml.alias-cycle', message: 'An alias here refers to the collection that contains it, which would make the contract infinite.', path };
    }
    if (path.length >= MAX_NESTING) {
      return { code: 'yaml.too-deep', message: `The document nests more than ${MAX_NESTING} levels deep here; contracts never need that much nesting.`, path };
    }
    const isArray = Array.isArray(value);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (!isArray && prototype !== Object.prototype && prototype !== null) {
      return { code: 'yaml.unsupported-value', message: 'This value is not plain data: YAML tags such as !!binary, !!set, !!omap or dates are not allowed in a contract.', path };
    }
    const inner = new Set(ancestors).add(value);
    const entries: [string, unknown][] = isArray ? (value as unknown[]).map((v, i) => [String(i), v]) : Object.entries(value);
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, child] = entries[k] as [string, unknown];
      stack.push({ value: child, path: [...path, key], ancestors: inner });
    }
  }
  return undefined;
}

interface Locatable {
  readonly text: string;
  readonly lines: LineIndex;
  readonly document: Document.Parsed;
}

/**
 * Where the value (or key) at `path` is written. A missing path locates its deepest existing
 * parent; a block collection that is a mapping's value is located by its key, so a location
 * stays on one line instead of covering the whole collection.
 */
export function locate(source: Locatable, path: readonly string[], part: 'key' | 'value'): SourceLocation {
  const { document, lines } = source;
  let node: unknown = document.contents;
  let keyNode: YamlNode | null = null;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string;
    const last = i === path.length - 1;
    let resolved = node;
    for (let hops = 0; isAlias(resolved) && hops < 100; hops++) resolved = resolved.resolve(document);
    let next: unknown;
    let nextKey: YamlNode | null = null;
    if (isMap(resolved)) {
      const pair = resolved.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === segment);
      if (pair) {
        nextKey = (pair.key as YamlNode | null) ?? null;
        next = pair.value ?? null;
        if (last && part === 'key' && nextKey) return spanOf(nextKey, lines);
        if (next === null && nextKey) return spanOf(nextKey, lines);
      }
    } else if (isSeq(resolved) && /^\d+$/.test(segment)) {
      next = resolved.items[Number(segment)];
    }
    if (next === undefined || next === null) break;
    node = next;
    keyNode = nextKey;
  }
  if (isCollection(node) && keyNode && node.range && keyNode.range && lines.position(node.range[0]).line > lines.position(keyNode.range[0]).line) {
    return spanOf(keyNode, lines);
  }
  return spanOf(node as YamlNode | null, lines);
}

function spanOf(node: YamlNode | null, lines: LineIndex): SourceLocation {
  const range = node?.range;
  if (!range) return lines.location(0);
  const [start, end] = range;
  return lines.location(start, Math.min(end, Math.max(lines.lineEnd(start), start + 1)));
}
