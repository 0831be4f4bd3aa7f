// Address context in the app: the timeline's Network column and its Country / ASN filters, and the
// Actors view's line per anonymous address. Evidence: S3 access-log reads from Google's and
// Cloudflare's public resolvers and from an EC2 address in AWS's published ranges, answered from the
// data shipped with Trailmark.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAccessible } from './axe';
import { expect, importIntoNewCase, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
let n = 0;
function read(iso: string, ip: string, key: string): string {
  const d = new Date(iso);
  const p = (x: number) => String(x).padStart(2, '0');
  const stamp = `[${p(d.getUTCDate())}/Mar/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
  const req = `NET${(++n).toString(16).toUpperCase().padStart(13, '0')}`;
  return `${OWNER} leaky ${stamp} ${ip} - ${req} REST.GET.OBJECT ${key} "GET /leaky/${key} HTTP/1.1" 200 - 4096 4096 12 3 "-" `
    + `"curl/8.5.0" - host${req}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader leaky.s3.amazonaws.com TLSv1.2 - -`;
}

const rows = (page: import('@playwright/test').Page) => page.locator('[data-download-id]');

test('the Network column and the Country / ASN filters', async ({ host, workDir }) => {
  const { page } = host;
  const evidence = join(workDir, 'net-evidence');
  mkdirSync(evidence, { recursive: true });
  writeFileSync(join(evidence, '2026-03-01-10-20-00-0A1B2C3D4E5F6A7B'), `${[
    read('2026-03-01T10:00:00Z', '8.8.8.8', 'db/a.sql.gz'),
    read('2026-03-01T10:00:05Z', '8.8.8.8', 'db/b.sql.gz'),
    read('2026-03-01T10:01:00Z', '1.1.1.1', 'db/c.sql.gz'),
    read('2026-03-01T10:02:00Z', '52.95.245.1', 'db/d.sql.gz'),
  ].join('\n')}\n`);
  const bar = await importIntoNewCase(host, join(workDir, 'Networks.trailmark'), evidence);
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(rows(page)).toHaveCount(4);

  await expect(page.getByRole('columnheader', { name: 'Network' })).toBeVisible();
  const cell = (text: string) => rows(page).filter({ hasText: text }).locator('.c-net');
  await expect(cell('db/a.sql.gz')).toHaveText('US · Google LLC');
  await expect(cell('db/c.sql.gz')).toHaveText('AU · Cloudflare, Inc.');
  await expect(cell('db/d.sql.gz')).toHaveText('US · AWS EC2 us-east-1');
  await expect(cell('db/a.sql.gz')).toHaveAttribute('title', 'Google LLC (AS15169, US) · AS15169');

  const country = page.getByLabel('Country', { exact: true });
  await country.fill('au');
  await country.press('Enter');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('1.1.1.1');
  await page.getByRole('button', { name: 'Clear' }).click();
  const asn = page.getByLabel('Network (ASN)', { exact: true });
  await asn.fill('AS15169');
  await asn.press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await expectAccessible(page, 'timeline filtered by network');
  await page.getByRole('button', { name: 'Clear' }).click();
  await country.fill('USA');
  await country.press('Enter');
  await expect(page.getByText('a two-letter country code such as US')).toBeVisible();
  await expect(country).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows(page)).toHaveCount(4);
});

test('Actors: one line per anonymous address with its context', async ({ host }) => {
  const { page } = host;
  await page.getByRole('button', { name: 'Actors' }).click();
  const table = page.getByTestId('actors-table');
  const row = (ip: string) => table.locator(`tr[data-actor-key="anonymous@${ip}"]`);
  await expect(row('8.8.8.8').getByTestId('actor-address')).toHaveText('US · Google LLC (AS15169, US)');
  await expect(row('52.95.245.1').getByTestId('actor-address')).toHaveText('US · AWS EC2 us-east-1');
  await row('1.1.1.1').click();
  const pane = page.getByTestId('actor-pane');
  await expect(pane).toContainText('AU · Cloudflare, Inc. (AS13335, AU)');
  await expect(pane).toContainText('IP data as of 2026-06-17');
  await expectAccessible(page, 'actors with address context');
});
