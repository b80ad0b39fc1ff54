/**
 * Runs one CharterApi call from an untrusted transport (IPC, HTTP): checks the operation name
 * and the arguments, runs the handler and returns an envelope, never a thrown error, so the
 * error's code and diagnostics survive any transport.
 */
import type { Envelope, OperationHandlers, OperationName } from '../../shared/api.ts';
import { checkArgs, isOperationName, toWireError } from '../../shared/api.ts';
import { CharterError, isCharterError } from '../../shared/errors.ts';

export type Dispatch = (name: unknown, args: unknown) => Promise<Envelope<unknown>>;

export function createDispatch(handlers: OperationHandlers, onInternalError: (name: string, error: unknown) => void = () => {}): Dispatch {
  return async (name, args) => {
    try {
      if (!isOperationName(name)) throw new CharterError('not_found', `There is no operation named "${String(name).slice(0, 80)}".`);
      const checked = checkArgs(name, args);
      const handler = handlers[name] as (args: unknown) => unknown;
      return { ok: true, value: await handler(checked) };
    } catch (error) {
      if (!isCharterError(error)) onInternalError(String(name), error);
      return { ok: false, error: toWireError(error) };
    }
  };
}

export type { OperationName };
