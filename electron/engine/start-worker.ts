/**
 * Starts an engine worker thread from its entry module. Built code (dist/electron) loads the
 * compiled entry directly. Run from TypeScript sources (tests, the CLI under tsx) the worker must
 * load .ts files too, and `--import tsx` in a worker's execArgv does not reach the worker's own
 * loader on Node 20, so the worker starts as a small script importing its entry through tsx's
 * `tsImport`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * `sourceName` is the entry beside the caller in the sources (`./verify-worker.ts`),
 * `builtName` the one beside the built bundle (`./bundle-verify-worker.js`).
 */
export function workerEntry(callerUrl: string, sourceName: string, builtName: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? sourceName : builtName, callerUrl);
}

export function startEngineWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']?.import.default ?? '')).href;
  const script = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(script, { eval: true, workerData });
}
