/**
 * A worker entry from the TypeScript sources, bundled with esbuild into one ES module under
 * node_modules/.cache/charter/ — for threads started many times that must start fast: started
 * through tsx, each thread spins up its own loader and transforms every module (~0.2 s per
 * thread here); bundled, it loads one plain file. Packages stay external (resolved from
 * node_modules as usual). Only for entries that do not locate files relative to their own
 * module (resource-root.ts does), and only from the sources: built code never comes here.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface EsbuildOutput {
  readonly outputFiles: readonly { readonly contents: Uint8Array }[];
}

interface Esbuild {
  buildSync(options: Record<string, unknown>): EsbuildOutput;
}

/** node_modules/.cache/charter/ of the sources this file is in (a path, not a URL literal a bundler would follow). */
const CACHE = pathToFileURL(`${join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'charter')}/`);
const bundled = new Map<string, URL>();

/** The bundle of `entry` (a .ts file URL), made once per process; its name is its content's hash. */
export function bundledEntry(entry: URL): URL {
  const known = bundled.get(entry.href);
  if (known) return known;
  // esbuild comes with tsx (which runs the sources); loaded only here, never by built code.
  const esbuild = createRequire(import.meta.url)('esbuild') as Esbuild;
  const output = esbuild.buildSync({
    entryPoints: [fileURLToPath(entry)], bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external',
    write: false, outfile: 'entry.mjs', logLevel: 'error',
  });
  const contents = (output.outputFiles[0] as { contents: Uint8Array }).contents;
  const name = `${basename(entry.pathname, '.ts')}-${createHash('sha256').update(contents).digest('hex').slice(0, 16)}.mjs`;
  const file = new URL(name, CACHE);
  if (!existsSync(file)) {
    // Written beside and renamed: another process may be starting the same threads.
    mkdirSync(CACHE, { recursive: true });
    const partial = new URL(`${name}.${process.pid}.partial`, CACHE);
    writeFileSync(partial, contents);
    renameSync(partial, file);
  }
  const url = pathToFileURL(fileURLToPath(file));
  bundled.set(entry.href, url);
  return url;
}
