import { expect } from 'vitest';
import { CharterError } from '../../../shared/errors.ts';

/** Runs `action`, expects a CharterError and returns it. */
export function charterError(action: () => unknown): CharterError {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CharterError);
  return thrown as CharterError;
}
