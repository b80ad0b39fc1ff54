/**
 * Where the files the engine reads at run time live: `policies/` (the action catalog, the
 * default contract) and `migrations/` (read for their checksums).
 *
 * From source (tsx) that is the checkout; in the packaged app it is the app folder
 * (`resources/app.asar`), with the engine bundled into `dist/electron/*.cjs`. Rather than count
 * `../` from a module whose depth the bundler changes, walk up from this module to the first
 * folder holding policies/catalog.yaml. Electron reads inside app.asar through `fs`, so the
 * same walk works packaged.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = join('policies', 'catalog.yaml');

/** The nearest folder at or above `start` holding policies/catalog.yaml, if any. */
export function findResourceRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, MARKER))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let root: string | undefined;

/** The app's resource root; the checkout's root (two folders up from here) when none is found. */
export function resourceRoot(): string {
  if (root === undefined) {
    const here = dirname(fileURLToPath(import.meta.url));
    root = findResourceRoot(here) ?? join(here, '..', '..');
  }
  return root;
}

/** A file under the resource root, e.g. `resourcePath('policies', 'catalog.yaml')`. */
export function resourcePath(...segments: readonly string[]): string {
  return join(resourceRoot(), ...segments);
}
