/**
 * The workspace migrations this build knows, in order. An explicit table rather than a
 * directory scan so that a bundler sees every migration as an ordinary import.
 *
 * `source` locates the migration's file for its checksum (see ./migration-checksums.ts), under
 * the resource root so the packaged app (which ships migrations/ beside its bundle) finds it too.
 * Names sort in the order they apply: `NNNN_what_it_does`.
 */
import { pathToFileURL } from 'node:url';
import type { Migration } from 'kysely';
import * as m0001 from '../../../migrations/workbench/0001_initial.ts';
import * as m0002 from '../../../migrations/workbench/0002_keys.ts';
import { resourcePath } from '../resource-root.ts';

export interface WorkbenchMigration {
  readonly name: string;
  readonly migration: Migration;
  readonly source: URL;
}

export const WORKBENCH_MIGRATIONS: readonly WorkbenchMigration[] = [
  { name: '0001_initial', migration: m0001, source: pathToFileURL(resourcePath('migrations', 'workbench', '0001_initial.ts')) },
  { name: '0002_keys', migration: m0002, source: pathToFileURL(resourcePath('migrations', 'workbench', '0002_keys.ts')) },
];
