/**
 * Parses and validates an agent contract: text → one YAML document → schema → semantic checks.
 * Never throws; every diagnostic says where (file:line:column and a JSON pointer) and what.
 */
import type { ActionCatalog } from '../catalog.ts';
import type { Diagnostic } from '../errors.ts';
import type { Finding } from './finding.ts';
import { MAX_DIAGNOSTICS } from './limits.ts';
import { toPointer } from './pointer.ts';
import { checkSchema } from './schema-check.ts';
import { checkSemantics } from './semantic.ts';
import { decodeSource } from './text.ts';
import type { AgentContract } from './types.ts';
import { locate, readYaml } from './yaml-source.ts';
import type { YamlSource } from './yaml-source.ts';

export interface ContractParseOptions {
  /** Shown in every diagnostic's location. */
  readonly file?: string;
  readonly catalog: ActionCatalog;
}

export type ContractParseResult =
  | { readonly ok: true; readonly contract: AgentContract; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function parseContract(source: string | Uint8Array, options: ContractParseOptions): ContractParseResult {
  const file = typeof options?.file === 'string' ? options.file : undefined;
  try {
    return parse(source, options, file);
  } catch (e) {
    // A bug of ours must still reach the user as a located diagnostic, not a stack trace.
    const reason = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      diagnostics: [
        {
          code: 'contract.internal',
          message: `The contract could not be checked because of an internal error (${reason}). Please report it.`,
          severity: 'error',
          location: file === undefined ? { line: 1, column: 1 } : { file, line: 1, column: 1 },
        },
      ],
    };
  }
}

function parse(source: string | Uint8Array, options: ContractParseOptions, file: string | undefined): ContractParseResult {
  const decoded = decodeSource(source, file);
  if (!decoded.ok) return { ok: false, diagnostics: [decoded.diagnostic] };
  const read = readYaml(decoded.text, file);
  if (!read.ok) return { ok: false, diagnostics: read.diagnostics };
  const yaml = read.source;

  const schemaFindings = checkSchema(yaml.value);
  if (schemaFindings.length > 0) return { ok: false, diagnostics: [...located(yaml, schemaFindings), ...yaml.warnings] };

  const contract = yaml.value as AgentContract;
  const semanticFindings = checkSemantics(contract, options.catalog);
  const diagnostics = sorted([...located(yaml, semanticFindings), ...yaml.warnings]).slice(0, MAX_DIAGNOSTICS);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, contract, diagnostics };
}

function located(yaml: YamlSource, findings: readonly Finding[]): Diagnostic[] {
  const diagnostics = findings.map(
    (f): Diagnostic => ({
      code: f.code,
      message: f.message,
      severity: f.severity,
      pointer: toPointer(f.path),
      location: locate(yaml, f.path, f.part),
    }),
  );
  return sorted(diagnostics).slice(0, MAX_DIAGNOSTICS);
}

function sorted(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}
