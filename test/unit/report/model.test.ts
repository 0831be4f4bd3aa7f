// The report model and its HTML without a browser: determinism, the report ID, time zones,
// redaction, escaping of log text, and a case without analysis.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { openReadable, type ReadableDB } from '../../../main/case/db';
import { tickTimes } from '../../../main/report/chart';
import { findChromium, chromiumCandidates, NoChromiumError } from '../../../main/report/chromium';
import { cssString, renderReportHtml } from '../../../main/report/html';
import { escapeHtml, html } from '../../../main/report/html-tag';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import { Namer } from '../../../main/report/redact';
import { HOSTILE_KEY, HOSTILE_UA } from './evidence';
import { smallCase } from './support';

describe('report model', () => {
  let db: ReadableDB;
  before(async () => {
    db = openReadable((await smallCase()).casePath);
  });
  const model = (o: Parameters<typeof reportModelFromCase>[1] = {}) => reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z', ...o }, caseAnalysis(db));

  it('gives the same data the same report ID and the same HTML', () => {
    const a = model();
    const b = model();
    assert.match(a.reportId, /^[0-9a-f]{64}$/);
    assert.equal(a.reportId, b.reportId);
    assert.equal(renderReportHtml(a), renderReportHtml(b));
  });

  it('changes the ID with every option that changes what the report says', () => {
    const base = model().reportId;
    for (const o of [{ timeZone: 'Europe/Berlin' }, { redact: true }, { bucket: 'other' }, { from: '2017-08-12T00:00:00Z' }, { generatedAt: '2017-08-21T10:00:00Z' }]) {
      assert.notEqual(model(o).reportId, base, JSON.stringify(o));
    }
  });

  it('keeps "now" out of the ID when no date is given, yet prints a date', () => {
    const a = reportModelFromCase(db, {}, caseAnalysis(db));
    const b = reportModelFromCase(db, {}, caseAnalysis(db));
    assert.equal(a.reportId, b.reportId);
    assert.equal(a.cover.generatedAt, null);
    assert.match(renderReportHtml(a, { now: new Date('2030-01-02T03:04:00Z') }), /2 Jan 2030 03:04 UTC/);
  });

  it('counts what the summary says, with the figures behind each sentence', () => {
    const m = model();
    assert.equal(m.totals.downloads, 8);
    assert.equal(m.totals.inExposure, 6);
    assert.equal(m.totals.parties, 4);
    assert.equal(m.exposures.length, 1);
    assert.equal(m.exposures[0].downloads, 6);
    const during = m.summary.find((s) => s.text.startsWith('During that time'))!;
    assert.ok(during.basis.includes('complete copies: 3 downloads of 3 objects totalling 1,306,432,680 bytes'));
    assert.equal(m.groups.map((g) => g.rows.length).reduce((a, b) => a + b), 8);
    assert.deepEqual(m.groups.map((g) => g.party), [
      'arn:aws:iam::111122223333:user/backup-operator', 'anonymous (203.0.113.7)', 'anonymous (198.51.100.23)', 'anonymous (192.0.2.44)',
    ]);
  });

  it('escapes every string from the logs: a <script> user agent is text, never markup', () => {
    const page = renderReportHtml(model());
    assert.ok(!page.includes('<script'), 'no script element');
    assert.ok(!page.includes('<img src=x'), 'no img element from a key');
    assert.ok(page.includes(escapeHtml(HOSTILE_UA)));
    assert.ok(page.includes(escapeHtml(HOSTILE_KEY)));
    assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
    assert.equal(html`<b>${'<i>'}</b>${['&', html`<br>`]}`.text, '<b>&lt;i&gt;</b>&amp;<br>');
  });

  it('keeps a hostile case name inert in the page footer CSS and the cover', () => {
    const m = model();
    const hostile = '</style><script>alert(1)</script>" } body { display:none } \\';
    const page = renderReportHtml({ ...m, cover: { ...m.cover, caseName: hostile } });
    assert.ok(!page.includes('<script'));
    assert.equal(page.split('</style>').length, 2, 'one style element, closed once');
    const style = page.slice(page.indexOf('<style>'), page.indexOf('</style>'));
    assert.ok(!style.includes('body { display'), 'the name cannot add CSS rules');
    assert.ok(style.includes('Case: \\3c \\2f style\\3e '), 'the name sits escaped inside the footer string');
    assert.ok(page.includes('&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;'), 'and as text on the cover');
    assert.equal(cssString('a"b\\c</style>'), '"a\\22 b\\5c c\\3c \\2f style\\3e "');
  });

  it('redacts consistently: one pseudonym per value everywhere, in order of first appearance', () => {
    const m = model({ redact: true });
    const json = JSON.stringify(m);
    for (const secret of ['203.0.113.7', '198.51.100.23', '192.0.2.44', '10.20.30.40', 'backup-operator', '111122223333']) {
      assert.ok(!json.includes(secret), secret);
    }
    assert.deepEqual(m.groups.map((g) => g.party), ['Principal-1', 'anonymous (IP-2)', 'anonymous (IP-3)', 'anonymous (IP-4)']);
    assert.deepEqual(m.groups[0].rows.map((r) => r.ip), ['IP-1', 'IP-1']);
    assert.ok(m.actors.some((a) => a.party === 'anonymous (IP-2)' && a.downloads === 2));
    const n = new Namer(true);
    assert.equal(n.text('seen from 10.0.0.1 as arn:aws:iam::1:user/x, again 10.0.0.1'), 'seen from IP-1 as Principal-1, again IP-1');
  });

  it('says plainly when no analysis is available', () => {
    const m = reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z' }, null);
    assert.match(m.summary[0].text, /When the bucket was exposed was not determined/);
    assert.match(m.summary[1].text, /^In total, 4 parties \(3 unauthenticated, 1 authenticated\) from 4 IP addresses downloaded 5 files; 4 were copied completely/);
    assert.ok(m.gaps.some((g) => g.kind === 'no-analysis'));
  });

  it('stops the table at its limit, says so, and still counts everything', () => {
    const m = model({ tableLimit: 3 });
    assert.deepEqual(m.tableLimit, { shown: 3, total: 8 });
    assert.equal(m.totals.downloads, 8);
    assert.ok(m.gaps.some((g) => g.kind === 'table-truncated'));
  });

  it('refuses an unknown time zone by name', () => {
    assert.throws(() => model({ timeZone: 'Europe/Atlantis' }), /unknown time zone "Europe\/Atlantis"/);
  });
});

