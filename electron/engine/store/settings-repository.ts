/** Workspace settings: one JSON value per key (default agent, default contract, flags, …). */
import { CharterError } from '../../../shared/errors.ts';
import type { WorkspaceDb } from './database.ts';
import { defineQuery } from './sync.ts';

const settingByKey = defineQuery((db, args: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', args.key));

const putSetting = defineQuery((db, args: { key: string; value: string }) =>
  db.insertInto('settings').values({ key: args.key, value: args.value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))));

const dropSetting = defineQuery((db, args: { key: string }) => db.deleteFrom('settings').where('key', '=', args.key));

/** The setting's value as stored (JSON), or undefined when it was never set. */
export function getSetting<T>(db: WorkspaceDb, key: string): T | undefined {
  const row = settingByKey.first(db.sqlite, { key });
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as T;
  } catch {
    throw new CharterError('internal', `workspace setting "${key}" is not valid JSON; set it again to repair it`);
  }
}

/** Stores `value` as JSON; `undefined` removes the setting. */
export function setSetting(db: WorkspaceDb, key: string, value: unknown): void {
  if (value === undefined) {
    deleteSetting(db, key);
    return;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value) as string | undefined;
  } catch (error) {
    throw new CharterError('invalid_argument', `workspace setting "${key}" cannot be stored as JSON (${(error as Error).message})`);
  }
  if (json === undefined) {
    throw new CharterError('invalid_argument', `workspace setting "${key}" must be a JSON value, got ${typeof value}`);
  }
  putSetting.run(db.sqlite, { key, value: json });
}

export function deleteSetting(db: WorkspaceDb, key: string): void {
  dropSetting.run(db.sqlite, { key });
}
