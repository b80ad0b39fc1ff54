/** Turns SQLite constraint failures into CharterErrors a user can read. */
import { CharterError } from '../../../shared/errors.ts';
import type { CharterErrorCode } from '../../../shared/errors.ts';

export type ConstraintKind = 'PRIMARYKEY' | 'UNIQUE' | 'CHECK' | 'FOREIGNKEY' | 'NOTNULL' | 'TRIGGER';

/** The kind of constraint a better-sqlite3 error reports, or undefined for any other error. */
export function constraintKind(error: unknown): ConstraintKind | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT_')) return undefined;
  return code.slice('SQLITE_CONSTRAINT_'.length) as ConstraintKind;
}

export type ConstraintMessage = readonly [CharterErrorCode, string];

/**
 * Runs a write; when it breaks a constraint named in `messages`, throws that CharterError
 * instead of SQLite's. A message may be a function, called only when the constraint fails.
 * Other errors pass through unchanged.
 */
export function withConstraints<T>(write: () => T,
  messages: Partial<Record<ConstraintKind, ConstraintMessage | (() => ConstraintMessage)>>): T {
  try {
    return write();
  } catch (error) {
    const kind = constraintKind(error);
    const entry = kind === undefined ? undefined : messages[kind];
    if (entry) {
      const [code, message] = typeof entry === 'function' ? entry() : entry;
      throw new CharterError(code, message);
    }
    throw error;
  }
}

export function notFound(what: string): CharterError {
  return new CharterError('not_found', `${what} does not exist`);
}

