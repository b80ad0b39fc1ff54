/**
 * Parses and validates an agent contract. (Placeholder signature; the contract module fills it.)
 */
import type { ActionCatalog } from '../catalog.ts';
import type { Diagnostic } from '../errors.ts';
import type { AgentContract } from './types.ts';

export interface ContractParseOptions {
  /** Shown in every diagnostic's location. */
  readonly file?: string;
  readonly catalog: ActionCatalog;
}

export type ContractParseResult =
  | { readonly ok: true; readonly contract: AgentContract; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function parseContract(_source: string | Uint8Array, _options: ContractParseOptions): ContractParseResult {
  throw new Error('not implemented yet');
}
