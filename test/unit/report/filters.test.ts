// The board report applies every timeline filter the export dialog passes (source, address, actor,
// key, exposure class…) and states them on its cover: in the model, its HTML and the printed PDF.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TimelineFilter } from '../../../shared/api';
import { openReadable, type ReadableDB } from '../../../main/case/db';
import { renderReportHtml } from '../../../main/report/html';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import type { ReportModel } from '../../../main/report/model';
import { CaseService } from '../../../main/service';
import { flat, pdfText, smallCase } from './support';

const rowsOf = (m: ReportModel) => m.groups.flatMap((g) => g.rows);

describe('board report with timeline filters', () => {
  let kase: Awaited<ReturnType<typeof smallCase>>;
  let db: ReadableDB;
  before(async () => {
    kase = await smallCase();
    db = openReadable(kase.casePath);
  });
  after(() => db.close());
  const model = (filter: TimelineFilter, redact = false) => reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z', filter, redact }, caseAnalysis(db));

  it('narrows every figure and table to the filtered downloads, and names the filters on the cover', () => {
    const whole = model({});
    assert.equal(whole.totals.downloads, 8);
    assert.deepEqual(whole.cover.filter.narrowing, []);
    assert.doesNotMatch(renderReportHtml(whole), /Filters applied/);
    const all = rowsOf(whole);
    const cases: Array<[TimelineFilter, (r: ReturnType<typeof rowsOf>[number]) => boolean, string]> = [
      [{ source: 'cloudtrail' }, (r) => r.sources.includes('cloudtrail'), 'logged by CloudTrail'],
      [{ actor: 'arn:aws:iam::111122223333:user/backup-operator' }, (r) => r.actor.endsWith('backup-operator'), 'actor is exactly "arn:aws:iam::111122223333:user/backup-operator"'],
      [{ sourceIp: '203.0.113.7' }, (r) => r.ip === '203.0.113.7', 'source IP is exactly 203.0.113.7'],
      [{ sourceIp: '198.51.100.0/24', sourceIpMatch: 'cidr' }, (r) => r.ip?.startsWith('198.51.100.') === true, 'source IP in CIDR block 198.51.100.0/24'],
      [{ actor: 'anon', actorMatch: 'prefix' }, (r) => r.actor.startsWith('anon'), 'actor starts with "anon"'],
      [{ exposure: 'outside' }, (r) => r.exposure === 'outside', 'outside every exposure window'],
    ];
    for (const [filter, keep, words] of cases) {
      const m = model(filter);
      const want = all.filter(keep).map((r) => r.id).sort((a, b) => a - b);
      // (The small case's downloads are all in its access log: the CloudTrail filter leaves none.)
      assert.ok(want.length < all.length, `${words}: the filter leaves some rows out`);
      assert.deepEqual(rowsOf(m).map((r) => r.id).sort((a, b) => a - b), want, words);
      assert.equal(m.totals.downloads, want.length, words);
      assert.deepEqual(m.cover.filter.narrowing, [words]);
      assert.ok(flat(renderReportHtml(m)).includes(`<dt>Filters applied</dt><dd>${words.replace(/"/g, '&quot;')}.`), words);
      assert.notEqual(m.reportId, whole.reportId, words);
    }
  });

  it('keeps a filtered address out of the redacted edition', () => {
    const m = model({ sourceIp: '203.0.113.7' }, true);
    assert.match(m.cover.filter.narrowing[0], /^source IP is exactly IP-\d+$/);
    assert.doesNotMatch(renderReportHtml(m), /203\.0\.113\.7/);
    assert.deepEqual(model({ sourceIp: '203.0', sourceIpMatch: 'prefix' }, true).cover.filter.narrowing, ['source IP starts with (redacted)']);
  });

  it('prints the filters and the narrowed counts in the PDF (report:render with the dialog\'s filter)', async () => {
    const service = new CaseService({ examiner: 'Jane Examiner' });
    try {
      await service.invoke('case:open', { path: kase.casePath });
      const out = join(kase.dir, 'filtered.pdf');
      const r = await service.invoke('report:render', { date: '2017-08-20T10:00:00Z', path: out, filter: { source: 's3-access-log', sourceIp: '203.0.113.0/24', sourceIpMatch: 'cidr' } });
      const expected = rowsOf(model({})).filter((row) => row.sources.includes('s3-access-log') && row.ip?.startsWith('203.0.113.') === true).length;
      assert.ok(expected > 0);
      assert.equal(r.downloads, expected);
      const text = flat(pdfText(out, { first: 1, last: 1 }));
      assert.match(text, /Filters applied source IP in CIDR block 203\.0\.113\.0\/24; logged by S3 access logs\. Every figure and table counts only the downloads these let through\./);
    } finally {
      service.close();
    }
  });
});
