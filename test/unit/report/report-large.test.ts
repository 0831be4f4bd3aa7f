// A large case: thousands of downloads paginate into many pages, every one of which repeats the
// table header, and the figures still count everything.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../../main/cli/index';
import { captureIo, flat, largeCase, pdfPages, pdfText, renderedPages } from './support';

const N = 2500;

describe('trailmark report (large case)', () => {
  let pdf: string;
  let pages: number;
  before(async () => {
    const kase = await largeCase(N);
    pdf = join(kase.dir, 'large.pdf');
    const c = captureIo();
    assert.equal(await main(['report', '--case', kase.casePath, '--out', pdf, '--date', '2017-08-20T10:00:00Z'], c.io), 0, c.err());
    pages = pdfPages(pdf);
  });

  it('paginates every download, with "Page X of Y" on each page', () => {
    assert.ok(pages > 40, `${pages} pages`);
    assert.equal(renderedPages(pdf), pages);
    const text = flat(pdfText(pdf));
    for (let p = 1; p <= pages; p++) assert.ok(text.includes(`Page ${p} of ${pages}`), `page ${p}`);
    assert.match(text, new RegExp(`${N.toLocaleString('en')} successful downloads`));
    assert.match(text, /During that time 40 unauthenticated parties from 40 IP addresses downloaded 20 backup files and 40 other files/);
  });

  it('repeats the table header on every page the downloads table spans', () => {
    const perPage = Array.from({ length: pages }, (_, i) => flat(pdfText(pdf, { first: i + 1, last: i + 1 })));
    const first = perPage.findIndex((t) => t.includes('Downloads by party'));
    const after = perPage.findIndex((t, i) => i > first && t.includes('Parties Who downloaded'));
    assert.ok(first > 0 && after > first + 10, `table from page ${first + 1} to ${after}`);
    for (let i = first; i < after; i++) {
      assert.match(perPage[i], /Time IP address Object Bytes sent Object size Complete/, `page ${i + 1} repeats the header`);
      assert.match(perPage[i], /2017-08-1\d \d\d:\d\d:\d\d 198\.18\.0\.\d+/, `page ${i + 1} has rows`);
    }
  });
});
