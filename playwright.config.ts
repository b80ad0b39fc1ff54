/**
 * Playwright against `charter web`, in Debian's Chromium (/usr/bin/chromium; never
 * `playwright install`). Each test starts its own bridge over a fresh temporary workspace
 * (tests/e2e/fixtures.ts); global setup builds the renderer when it is missing or stale.
 */
import { defineConfig } from '@playwright/test';

export const config = defineConfig({
  testDir: './tests/e2e',
  outputDir: './test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHARTER_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});

// Playwright resolves its config through the default export.
export default config;
