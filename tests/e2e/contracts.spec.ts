import { CONTRACT_TEMPLATES } from '../../electron/api/templates.ts';
import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

test('compare two versions side by side and roll back to the older one', async ({ workspace, app: page }) => {
  const v1Source = CONTRACT_TEMPLATES[0]!.source;
  const v2Source = v1Source.replace('tokenCap: 500', 'tokenCap: 250');
  const v1 = workspace.contracts.saveDraft(v1Source, null);
  workspace.contracts.publish(v1.contract, 1);
  workspace.contracts.activate(v1.contract, 1);
  const v2 = workspace.contracts.saveDraft(v2Source, v1.hash);
  workspace.contracts.publish(v2.contract, v2.version);
  workspace.contracts.activate(v2.contract, v2.version);

  await page.reload();
  await page.getByRole('button', { name: /classroom-assistant/ }).click();
  const versions = page.getByTestId('versions');
  await expect(versions).toContainText('v2');
  await versions.getByRole('button', { name: 'Compare…' }).first().click();
  await versions.getByRole('button', { name: 'Compare with v2' }).click();
  const diff = page.getByTestId('diff-view');
  await expect(diff).toBeVisible();
  // Both sides are shown, with the changed line marked on each.
  await expect(diff.locator('.cm-changedLine').first()).toBeVisible();
  await expect(diff).toContainText('tokenCap: 500');
  await expect(diff).toContainText('tokenCap: 250');
  await shoot(page, 'contracts-diff');
  await expectAccessible(page, 'contracts (diff)');

  await versions.getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(page.getByTestId('notice')).toContainText('Rolled back: classroom-assistant v1 is active again');
  expect(workspace.contracts.get('classroom-assistant')?.version).toBe(1);
  await expect(versions.locator('li', { hasText: 'v1' })).toContainText('active');
  await expect(versions.locator('li', { hasText: 'v2' })).toContainText('superseded');
  await shoot(page, 'contracts-rolled-back');
});
