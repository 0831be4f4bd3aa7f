// The exposure boundary and unknown figures as the investigator sees them: a download in the very
// second the bucket was closed is marked "at the boundary" in the table, the filter and the detail
// pane, and a CloudTrail-only download's bytes read "unknown" in the Actors and Objects views, never 0.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLogLine, aclChange, BUCKET, getObjectEvent } from '../unit/report/evidence';
import { expect, importIntoNewCase, test } from './fixtures';

const OPEN = Date.parse('2025-03-14T09:12:00Z');
const CLOSE = Date.parse('2025-03-15T16:40:27Z');

test('a download in the same second as the closing change is at the boundary; unknown bytes read unknown', async ({ host, workDir }, testInfo) => {
  const { page } = host;
  const dir = join(workDir, 'edges-evidence');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '111122223333_CloudTrail_eu-west-1_20250314T0912Z.json'), JSON.stringify({ Records: [
    aclChange(OPEN, 'public-read', 'edge-0001'), aclChange(CLOSE, 'private', 'edge-0002'),
    getObjectEvent(OPEN + 3_600_000, 'db/ct-only.sql.gz', 'e001'),
  ] }));
  writeFileSync(join(dir, 'access-2025-03-15.log'), `${[
    { time: OPEN + 2 * 3_600_000, ip: '203.0.113.50', key: 'db/inside.sql.gz', bytes: 5000, size: 5000, ua: 'curl/8.5.0', id: 'EDGE00000001' },
    { time: CLOSE, ip: '203.0.113.50', key: 'db/edge.sql.gz', bytes: 6000, size: 6000, ua: 'curl/8.5.0', id: 'EDGE00000002' },
    { time: CLOSE + 3_600_000, ip: '203.0.113.50', key: 'db/after.sql.gz', bytes: 7000, size: 7000, ua: 'curl/8.5.0', id: 'EDGE00000003' },
  ].map(accessLogLine).join('\n')}\n`);

  const bar = await importIntoNewCase(host, join(workDir, 'edges.trailmark'), dir);
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('[data-download-id]')).toHaveCount(4);

  const edge = page.locator('[data-download-id]', { hasText: 'db/edge.sql.gz' });
  await expect(edge).toHaveClass(/at-boundary/);
  await expect(edge).toContainText('at the boundary of an exposure window');
  await expect(page.locator('[data-download-id]', { hasText: 'db/inside.sql.gz' })).toHaveClass(/exposed/);
  const ctOnly = page.locator('[data-download-id]', { hasText: 'db/ct-only.sql.gz' });
  await expect(ctOnly).toHaveClass(/exposed/);
  await expect(ctOnly).toContainText('unknown');
  await expect(page.locator('[data-download-id].exposed')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('timeline-boundary.png') });

  await page.getByLabel('Exposure').selectOption('boundary');
  await expect(page.locator('[data-download-id]')).toHaveCount(1);
  await expect(page.locator('[data-download-id]')).toContainText('db/edge.sql.gz');
  await page.getByLabel('Exposure').selectOption('inside');
  await expect(page.locator('[data-download-id]')).toHaveCount(2);
  await page.getByLabel('Exposure').selectOption('outside');
  await expect(page.locator('[data-download-id]')).toHaveCount(1);
  await expect(page.locator('[data-download-id]')).toContainText('db/after.sql.gz');
  await page.getByLabel('Exposure').selectOption('any');
  await expect(page.locator('[data-download-id]')).toHaveCount(4);

  await page.locator('[data-download-id]', { hasText: 'db/edge.sql.gz' }).click();
  await expect(page.getByTestId('detail-pane')).toContainText('at the boundary (same second as an opening or closing change)');
  await page.getByRole('button', { name: 'Close detail' }).click();

  await page.getByRole('button', { name: 'Actors' }).click();
  const reader = page.getByTestId('actors-table').locator('tr', { hasText: 'ct-reader' });
  await expect(reader.locator('td').nth(6)).toHaveText('unknown');
  await expect(reader).toContainText('unknown for 1');
  await expect(page.getByTestId('actors-table').locator('tr', { hasText: '203.0.113.50' })).toContainText('+1 at the boundary');
  await page.screenshot({ path: testInfo.outputPath('actors-unknown.png') });
  await page.getByRole('button', { name: 'Objects' }).click();
  const object = page.getByTestId('objects-table').locator('tr', { hasText: `${BUCKET}/db/ct-only.sql.gz` });
  await expect(object.locator('td').nth(2)).toHaveText('unknown');
  await expect(object.locator('td').nth(5)).toHaveText('unknown');
  await page.getByRole('button', { name: 'Timeline', exact: true }).click();
});
