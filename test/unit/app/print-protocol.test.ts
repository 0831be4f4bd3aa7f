// The print window's page comes from memory over the print scheme: its one URL answers with the
// report under the report's own CSP, every other URL and method is refused, and the session lets
// through nothing but that page and data: images. Nothing touches the file system (no file:// URL).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAllowedPrintRequest, PRINT_CSP, PRINT_SCHEME, PRINT_SCHEME_PRIVILEGES, printResponse, printUrl } from '../../../main/app/print-protocol';
import { CaseService } from '../../../main/service';
import { tempDir } from '../../support/paths';

test('the report is served for its own URL only, with its CSP as a header', async (t) => {
  const service = new CaseService({ examiner: 'unit' });
  t.after(() => service.close());
  await service.invoke('case:create', { path: join(tempDir(t), 'print.trailmark'), name: 'Print' });
  const { html } = await service.invoke('report:render', {});
  assert.ok(html);
  // The header repeats the report's own policy: no script, nothing remote.
  assert.ok(html.includes(`content="${PRINT_CSP}"`), 'the report carries the same CSP in its meta tag');

  const url = printUrl('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  assert.equal(url, `${PRINT_SCHEME}://report/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.html`);
  const ok = printResponse({ url, html }, url);
  assert.equal(ok.status, 200);
  assert.equal(ok.body, html);
  assert.equal(ok.headers['Content-Type'], 'text/html; charset=utf-8');
  assert.equal(ok.headers['Content-Security-Policy'], PRINT_CSP);
  assert.equal(printResponse({ url, html }, url, 'HEAD').body, null);

  for (const other of [`${url}?x`, `${PRINT_SCHEME}://report/other.html`, `${PRINT_SCHEME}://report/../etc/passwd`, 'file:///etc/passwd', `${PRINT_SCHEME}://evil/${url.split('/').at(-1)}`]) {
    const r = printResponse({ url, html }, other);
    assert.equal(r.status, 404, other);
    assert.ok(!r.body?.includes(html.slice(0, 50)));
  }
  assert.equal(printResponse({ url, html }, url, 'POST').status, 405);
});

test('the print session lets through its page and data: images, nothing else', () => {
  const url = printUrl('abcdef01');
  assert.equal(isAllowedPrintRequest(url, url), true);
  assert.equal(isAllowedPrintRequest(url, 'data:image/png;base64,AAAA'), true);
  for (const u of ['file:///tmp/report.html', 'https://example.com/x.png', 'app://trailmark/index.html', printUrl('abcdef02')]) {
    assert.equal(isAllowedPrintRequest(url, u), false, u);
  }
});

test('a print URL cannot be steered by its token, and the scheme has no powers beyond loading a page', () => {
  for (const bad of ['../x', 'a/b', '', 'ABCDEF01', 'x'.repeat(8)]) assert.throws(() => printUrl(bad), /print token/);
  assert.deepEqual(PRINT_SCHEME_PRIVILEGES, { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, stream: false, allowServiceWorkers: false });
});
