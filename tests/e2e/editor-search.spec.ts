import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

test('Ctrl+F finds and replaces in the contract editor; replacing is one undo step', async ({ app: page }) => {
  await page.getByRole('button', { name: /chat-assistant/ }).click();
  const editor = page.getByTestId('contract-editor');
  const failMode = editor.locator('.cm-line', { hasText: 'failMode:' });
  await expect(editor.locator('.cm-content')).toContainText('name: chat-assistant');

  await editor.locator('.cm-line', { hasText: 'apiVersion' }).click();
  await page.keyboard.press('Control+f');
  const panel = editor.locator('.cm-search');
  await expect(panel).toBeVisible();
  const find = panel.locator('input[name=search]');
  await expect(find).toBeFocused();
  // Typed, as a person would: the panel takes the query on each key.
  await find.pressSequentially('failMode');
  await page.keyboard.press('Enter');
  await expect(editor.locator('.cm-searchMatch-selected')).toHaveText('failMode');

  await find.fill('');
  await find.pressSequentially('closed');
  await panel.locator('input[name=replace]').pressSequentially('open');
  await panel.getByRole('button', { name: 'replace all' }).click();
  await expect(failMode).toHaveText('  failMode: open');

  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await shoot(page, 'editor-search-dark');
  await expectAccessible(page, 'contracts (search panel, dark)');

  await panel.locator('input[name=search]').focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  // Escape hands focus back to the text, where undo takes the whole replacement back.
  await page.keyboard.press('Control+z');
  await expect(failMode).toHaveText('  failMode: closed');
});

test('brackets match and sections fold from the gutter', async ({ app: page }) => {
  await page.getByRole('button', { name: /chat-assistant/ }).click();
  const editor = page.getByTestId('contract-editor');
  await expect(editor.locator('.cm-content')).toContainText('name: chat-assistant');

  // The cursor just after `[messages` sits before the closing bracket: both brackets light up.
  const required = editor.locator('.cm-line', { hasText: 'required: [messages]' }).first();
  await required.click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await expect(editor.locator('.cm-matchingBracket')).toHaveCount(2);

  // Ctrl+Shift+[ folds the section under the cursor; Ctrl+Shift+] unfolds it.
  const flags = editor.locator('.cm-line', { hasText: /^ {2}flags:$/ });
  await flags.click();
  await page.keyboard.press('Control+Shift+BracketLeft');
  await expect(editor.locator('.cm-line', { hasText: 'emergencyBypass' })).toHaveCount(0);
  await page.keyboard.press('Control+Shift+BracketRight');
  await expect(editor.locator('.cm-line', { hasText: 'emergencyBypass' })).toHaveCount(1);

  // The gutter marker beside `flags:` folds its four lines behind a placeholder; clicking it unfolds.
  const line = await flags.boundingBox();
  const gutter = await editor.locator('.cm-foldGutter').boundingBox();
  if (!line || !gutter) throw new Error('the editor is not laid out');
  await page.mouse.click(gutter.x + gutter.width / 2, line.y + line.height / 2);
  await expect(editor.locator('.cm-line', { hasText: 'emergencyBypass' })).toHaveCount(0);
  await expect(editor.locator('.cm-foldPlaceholder')).toBeVisible();
  await shoot(page, 'editor-folded');
  await editor.locator('.cm-foldPlaceholder').click();
  await expect(editor.locator('.cm-line', { hasText: 'emergencyBypass' })).toHaveCount(1);
});
