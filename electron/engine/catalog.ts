/** Loads the built-in action catalog from policies/catalog.yaml. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ActionCatalog, ActionFamily, CatalogAction } from '../../shared/catalog.ts';
import { resourcePath } from './resource-root.ts';

export const CATALOG_PATH = resourcePath('policies', 'catalog.yaml');

interface CatalogFile {
  readonly actions: Record<string, { complexity: number; family: ActionFamily; description: string }>;
}

let builtin: ActionCatalog | undefined;

export function builtinCatalog(): ActionCatalog {
  if (!builtin) {
    const file = parse(readFileSync(CATALOG_PATH, 'utf8')) as CatalogFile;
    const actions = new Map<string, CatalogAction>();
    for (const [name, a] of Object.entries(file.actions)) actions.set(name, { name, ...a });
    builtin = { actions };
  }
  return builtin;
}
