/** A failure a command reports with a specific exit code (usage, input, …). */
import { CharterError, isCharterError } from '../../shared/errors.ts';
import type { Diagnostic } from '../../shared/errors.ts';
import { ExitCode } from './exit-codes.ts';
import type { ExitCodeValue } from './exit-codes.ts';

export class CommandError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export function usageError(message: string): CommandError {
  return new CommandError(ExitCode.usage, message);
}

/** A problem with an input file: unreadable, too large, binary, malformed. */
export function inputError(error: unknown): CommandError | unknown {
  if (isCharterError(error) && (error.code === 'invalid_argument' || error.code === 'too_large')) {
    return new CommandError(ExitCode.input, error.message, error.diagnostics);
  }
  return error;
}

export function isCommandError(error: unknown): error is CommandError {
  return error instanceof CommandError;
}

export { CharterError };
