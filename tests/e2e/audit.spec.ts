import { expectAccessible } from './axe.ts';
import { expect, shoot, test } from './fixtures.ts';

test('filter a timeline of generated events and scroll to its start', async ({ workspace, app: page }) => {
  const agents = ['alpha', 'beta', 'gamma'].map((name) => workspace.agents.create({ name, role: 'assistant', maturity: name === 'alpha' ? 'student' : 'supervised' }));
  const actions = ['present_chart', 'stream_chat', 'submit_form'];
  for (let i = 0; i < 600; i++) {
    const agent = agents[i % agents.length]!;
    workspace.governance.decide({ agentId: agent.id, action: actions[Math.floor(i / 3) % actions.length]!, input: { i }, traceId: `trace-${i}` });
  }
  const head = workspace.audit.count();

  await page.getByRole('navigation').getByRole('button', { name: 'Audit' }).click();
  await expect(page.getByTestId('audit-total')).toHaveText(`${head.toLocaleString('en-US')} events`);
  await expectAccessible(page, 'audit (generated)');

  // Filter: alpha (a student) asking for stream_chat → all denied.
  const alpha = agents[0]!;
  await page.getByLabel('Agent').fill(alpha.id);
  await page.getByLabel('Action').fill('stream_chat');
  await page.getByLabel('Outcome').selectOption('deny');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const expected = workspace.audit.query({ agentId: alpha.id, action: 'stream_chat', outcome: 'deny', limit: 1000 }).length;
  expect(expected).toBeGreaterThan(0);
  await expect(page.getByTestId('audit-total')).toHaveText(`${expected} events`);
  const rows = page.getByTestId('timeline').locator('.trow[data-seq]');
  await expect(rows.first()).toContainText('stream_chat');
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain('stream_chat');
    expect(text).toContain('deny');
  }
  await shoot(page, 'audit-filtered');

  // Trace id narrows to exactly one event.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Trace id').fill('trace-42');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByTestId('audit-total')).toHaveText('1 event');

  // Unfiltered, scrolling to the end reaches the first event.
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('audit-total')).toHaveText(`${head.toLocaleString('en-US')} events`);
  await page.getByTestId('timeline-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(page.getByTestId('timeline').locator('.trow[data-seq="1"]')).toBeVisible();
  await shoot(page, 'audit-scrolled-to-start');
});
