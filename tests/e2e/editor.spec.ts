import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

test('the editor completes action names and explains keys on hover, in both themes', async ({ app: page }) => {
  await page.getByRole('button', { name: /chat-assistant/ }).click();
  const editor = page.getByTestId('contract-editor');
  await expect(editor.locator('.cm-content')).toContainText('name: chat-assistant');

  // Hover docs for a key.
  await editor.locator('.cm-line', { hasText: 'failMode:' }).getByText('failMode').hover();
  await expect(page.locator('.cm-doc-tooltip')).toContainText('deny when the engine cannot decide');

  // Completion of an action name in a value position.
  await editor.locator('.cm-line', { hasText: 'failMode:' }).click();
  await page.keyboard.press('End');
  await page.keyboard.type(' # stream_');
  const completions = page.locator('.cm-tooltip-autocomplete');
  await expect(completions).toContainText('stream_chat');
  await shoot(page, 'editor-completion');
  await page.keyboard.press('Escape');

  // Undo takes the typing back; redo brings it again.
  await page.keyboard.press('Control+z');
  await expect(editor.locator('.cm-line', { hasText: 'failMode:' })).toHaveText('  failMode: closed');
  await page.keyboard.press('Control+y');
  await expect(editor.locator('.cm-line', { hasText: 'failMode:' })).toHaveText('  failMode: closed # stream_');

  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await shoot(page, 'editor-dark');
  await expectAccessible(page, 'contracts (dark editor)');
});
