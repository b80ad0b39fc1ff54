/** The `charter` exit codes; docs/cli.md lists them. 0 only on success. */
import type { CharterErrorCode } from '../../shared/errors.ts';

export const ExitCode = {
  ok: 0,
  /** A check failed: test failures, an invalid contract, a broken audit chain. */
  checkFailed: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** An input file is unreadable, too large, binary or malformed. */
  input: 3,
  /** The workspace database cannot be opened, migrated or written. */
  store: 4,
  /** The operation was refused: something named does not exist or conflicts. */
  refused: 5,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
  /** A bug: an unexpected error inside Charter. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(code: CharterErrorCode): ExitCodeValue {
  switch (code) {
    case 'invalid_argument':
      return ExitCode.usage;
    case 'too_large':
      return ExitCode.input;
    case 'invalid_contract':
    case 'chain_broken':
      return ExitCode.checkFailed;
    case 'store_unavailable':
    case 'migration_refused':
      return ExitCode.store;
    case 'not_found':
    case 'conflict':
    case 'forbidden':
    case 'unauthorized':
      return ExitCode.refused;
    case 'cancelled':
      return ExitCode.interrupted;
    case 'internal':
      return ExitCode.internal;
  }
}
