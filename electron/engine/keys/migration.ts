/** The keys migration as a WorkbenchMigration entry (registered in store/workbench-migrations.ts). */
import { pathToFileURL } from 'node:url';
import { resourcePath } from '../resource-root.ts';
import type { WorkbenchMigration } from '../store/workbench-migrations.ts';
import * as m0002 from '../../../migrations/workbench/0002_keys.ts';

export const KEYS_MIGRATION: WorkbenchMigration = {
  name: '0002_keys',
  migration: m0002,
  source: pathToFileURL(resourcePath('migrations', 'workbench', '0002_keys.ts')),
};
