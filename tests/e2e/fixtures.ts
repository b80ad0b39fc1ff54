/**
 * One fresh workspace and one `charter web` bridge per test, started in-process on 127.0.0.1
 * with a random port and token. `app` opens the printed URL and waits for the Contracts screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startWeb } from '../../electron/bridge/run-web.ts';
import type { RunningWeb } from '../../electron/bridge/run-web.ts';
import { openWorkspace } from '../../electron/engine/workspace.ts';
import type { Workspace } from '../../electron/engine/workspace.ts';

export interface CharterFixtures {
  readonly workspace: Workspace;
  readonly web: RunningWeb;
  readonly app: Page;
}

export const test = base.extend<CharterFixtures>({
  workspace: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-e2e-'));
    const workspace = await openWorkspace(join(dir, 'workspace.db'), { actor: 'e2e' });
    await use(workspace);
    await workspace.close();
    rmSync(dir, { recursive: true, force: true });
  },
  web: async ({ workspace }, use) => {
    const web = await startWeb({ engine: workspace, workspacePath: workspace.path });
    await use(web);
    await web.close();
  },
  app: async ({ page, web }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.bridge.url);
    await expect(page.getByTestId('contracts-screen')).toHaveAttribute('data-ready', 'true');
    await use(page);
    // CSP violations and uncaught errors show up as console errors: none are acceptable.
    expect(problems, 'console errors in the page').toEqual([]);
  },
});

export { expect };

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: false });
}