describe('chart ticks', () => {
  it('falls on local midnights in the report zone', () => {
    const t = tickTimes(Date.UTC(2017, 7, 9, 9), Date.UTC(2017, 7, 18, 2), 'Europe/Berlin');
    assert.ok(t.length >= 4 && t.length <= 9);
    for (const { ms } of t) assert.equal(new Date(ms).getUTCHours(), 22, 'Berlin midnight in August is 22:00 UTC');
  });
  it('uses whole hours for short spans', () => {
    const t = tickTimes(Date.UTC(2017, 7, 9, 9, 10), Date.UTC(2017, 7, 9, 15), 'UTC');
    assert.deepEqual(t.map((x) => x.label), ['9 Aug 10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
  });
});

describe('finding Chromium', () => {
  it('takes an explicit path, and names it when it does not exist', () => {
    assert.equal(findChromium('/opt/x/chrome', (p) => p === '/opt/x/chrome'), '/opt/x/chrome');
    assert.throws(() => findChromium('/nope/chrome', () => false), /--chromium \/nope\/chrome: no such file/);
  });
  it('looks in the usual places of each platform', () => {
    assert.ok(chromiumCandidates('linux').includes('/usr/bin/google-chrome'));
    assert.ok(chromiumCandidates('darwin', { HOME: '/Users/a' }).includes('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'));
    assert.ok(chromiumCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' }).some((p) => p.endsWith('msedge.exe')));
    assert.equal(findChromium(undefined, (p) => p === '/usr/bin/chromium-browser'), '/usr/bin/chromium-browser');
  });
  it('explains what to do when there is none', () => {
    const saved = process.env.TRAILMARK_CHROMIUM;
    delete process.env.TRAILMARK_CHROMIUM;
    try {
      assert.throws(() => findChromium(undefined, () => false), (e: Error) => e instanceof NoChromiumError && /--chromium PATH/.test(e.message));
    } finally {
      if (saved !== undefined) process.env.TRAILMARK_CHROMIUM = saved;
    }
  });
});

describe('an empty case', () => {
  it('still makes a report that says there is nothing to report', async () => {
    const { join } = await import('node:path');
    const { CaseService } = await import('../../../main/service');
    const { tempDir } = await import('./support');
    const path = join(tempDir(), 'empty.sqlite');
    const s = new CaseService();
    await s.invoke('case:create', { path, name: 'Empty case' });
    const r = await s.invoke('report:render', { date: '2020-01-01T00:00:00Z' });
    s.close();
    assert.equal(r.downloads, 0);
    assert.match(r.html!, /The evidence holds no successful downloads\./);
    assert.match(r.html!, /No downloads or exposure windows to chart\./);
    assert.match(r.html!, /no downloads in the evidence/);
  });
});
