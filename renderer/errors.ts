/** Turns any failure into words for the user, with what to do about it. */
import type { CharterErrorCode, Diagnostic } from '../shared/errors.ts';

export interface ShownError {
  readonly message: string;
  readonly hint: string;
  readonly diagnostics: readonly Diagnostic[];
}

const HINTS: Readonly<Record<CharterErrorCode, string>> = {
  invalid_argument: 'Check the highlighted field and try again.',
  not_found: 'It may have been removed or renamed; refresh the list.',
  conflict: 'Someone (or another window) changed it first. Reload the latest version and re-apply your edit.',
  invalid_contract: 'Fix the problems listed under the editor, then try again.',
  store_unavailable: 'Charter cannot reach the workspace. Make sure it is still running, then reload.',
  migration_refused: 'This workspace was made by a newer Charter. Update Charter to open it.',
  chain_broken: 'The audit trail does not verify. Export it and investigate before changing anything.',
  forbidden: 'This action is not allowed here.',
  unauthorized: 'Open the full address Charter printed (with ?token=…) again.',
  too_large: 'Make the input smaller and try again.',
  cancelled: 'You cancelled it; start it again when ready.',
  internal: 'Try again; if it repeats, restart Charter and report what you did.',
};

export function showError(error: unknown): ShownError {
  const e = error as { code?: CharterErrorCode; message?: string; diagnostics?: readonly Diagnostic[] };
  const code = e?.code && e.code in HINTS ? e.code : 'internal';
  return {
    message: typeof e?.message === 'string' && e.code ? e.message : 'Something went wrong.',
    hint: HINTS[code],
    diagnostics: e?.diagnostics ?? [],
  };
}
