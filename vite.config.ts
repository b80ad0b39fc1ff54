/**
 * Two builds from one config:
 * - default: the renderer (renderer/ → dist/renderer). Plain static files with relative URLs,
 *   served by `charter web` and by Electron's charter:// protocol under the same CSP: no inline
 *   script, no eval, no remote anything.
 * - `--mode electron`: the main process as CommonJS in dist/electron;
 *   `--mode electron-preload`: the sandboxed preload as one self-contained file (it can require
 *   nothing but 'electron');
 *   `--mode electron-worker`: the worker-thread entries as ES modules beside main.cjs, each under
 *   the name its `*-in-worker.ts` module looks for: the audit chain verifier `verify-worker.js`,
 *   the bundle verifier `bundle-verify-worker.js`, exporter `bundle-export-worker.js` and the
 *   threads both start for segments of events.ndjson, `bundle-segment-worker.js` (shared
 *   code goes into `worker-chunk-*.js`).
 *   better-sqlite3 stays external (a native module, rebuilt for Electron by electron-builder).
 */
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const renderer: UserConfig = {
  root: here('./renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Keep every script an external file: the CSP allows script-src 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
};

const electron: UserConfig = {
  build: {
    outDir: here('./dist/electron'),
    emptyOutDir: true,
    target: 'node20',
    ssr: true,
    sourcemap: false,
    minify: false,
    rollupOptions: {
      input: {
        main: here('./electron/main.ts'),
      },
      external: ['electron', 'better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs' },
    },
  },
  ssr: { noExternal: true, external: ['electron', 'better-sqlite3'] },
};

/** The preload alone, as one self-contained file: a sandboxed preload can require only 'electron'. */
const preload: UserConfig = {
  build: {
    outDir: here('./dist/electron'),
    emptyOutDir: false,
    target: 'node20',
    ssr: true,
    minify: false,
    rollupOptions: {
      input: { preload: here('./electron/preload.ts') },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
    },
  },
  ssr: { noExternal: true, external: ['electron'] },
};

const worker: UserConfig = {
  build: {
    outDir: here('./dist/electron'),
    emptyOutDir: false,
    target: 'node20',
    ssr: true,
    minify: false,
    rollupOptions: {
      input: {
        'verify-worker': here('./electron/engine/audit/verify-worker.ts'),
        'bundle-verify-worker': here('./electron/engine/bundles/verify-worker.ts'),
        'bundle-export-worker': here('./electron/engine/bundles/export-worker.ts'),
        'bundle-segment-worker': here('./electron/engine/bundles/segment-worker.ts'),
      },
      external: ['better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'worker-chunk-[hash].js' },
    },
  },
  ssr: { noExternal: true, external: ['better-sqlite3'] },
};

const MODES: Readonly<Record<string, UserConfig>> = { electron, 'electron-preload': preload, 'electron-worker': worker };

export const config = defineConfig(({ mode }) => MODES[mode] ?? renderer);

// Vite resolves its config through the default export.
export default config;
