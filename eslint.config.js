import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', 'playwright-report/', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['electron/cli/**', 'bin/**', 'tests/**', 'server/main.ts', 'electron/bridge/**', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['electron/engine/**', 'shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/main, preload and ipc may import electron.' },
                { name: 'react', message: 'The engine and shared/ import no React.' }],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['node:*', 'fs', 'path', 'child_process', 'better-sqlite3', 'kysely', 'electron', 'worker_threads', 'crypto'],
                     message: 'The renderer runs in a sandboxed page: it talks only to window.charter.' }],
      }],
    },
  },
);
