/**
 * Errors that reach users. Every one says where (file:line:column or a JSON pointer) and what.
 */

export interface SourceLocation {
  readonly file?: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable machine code, e.g. `yaml.syntax`, `schema.required`, `contract.unknown-action`. */
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  /** JSON pointer into the document, when the problem has one. */
  readonly pointer?: string;
  readonly location?: SourceLocation;
}

export function formatLocation(location: SourceLocation | undefined, pointer?: string): string {
  if (location) return `${location.file ?? '<input>'}:${location.line}:${location.column}`;
  return pointer !== undefined ? `${pointer || '/'}` : '<input>';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d.location, d.pointer)}: ${d.severity}: ${d.message} [${d.code}]`;
}

export type CharterErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'invalid_contract'
  | 'store_unavailable'
  | 'migration_refused'
  | 'chain_broken'
  | 'forbidden'
  | 'unauthorized'
  | 'too_large'
  | 'cancelled'
  | 'internal';

/** An error meant for a user: a code, plain words and, when known, diagnostics that locate it. */
export class CharterError extends Error {
  readonly code: CharterErrorCode;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: CharterErrorCode, message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.name = 'CharterError';
    this.code = code;
    this.diagnostics = diagnostics;
  }
}

export function isCharterError(error: unknown): error is CharterError {
  return error instanceof CharterError;
}
