import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

test('a new user writes a contract, publishes it, simulates a deny and finds it in a verified audit trail', async ({ app: page }) => {
  // Contracts: start from a template.
  await expectAccessible(page, 'contracts (empty)');
  await page.getByRole('button', { name: 'New from template' }).click();
  await page.getByRole('button', { name: /Classroom assistant/ }).click();
  const editor = page.getByTestId('contract-editor');
  await expect(editor.locator('.cm-content')).toContainText('name: classroom-assistant');

  // Type an error on line 7 and see the diagnostic placed there.
  await editor.locator('.cm-line', { hasText: 'failMode: closed' }).getByText('closed').dblclick();
  await page.keyboard.type('sometimes');
  const problems = page.getByTestId('diagnostics');
  await expect(problems).toContainText('Line 7');
  await expect(editor.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(editor.locator('.cm-line').nth(6).locator('.cm-lintRange-error')).toHaveText(/sometimes/);
  await shoot(page, '01-contracts-diagnostic');
  await expectAccessible(page, 'contracts (editor with a diagnostic)');

  // Fix it: the problem goes away.
  await editor.locator('.cm-line', { hasText: 'failMode: sometimes' }).getByText('sometimes').dblclick();
  await page.keyboard.type('closed');
  await expect(problems).toHaveCount(0);
  await expect(page.getByText('Valid', { exact: true })).toBeVisible();

  // Save (Ctrl+S), publish, activate.
  await editor.locator('.cm-content').press('Control+s');
  await expect(page.getByTestId('notice')).toContainText('Draft saved: classroom-assistant v1');
  await page.getByRole('button', { name: 'Publish v1' }).click();
  await expect(page.getByTestId('notice')).toContainText('Published classroom-assistant v1');
  await page.getByTestId('versions').getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByTestId('notice')).toContainText('v1 is now active');
  await expect(page.getByTestId('versions')).toContainText('active');
  await shoot(page, '02-contracts-published');

  // Simulate: a student governed by this contract asks for stream_chat.
  await page.getByRole('button', { name: 'Simulate', exact: true }).first().click();
  await expect(page.getByTestId('simulate-screen')).toBeVisible();
  await expectAccessible(page, 'simulate (empty)');
  await page.getByText('Create an agent').click();
  await page.getByLabel('Name', { exact: true }).fill('Pupil');
  await page.getByLabel('Maturity').selectOption('student');
  await page.getByLabel('Governed by').selectOption('classroom-assistant');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await expect(page.getByTestId('notice')).toContainText('Agent Pupil (student) created');
  await page.getByLabel('Action').fill('stream_chat');
  await page.getByLabel('Input (JSON)').press('Control+Enter');
  await expect(page.getByTestId('outcome')).toHaveText('DENY');
  await expect(page.getByTestId('reasons')).toContainText(/student/i);
  await shoot(page, '03-simulate-deny');
  await expectAccessible(page, 'simulate (decision)');

  // Audit: the decision is in the timeline; open it; verify the chain.
  await page.getByRole('navigation').getByRole('button', { name: 'Audit' }).click();
  const row = page.getByTestId('timeline').locator('.trow', { hasText: 'stream_chat' }).first();
  await expect(row).toContainText('deny');
  await row.click();
  await expect(page.getByTestId('audit-drawer')).toContainText('stream_chat');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Chain verified');
  await shoot(page, '04-audit-verified');
  await expectAccessible(page, 'audit');

  // Dashboard shows the decision.
  await page.getByRole('navigation').getByRole('button', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('dashboard-screen')).toContainText('1 decisions');
  await shoot(page, '05-dashboard');
  await expectAccessible(page, 'dashboard');

  // Dark theme, same screen.
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await shoot(page, '06-dashboard-dark');
  await expectAccessible(page, 'dashboard (dark)');
});
