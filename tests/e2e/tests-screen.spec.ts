import { saveSuite } from '../../electron/api/suites.ts';
import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

const SUITE = `apiVersion: charter/v1
kind: TestSuite
metadata:
  name: chat-assistant
contract: ./chat-assistant.yaml
agents:
  - { id: tutor, name: Tutor, role: assistant, maturity: intern }
cases:
  - name: the Chat Assistant may present a chart
    request: { action: present_chart, input: { series: [1, 2] } }
    expect: { outcome: allow }
  - name: a student may stream (wrong on purpose)
    request: { action: stream_chat, input: { messages: [{ role: user, content: hi }] } }
    expect: { outcome: allow }
`;

test('run a suite with a failing case and jump from the failure to its line', async ({ workspace, app: page }) => {
  saveSuite(workspace.db.sqlite, workspace.db.kysely, 'chat-assistant', SUITE);
  await page.getByRole('navigation').getByRole('button', { name: 'Tests' }).click();
  await expect(page.getByTestId('suite-editor')).toContainText('wrong on purpose');
  await page.getByRole('button', { name: 'Run suite' }).click();
  await expect(page.getByTestId('test-summary')).toHaveText(/1 passed, 1 failed/);
  const failing = page.locator('tr.fail');
  await expect(failing).toContainText('expected "allow", got "deny"');
  await failing.getByRole('button', { name: /wrong on purpose/ }).click();
  // The cursor lands on the failing case's line (line 12 of the suite).
  await expect(page.getByTestId('suite-editor').locator('.cm-activeLine')).toContainText('a student may stream');
  await expect(page.getByTestId('suite-editor').locator('.cm-lineNumbers .cm-activeLineGutter')).toHaveText('12');
  await shoot(page, 'tests-failing-case');
  await expectAccessible(page, 'tests');
});
