import { expect, shoot, test } from './fixtures.ts';

test('the contracts screen opens and the token left the address bar', async ({ app }) => {
  expect(new URL(app.url()).searchParams.get('token')).toBeNull();
  await expect(app.getByRole('button', { name: 'New from template' })).toBeVisible();
  await shoot(app, 'contracts-empty');
});
