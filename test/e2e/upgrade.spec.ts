// A case written by an earlier Trailmark is opened only after main has asked, in a native dialog,
// how to upgrade it (in place, a copy, or not at all) and said what changes. The hosts answer that
// question as they answer every message box: with its first button, "Upgrade in place".
import { join } from 'node:path';
import { writeEarlierCase } from '../support/earlier-case';
import { expect, test } from './fixtures';

test('opening a case of an earlier schema asks first, saying which schema to which, then opens it upgraded', async ({ host, workDir }) => {
  const { page } = host;
  const old = join(workDir, 'earlier.trailmark');
  writeEarlierCase(old, 'Handed over in 2025', 13);
  const asked = (await host.confirmations()).length;

  await host.chooseInDialog([old]);
  await page.getByRole('button', { name: 'Open case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('Handed over in 2025');
  const questions = (await host.confirmations()).slice(asked);
  expect(questions).toHaveLength(1);
  expect(questions[0]).toContain('Upgrade “Handed over in 2025” to open it?');
  expect(questions[0]).toContain(old);
  expect(questions[0]).toMatch(/case schema 13; this version works on schema \d+/);
  expect(questions[0]).toContain('Upgrade a copy…: you choose a new file');

  // The upgrade is a step of the case's custody.
  await page.getByRole('button', { name: 'Evidence' }).click();
  await expect(page.getByTestId('custody-table').locator('tr', { hasText: 'upgrade' })).toContainText('"fromSchema":13');
  await page.getByRole('button', { name: 'Timeline' }).click();
});
