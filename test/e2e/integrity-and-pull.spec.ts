// Two things an investigator needs beside the timeline: proof that the CloudTrail logs are as
// CloudTrail delivered them (digest validation shown in the Evidence view), and acquisition straight
// from the AWS account ("Pull from AWS…", here against the local AWS stand-in over real HTTP).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROFILE, useStandin } from '../support/aws-standin/env';
import { lookupEvents } from '../support/aws-standin/records';
import { startStandin, type Standin } from '../support/aws-standin/server';
import { buildTrail, makeSignerKey, publicKeysJson } from '../support/digest-signer';
import { expectAccessible } from './axe';
import { expect, importIntoNewCase, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

let standin: Standin;
let restoreEnv: () => void;
test.beforeAll(async () => {
  standin = await startStandin();
  // The service runs in this process (browser host) and takes its endpoint and profile from the environment, as the CLI does.
  restoreEnv = useStandin(standin.url);
});
test.afterAll(async () => {
  restoreEnv();
  await standin.close();
});

test('CloudTrail digests validate in the Evidence view; a file altered before acquisition shows as modified', async ({ host, workDir, shot }) => {
  const { page } = host;
  const key = makeSignerKey();
  const trail = buildTrail({ dir: join(workDir, 'trail'), start: new Date('2025-03-14T08:20:00Z'), hours: 3, filesPerHour: 2, recordsPerFile: 3, keyFor: () => key });
  // One delivered log file altered by one character (still valid JSON) before anyone copied it.
  const altered = trail.logs[3];
  const changed = Buffer.from(altered.content.toString().replace('curl/8.5.0', 'curl/8.5.1'));
  expect(changed.equals(altered.content)).toBe(false);
  writeFileSync(altered.path, gzipSync(changed));
  const keys = join(workDir, 'keys', 'cloudtrail-public-keys.json');
  mkdirSync(join(keys, '..'), { recursive: true });
  writeFileSync(keys, publicKeysJson([{ key, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') }]));

  const bar = await importIntoNewCase(host, join(workDir, 'signed-trail.trailmark'), trail.root);
  await expect(bar).toContainText('files 9 / 9');
  await bar.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByRole('button', { name: 'Evidence' }).click();
  const panel = page.getByTestId('integrity');
  await expect(panel.getByTestId('integrity-none')).toContainText('Not validated yet');
  await host.chooseInDialog([keys]);
  await panel.getByRole('button', { name: 'Validate CloudTrail logs…' }).click();

  const verdict = panel.getByTestId('integrity-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', 'failed');
  await expect(verdict).toContainText('Failed: 1 log file changed after delivery');
  await expect(panel.getByTestId('integrity-when')).toContainText('UTC by e2e');
  await expect(panel.getByTestId('integrity-when')).toContainText(basename(keys));
  const fileCount = (label: string) => panel.getByTestId('integrity-file-counts').locator('tr', { hasText: label }).locator('td.num');
  await expect(fileCount('modified after CloudTrail delivered it')).toHaveText('1');
  await expect(fileCount('valid — matches its signed digest')).toHaveText('3');
  // The newest digest's signature is S3 metadata only, which a plain copy loses: its two files match, unverified.
  await expect(fileCount('hash matches, digest signature not verified')).toHaveText('2');
  await expect(panel.getByTestId('integrity-digest-counts').locator('tr', { hasText: 'in the case' }).locator('td.num')).toHaveText('3');
  await expect(panel.getByTestId('integrity-digest-counts').locator('tr', { hasText: 'signature not checked' }).locator('td.num')).toHaveText('1');
  await expect(panel.getByTestId('integrity-problems')).toContainText(basename(altered.path));
  await expect(panel.getByTestId('integrity-limits')).not.toBeEmpty();

  // Beside each file and digest in the evidence table.
  const rows = page.getByTestId('evidence-table').locator('tbody tr');
  await expect(rows).toHaveCount(9);
  await expect(rows.filter({ hasText: basename(altered.path) })).toContainText('modified');
  await expect(rows.filter({ hasText: basename(trail.logs[0].path) })).toContainText('valid');
  await expect(rows.filter({ hasText: basename(trail.digests[0].path) })).toContainText('digest: signature valid');

  // Coverage hour by hour: the altered file's hour shows modified; times follow the zone switch.
  const strip = page.getByTestId('coverage-strip');
  await expect(strip).toContainText('rows are days in UTC');
  await expect(strip.locator('[data-status="modified"]')).toHaveCount(1);
  await expect(strip.locator('[data-status="modified"]')).toHaveAttribute('aria-label', /^2025-03-14 09:00 UTC: modified, 2 files in this hour$/);
  expect(await strip.locator('[data-status="validated"]').count()).toBeGreaterThan(0);
  await expect(strip).toContainText('Fri 14 Mar 2025');
  await expect(page.getByTestId('custody-table')).toContainText('integrity-validate');
  await shot('evidence-integrity');
  await expectAccessible(page, 'evidence with CloudTrail integrity');

  await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
  await expect(strip).toContainText('rows are days in Asia/Tokyo');
  await expect(strip.locator('[data-status="modified"]')).toHaveAttribute('aria-label', /^2025-03-14 18:00 Asia\/Tokyo: modified/);
  await expect(panel.getByTestId('integrity-when')).toContainText('Asia/Tokyo');
  await page.getByTestId('time-zone').selectOption('UTC');
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('a case without digest files says so in the Evidence view', async ({ host, workDir }) => {
  const { page } = host;
  await host.chooseInDialog([join(workDir, 'aws-pull.trailmark')]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('aws-pull');
  await page.getByRole('button', { name: 'Evidence' }).click();
  await expect(page.getByText('No evidence in this case yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('Pull from AWS checks its form, then pulls LookupEvents into the case with progress', async ({ host, shot }) => {
  const { page } = host;
  standin.state.cloudtrail.events = { 'eu-west-1': lookupEvents(30, new Date(Date.now() - 5 * 60_000), 'eu-west-1') };
  await page.getByRole('button', { name: 'Pull from AWS…' }).first().click();
  const dialog = page.getByTestId('pull-dialog');

  // Mistakes are named beside their field and nothing is sent.
  const before = standin.requests.length;
  await dialog.getByLabel(/Log bucket/).check();
  await dialog.getByLabel('Log location').fill('https://acme-logs.s3.amazonaws.com/AWSLogs/');
  await dialog.getByLabel('Region', { exact: true }).fill('Ireland');
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByText('an s3://bucket/prefix URI')).toBeVisible();
  await expect(dialog.getByText('an AWS region such as eu-west-1')).toBeVisible();
  // The dates are the ISO 24-hour times the app shows everywhere, one Tab stop each, not the browser's locale picker.
  const to = await dialog.getByLabel('To (UTC)').inputValue();
  expect(to).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  expect(await dialog.getByLabel('From (UTC)').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  await dialog.getByLabel('From (UTC)').focus();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('To (UTC)')).toBeFocused();
  await dialog.getByLabel('From (UTC)').fill('01/02/2024 03:00 PM');
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByText('a date and time (UTC): yyyy-mm-dd hh:mm:ss')).toBeVisible();
  await dialog.getByLabel('From (UTC)').fill(to);
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByText('must be after From')).toBeVisible();
  await dialog.getByLabel('From (UTC)').fill('2024-01-01 00:00:00');
  await dialog.getByLabel(/CloudTrail event history/).check();
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByText(/LookupEvents only reaches back 90 days/)).toBeVisible();
  expect(standin.requests.length).toBe(before);

  // An error from AWS is shown as AWS and Trailmark explain it.
  const from = new Date(Date.now() - 2 * 86400e3).toISOString().slice(0, 19).replace('T', ' ');
  await dialog.getByLabel('From (UTC)').fill(from);
  await dialog.getByLabel('AWS profile').fill(PROFILE);
  await dialog.getByLabel('Region', { exact: true }).fill('eu-west-1');
  standin.state.faults.push({ op: 'cloudtrail:LookupEvents', times: 1, code: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('have expired (ExpiredTokenException)');
  await expect(page.getByTestId('case-counts')).toContainText('0 events');

  // Nothing went to AWS before main had the user confirm the profile and region in its own dialog.
  expect((await host.confirmations()).at(-1)).toContain(`AWS profile: ${PROFILE}\nRegion: eu-west-1`);
  const asked = (await host.confirmations()).length;
  await dialog.getByRole('button', { name: 'Pull again' }).click();
  await expect(dialog.getByTestId('pull-progress')).toContainText('AWS account 111122223333');
  const done = dialog.getByTestId('pull-done');
  await expect(done).toContainText('Imported 30 events');
  await expect(done).toContainText('(lookup) from account 111122223333');
  await shot('pull-from-aws');
  await expectAccessible(page, 'pull dialog');
  expect((await host.confirmations()).length).toBe(asked + 1);
  const sent = standin.calls('cloudtrail:LookupEvents').at(-1)!.json as { LookupAttributes?: { AttributeKey: string; AttributeValue: string }[] };
  expect(sent.LookupAttributes).toEqual([{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }]);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await expect(page.getByTestId('case-counts')).toContainText('30 events');
  await page.getByRole('button', { name: 'Evidence' }).click();
  const row = page.getByTestId('evidence-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('LookupEvents');
  await expect(row.locator('td').nth(6)).toHaveText('30');
  await expect(page.getByTestId('integrity')).toContainText('This case holds no CloudTrail digest files.');
  await expect(page.getByTestId('custody-table')).toContainText('aws-pull');
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('a running pull can be cancelled from its dialog', async ({ host }) => {
  const { page } = host;
  // Many pages at CloudTrail's own pace (a couple of calls a second): long enough to cancel.
  standin.state.cloudtrail.events = { 'eu-west-1': lookupEvents(1200, new Date(Date.now() - 5 * 60_000), 'eu-west-1') };
  await page.getByRole('button', { name: 'Pull from AWS…' }).first().click();
  const dialog = page.getByTestId('pull-dialog');
  await dialog.getByLabel('AWS profile').fill(PROFILE);
  await dialog.getByLabel('Region', { exact: true }).fill('eu-west-1');
  await dialog.getByLabel('Lookup attribute').selectOption('');
  await dialog.getByRole('button', { name: 'Pull', exact: true }).click();
  await expect(dialog.getByTestId('pull-progress')).toContainText(/page 2/);
  await dialog.getByRole('button', { name: 'Cancel pull' }).click();
  await expect(dialog.getByRole('alert')).toContainText('the pull was cancelled; run it again to continue where it stopped');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('case-counts')).toContainText('30 events');
});
