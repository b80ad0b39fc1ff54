import { readFileSync } from 'node:fs';
import { builtinCatalog } from '../../../electron/engine/catalog.ts';
import type { Diagnostic } from '../../../shared/errors.ts';
import { parseContract } from '../../../shared/contract/parse.ts';
import type { ContractParseResult } from '../../../shared/contract/parse.ts';

export const FIXTURES = new URL('../../fixtures/contracts/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** The realistic contract every mutation test starts from. */
export const GOOD = fixture('support-assistant.yaml');

export function parse(source: string | Uint8Array): ContractParseResult {
  return parseContract(source, { file: 'contract.yaml', catalog: builtinCatalog() });
}

/** `GOOD` with `from` replaced by `to`; fails loudly if `from` is not there. */
export function mutate(from: string, to: string, source: string = GOOD): string {
  if (!source.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return source.replace(from, to);
}

/** line:column (1-based) of the `nth` occurrence of `needle` in `source`, plus `shift` columns. */
export function positionOf(source: string, needle: string, shift = 0, nth = 1): string {
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = source.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${JSON.stringify(needle)} not found ${nth} times`);
  }
  const before = source.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n') + shift;
  return `${line}:${column}`;
}

export function at(d: Diagnostic | undefined): string {
  return d?.location ? `${d.location.line}:${d.location.column}` : 'nowhere';
}

/** The only error of a failed parse (fails the test when there are more, or none). */
export function onlyError(result: ContractParseResult): Diagnostic {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.ok || errors.length !== 1) {
    throw new Error(`expected exactly one error, got ${result.ok ? 'ok' : ''} ${JSON.stringify(result.diagnostics, null, 1)}`);
  }
  return errors[0] as Diagnostic;
}
