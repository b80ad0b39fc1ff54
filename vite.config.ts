/**
 * Builds the renderer (renderer/ → dist/renderer). The output is plain static files with
 * relative URLs, so the same build is served by `charter web` and by Electron's charter://
 * protocol, under the same CSP: no inline script, no eval, no remote anything.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export const config = defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Keep every script an external file: the CSP allows script-src 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});

// Vite resolves its config through the default export.
export default config;
