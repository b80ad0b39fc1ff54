import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENTS_FILE } from '../../shared/bundle/format.ts';
import { bytesSource, readZipEntries } from '../../shared/bundle/zip-reader.ts';
import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

const PASSPHRASE = 'auditors like receipts';

test('export a signed bundle, open it as an auditor, replay an event; a tampered copy is refused', async ({ workspace, app: page }) => {
  const student = workspace.agents.create({ name: 'Trainee', role: 'support', maturity: 'student' });
  const senior = workspace.agents.create({ name: 'Senior', role: 'support', maturity: 'supervised' });
  for (let i = 0; i < 60; i++) {
    workspace.governance.decide({ agentId: (i % 2 ? senior : student).id, action: i % 3 ? 'present_chart' : 'stream_chat', input: { i }, traceId: `trace-${i}` });
  }

  await page.keyboard.press('Alt+6');
  const screen = page.getByTestId('bundles-screen');
  await expect(screen).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('no-key')).toContainText('No signing key yet: create one to export');
  await expect(page.getByTestId('keychain-note')).toContainText('passphrase');
  await shoot(page, 'bundles-no-key');
  await expectAccessible(page, 'bundles (no key)');

  // Over the bridge there is no keychain: the key is sealed with a passphrase.
  await page.getByLabel('Passphrase (at least 8 characters)').fill(PASSPHRASE);
  await page.getByLabel('Type it again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create signing key' }).click();
  await expect(page.getByTestId('key-status')).toContainText('sealed with your passphrase');

  // (A wrong passphrase is refused with a 400, which the fixture counts as a console error; the
  // unit tests cover it.)
  await page.getByLabel(/Passphrase of the signing key/).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Export bundle' }).click();
  const result = page.getByTestId('export-result');
  await expect(result).toContainText('Exported charter-workspace-');
  const fileName = ((await result.locator('strong').innerText()).replace('Exported ', '')).trim();
  const file = join(dirname(workspace.path), 'exports', fileName);
  expect(existsSync(file)).toBe(true);
  const head = workspace.audit.count();
  await expect(result).toContainText('events (#1–#');
  await shoot(page, 'bundles-exported');
  await expectAccessible(page, 'bundles (exported)');

  // The auditor opens the file: verified against the workspace's trusted keys.
  await page.getByTestId('bundle-file').setInputFiles(file);
  const verdict = page.getByTestId('verdict');
  await expect(verdict).toContainText('✓ Verified — signed by');
  await expect(verdict).toContainText('(trusted)');
  await expect(verdict).toContainText(fileName);
  await expect(page.getByTestId('replay-position')).toContainText('Event 1 of');
  await expect(page.getByTestId('inclusion')).toContainText('Included in the signed tree');
  await shoot(page, 'bundles-verified');
  await expectAccessible(page, 'bundles (verified)');

  // Replay: step with the button, then the keyboard; filter to the denials and read a payload.
  await page.getByRole('button', { name: 'Next event' }).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('replay-position')).toContainText('Event 4 of');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('replay-position')).toContainText('Event 3 of');
  await page.getByLabel('Outcome').selectOption('deny');
  await page.getByLabel('Agent').selectOption(student.id);
  await expect(page.getByTestId('replay-position')).toContainText('Event 1 of 10');
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect(page.getByTestId('replay-position')).toContainText('Event 2 of 10');
  const event = page.getByTestId('replay-event');
  await expect(event).toContainText('deny');
  await expect(page.getByTestId('replay-payload')).toContainText('maturity.gate');
  await expect(page.getByTestId('replay-payload')).toContainText('"i": 6');
  await expect(page.getByTestId('inclusion')).toContainText('✓ Included in the signed tree');
  await page.getByTestId('bundle-browse').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot(page, 'bundles-replay');
  await expectAccessible(page, 'bundles (replay)');

  await page.getByRole('tab', { name: 'Manifest' }).click();
  await expect(page.getByTestId('bundle-manifest')).toContainText(EVENTS_FILE);
  await page.getByRole('tab', { name: 'Contracts' }).click();
  await page.getByTestId('bundle-contracts').getByRole('button').first().click();
  await expect(page.getByTestId('bundle-contracts').locator('pre')).toContainText('kind: AgentContract');
  await page.getByRole('tab', { name: 'Report' }).click();
  const report = page.frameLocator('[data-testid="bundle-report"]');
  await expect(report.locator('body')).toContainText('root');
  await page.getByTestId('bundle-browse').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shoot(page, 'bundles-report');

  // A copy with one byte flipped inside events.ndjson is refused, naming the file.
  const bytes = readFileSync(file);
  const entry = (await readZipEntries(bytesSource(bytes))).find((e) => e.name === EVENTS_FILE);
  expect(entry).toBeDefined();
  const at = Math.floor(((entry?.dataStart ?? 0) + (entry?.dataEnd ?? 0)) / 2);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  const tampered = test.info().outputPath('tampered.charter');
  writeFileSync(tampered, bytes);
  await page.getByTestId('bundle-file').setInputFiles(tampered);
  await expect(verdict).toContainText('✗ Refused — tampered file');
  await expect(verdict).toContainText('events.ndjson');
  await expect(verdict).toContainText('tampered.charter');
  await expect(verdict).toContainText('What to do');
  await expect(page.getByTestId('bundle-browse')).toHaveCount(0);
  await shoot(page, 'bundles-refused');
  await expectAccessible(page, 'bundles (refused)');

  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await shoot(page, 'bundles-refused-other-theme');
  await expectAccessible(page, 'bundles (refused, other theme)');
  expect(workspace.audit.count()).toBeGreaterThanOrEqual(head);
});
