// The board report end to end: a real case from generated evidence, `trailmark report` printing
// with the real Chromium, and the PDF read back with poppler.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../../main/cli/index';
import { listCustody } from '../../../main/case/custody';
import { openReadable } from '../../../main/case/db';
import { FORMULA_UA, HOSTILE_KEY, HOSTILE_UA } from './evidence';
import { captureIo, flat, NOTE_EXCLUDED, NOTE_INCLUDED, pdfPages, pdfText, renderedPages, smallCase, solid } from './support';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

async function report(casePath: string, out: string, extra: string[] = []): Promise<string> {
  const c = captureIo();
  const code = await main(['report', '--case', casePath, '--out', out, '--date', '2017-08-20T10:00:00Z', ...extra], c.io);
  assert.equal(code, 0, c.err());
  return c.out();
}

describe('trailmark report (small case)', () => {
  let kase: Awaited<ReturnType<typeof smallCase>>;
  let pdf: string;
  let text: string;
  before(async () => {
    kase = await smallCase();
    pdf = join(kase.dir, 'report.pdf');
    await report(kase.casePath, pdf);
    text = pdfText(pdf);
  });

  it('says on page 1, in plain words, what happened, with the numbers', () => {
    const page1 = flat(pdfText(pdf, { first: 1, last: 1 }));
    assert.match(page1, /ACME backup bucket exposure/);
    assert.match(page1, /ACME Holdings plc/);
    assert.match(page1, /Jane Examiner/);
    assert.match(page1, /Time zone used UTC; every time in this report is in this zone/);
    assert.match(page1, /Between 11 Aug 2017 09:15 UTC and 17 Aug 2017 20:41 UTC the bucket acme-backups-prod was readable by anyone\./);
    assert.match(page1, /During that time 3 unauthenticated parties from 3 IP addresses downloaded 4 backup files and 1 other file; 3 were copied completely \(1\.3 GB\)\./);
    assert.match(page1, /1,320,529,832 bytes sent/);
    assert.match(flat(text), /1 line of evidence could not be read; it is kept in the case/);
  });

  it('lists every download, grouped by party, with hostile log text shown as text', () => {
    const t = flat(text);
    for (const party of ['anonymous (203.0.113.7)', 'anonymous (198.51.100.23)', 'anonymous (192.0.2.44)', 'arn:aws:iam::111122223333:user/backup-operator']) {
      assert.ok(t.includes(party), party);
    }
    assert.ok(t.includes('2017-08-11 11:15:00'), 'first anonymous download time');
    assert.ok(t.includes('851,300,000'), 'bytes sent');
    assert.ok(solid(text).includes(solid(HOSTILE_UA)), 'the <script> user agent appears as text');
    assert.ok(solid(text).includes(solid(HOSTILE_KEY)), 'the <img> key appears as text');
    assert.ok(solid(text).includes(solid(FORMULA_UA)));
  });

  it('carries the evidence manifest hashes, the custody digest and only the notes marked for the report', () => {
    const s = solid(text);
    assert.ok(s.includes(sha(kase.accessLog)), 'access log SHA-256');
    assert.ok(s.includes(sha(kase.trail)), 'trail SHA-256');
    const db = openReadable(kase.casePath);
    const custody = listCustody(db).filter((c) => c.action !== 'report' && c.action !== 'export');
    db.close();
    assert.ok(s.includes(custody[custody.length - 1].hash), 'last custody hash');
    assert.ok(flat(text).includes(flat(NOTE_INCLUDED)), 'included note, its <b> as text');
    assert.ok(!text.includes(NOTE_EXCLUDED));
  });

  it('numbers its pages "Page X of Y" and poppler renders them all', () => {
    const pages = pdfPages(pdf);
    assert.ok(pages >= 5, `${pages} pages`);
    assert.match(flat(text), new RegExp(`Page 1 of ${pages}`));
    assert.match(flat(text), new RegExp(`Page ${pages} of ${pages}`));
    assert.equal(renderedPages(pdf), pages);
  });

  it('records itself in custody and gives an unchanged case the same report ID', async () => {
    const again = join(kase.dir, 'again.pdf');
    const out1 = await report(kase.casePath, again);
    const out2 = await report(kase.casePath, join(kase.dir, 'again2.pdf'));
    const id = (s: string) => /^Report ([0-9a-f]{64})/.exec(s)![1];
    assert.equal(id(out1), id(out2));
    assert.ok(solid(text).includes(id(out1)), 'the first report shows the same ID');
    const db = openReadable(kase.casePath);
    const reports = listCustody(db).filter((c) => c.action === 'report');
    db.close();
    assert.equal(reports.length, 3);
    assert.equal(JSON.parse(reports[1].details).sha256, sha(again));
  });

  it('redacts addresses and principals consistently, and states the time zone it was asked for', async () => {
    const red = join(kase.dir, 'redacted.pdf');
    await report(kase.casePath, red, ['--redact', '--tz', 'Europe/Berlin']);
    const t = flat(pdfText(red));
    for (const secret of ['203.0.113.7', '198.51.100.23', '192.0.2.44', '10.20.30.40', 'backup-operator']) assert.ok(!t.includes(secret), secret);
    for (const n of [2, 3, 4]) assert.ok(t.includes(`anonymous (IP-${n})`), `IP-${n}`);
    assert.ok(t.includes('Principal-1'));
    assert.match(t, /Address IP-2 belongs to a hosting provider/, 'the note names 203.0.113.7 by its table pseudonym');
    assert.match(t, /Time zone used Europe\/Berlin \(UTC\+02:00\)/);
    assert.match(t, /Between 11 Aug 2017 11:15 UTC\+02:00 and 17 Aug 2017 22:41 UTC\+02:00/);
    assert.match(t, /Redacted edition/);
  });

  it('refuses an unknown time zone and a missing case with a clear message', async () => {
    const c = captureIo();
    assert.equal(await main(['report', '--case', kase.casePath, '--out', join(kase.dir, 'x.pdf'), '--tz', 'Mars/Olympus'], c.io), 2);
    assert.match(c.err(), /unknown time zone "Mars\/Olympus"/);
    const d = captureIo();
    assert.equal(await main(['report', '--case', join(kase.dir, 'nope.sqlite'), '--out', join(kase.dir, 'x.pdf')], d.io), 2);
    assert.match(d.err(), /nope\.sqlite does not exist/);
  });
});
