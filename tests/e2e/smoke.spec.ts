import { expect, shoot, test } from './fixtures.ts';

test('the contracts screen opens and the token left the address bar', async ({ app }) => {
  expect(new URL(app.url()).searchParams.get('token')).toBeNull();
  await expect(app.getByRole('button', { name: 'New from template' })).toBeVisible();
  await shoot(app, 'contracts-empty');
});

test('emergency bypass is announced on every screen', async ({ workspace, app: page }) => {
  workspace.settings.setFlag('emergencyBypass', true);
  await page.reload();
  for (const screen of ['Contracts', 'Simulate', 'Tests', 'Audit', 'Dashboard']) {
    await page.getByRole('navigation').getByRole('button', { name: screen }).click();
    await expect(page.getByTestId('bypass-banner'), screen).toBeVisible();
  }
  await shoot(page, 'bypass-banner');
  await page.getByRole('button', { name: 'Turn bypass off' }).click();
  await expect(page.getByTestId('bypass-banner')).toHaveCount(0);
  expect(workspace.settings.flags().emergencyBypass).toBe(false);
});
