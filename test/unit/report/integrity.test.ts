// CloudTrail log integrity in the board report: real cases imported from trail files and digests signed
// with a test key, validated through the case (as the Evidence view does), printed by `trailmark report`
// with the real Chromium and read back with pdftotext.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { openReadable, openWritable } from '../../../main/case/db';
import { setMeta } from '../../../main/case/meta';
import { importPaths } from '../../../main/import/run-import';
import { main } from '../../../main/cli/index';
import { coverageGrid, MAX_HOURLY_DAYS } from '../../../main/report/coverage-strip';
import { renderReportHtml } from '../../../main/report/html';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import type { ReportModel } from '../../../main/report/model';
import { runIntegrityValidation } from '../../../main/verify';
import { buildTrail, makeSignerKey, publicKeysJson, type BuiltTrail } from '../../support/digest-signer';
import { captureIo, flat, pdfText, tempDir } from './support';

const ACCOUNT = '111122223333';
// Four digest hours across midnight UTC: two rows of the coverage strip.
const START = new Date('2025-01-10T22:00:00Z');
const HOURS = 4;

let root: string;
let trail: BuiltTrail;
let keysPath: string;

/** A case imported from its own copy of the evidence tree; the newest digest keeps its S3 signature metadata, as a pull does. */
async function importCase(name: string, opts: { alter?: boolean; digests?: boolean } = {}): Promise<{ casePath: string; dir: string; evidence: string }> {
  const dir = join(tempDir(), name);
  // A hostile directory name: it reaches the report through every problem that names a file.
  const evidence = join(dir, 'ev<script>x</script>');
  cpSync(root, evidence, { recursive: true });
  if (opts.alter) {
    const victim = join(evidence, trail.logs[1].s3Object);
    const text = gunzipSync(readFileSync(victim)).toString();
    // One byte: curl/8.5.0 becomes curl/8.5.1 in the first record; still valid JSON, so it imports.
    writeFileSync(victim, gzipSync(Buffer.from(text.replace('curl/8.5.0', 'curl/8.5.1'))));
  }
  const paths = opts.digests === false ? trail.logs.map((l) => join(evidence, l.s3Object)) : [evidence];
  const newest = trail.digests.at(-1)!;
  const newestName = basename(newest.s3Object);
  const casePath = join(dir, 'case.sqlite');
  const summary = await importPaths(casePath, paths, {
    examiner: 'Jane Examiner',
    origin: (p) => (basename(p) === newestName
      ? { origin: { type: 'file' }, meta: { Metadata: { signature: newest.signature, 'signature-algorithm': 'SHA256withRSA' } } }
      : undefined),
  });
  assert.deepEqual(summary.files.filter((f) => f.status !== 'imported'), [], 'every evidence file imports');
  const db = openWritable(casePath);
  try {
    setMeta(db, 'name', `Trail integrity: ${name}`);
  } finally {
    db.close();
  }
  return { casePath, dir, evidence };
}

async function validate(casePath: string): Promise<void> {
  const db = openWritable(casePath);
  try {
    await runIntegrityValidation(db, casePath, { keysPath, examiner: 'Jane Examiner' });
  } finally {
    db.close();
  }
}

function model(casePath: string, options: Parameters<typeof reportModelFromCase>[1] = {}): ReportModel {
  const db = openReadable(casePath);
  try {
    return reportModelFromCase(db, { generatedAt: '2025-01-12T09:00:00Z', ...options }, caseAnalysis(db));
  } finally {
    db.close();
  }
}

async function reportPdf(casePath: string, dir: string): Promise<string> {
  const out = join(dir, 'report.pdf');
  const c = captureIo();
  const code = await main(['report', '--case', casePath, '--out', out, '--date', '2025-01-12T09:00:00Z'], c.io);
  assert.equal(code, 0, c.err());
  return out;
}

/** The hours of the coverage strip by status, counted from the SVG cells' titles. */
function stripCells(html: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of html.matchAll(/<title>\d{1,2} \w{3} \d{4} \d{2}:00 \([^)]+\): ([a-z -]+?)(?:, \d+ log files?)?<\/title>/g)) out[m[1]] = (out[m[1]] ?? 0) + 1;
  return out;
}

before(() => {
  root = join(tempDir(), 'trail');
  const key = makeSignerKey();
  trail = buildTrail({ dir: root, start: START, hours: HOURS, filesPerHour: 2, recordsPerFile: 2, keyFor: () => key, account: ACCOUNT });
  // Markup in the keys file's name: it is printed as the keys' source, and must stay text.
  keysPath = join(tempDir(), 'keys<img src=x>.json');
  writeFileSync(keysPath, publicKeysJson([{ key, from: new Date('2024-01-01Z'), to: new Date('2026-01-01Z') }]));
});

describe('report: CloudTrail log integrity', () => {
  describe('a case whose logs verify', () => {
    let kase: Awaited<ReturnType<typeof importCase>>;
    let before_: ReportModel;
    let text: string;
    before(async () => {
      kase = await importCase('verified');
      before_ = model(kase.casePath);
      await validate(kase.casePath);
      text = flat(pdfText(await reportPdf(kase.casePath, kase.dir)));
    });

    it('states the verdict in plain words with the counts per file and per digest', () => {
      assert.match(text, /Integrity of the CloudTrail logs/);
      assert.match(text, /Verified\. All 8 CloudTrail log files in the case match the SHA-256 CloudTrail recorded in its signed digest files when it delivered them, all 4 digest signatures check/);
      assert.match(text, /valid: matches its signed digest 8/);
      assert.match(text, /digest files checked 4 signature valid 4 signature invalid 0/);
      assert.match(text, /breaks in the digest chain 0/);
      assert.match(text, /No problems were found\./);
    });

    it('draws the coverage hour by hour, with its legend and time zone', () => {
      assert.match(text, /Coverage hour by hour One row per day and one cell per hour, in UTC/);
      assert.match(text, /Fri 10 Jan 2025/);
      assert.match(text, /Sat 11 Jan 2025/);
      assert.match(text, /validated \(4 h\) modified \(0 h\) missing \(0 h\) no digest \(0 h\) digest signature not verified \(0 h\)/);
      const html = renderReportHtml(model(kase.casePath));
      assert.deepEqual(stripCells(html), { validated: HOURS });
      const berlin = renderReportHtml(model(kase.casePath, { timeZone: 'Europe/Berlin' }));
      assert.match(berlin, /one cell per hour, in Europe\/Berlin \(UTC\+01:00\)/);
      assert.match(berlin, /<title>10 Jan 2025 23:00 \(Europe\/Berlin\): validated/, 'the 22:00 UTC hour sits at 23:00 in Berlin');
    });

    it('puts the run into the report ID, says nothing in the summary, and escapes what it prints', () => {
      const after = model(kase.casePath);
      assert.equal(before_.methodology.integrity.run, null);
      assert.notEqual(after.reportId, before_.reportId);
      assert.ok(!after.summary.some((s) => /Integrity check/.test(s.text)));
      assert.ok(text.includes('keys<img src=x>.json'), 'the keys file named as text');
      const html = renderReportHtml(after);
      assert.ok(html.includes('keys&lt;img src=x&gt;.json'));
      assert.ok(!html.includes('<img'));
    });

    it('before validation, said the case holds digest files that were not validated', () => {
      const v = before_.methodology.integrity;
      assert.equal(v.headline, 'CloudTrail log integrity was not validated for this report.');
      assert.match(v.notes[0], /The case holds 4 CloudTrail digest files/);
    });
  });

  describe('a case with one log file altered by one byte', () => {
    let kase: Awaited<ReturnType<typeof importCase>>;
    let text: string;
    let page1: string;
    before(async () => {
      kase = await importCase('altered', { alter: true });
      await validate(kase.casePath);
      const pdf = await reportPdf(kase.casePath, kase.dir);
      text = flat(pdfText(pdf));
      page1 = flat(pdfText(pdf, { first: 1, last: 2 }));
    });

    it('tells the board in the executive summary', () => {
      assert.match(page1, /Integrity check: 1 CloudTrail log file was altered after CloudTrail delivered it; activity recorded in that file may be misstated or absent from this report\./);
      assert.match(page1, /1 modified and 0 missing of 8 log files, checked against 4 digest files/);
    });

    it('fails the verdict, counts the file as modified, marks its hour and lists the problem', () => {
      assert.match(text, /Failed\. 1 log file was changed after CloudTrail delivered it\./);
      assert.match(text, /modified after delivery 1/);
      assert.match(text, /valid: matches its signed digest 7/);
      assert.match(text, /validated \(3 h\) modified \(1 h\) missing \(0 h\) no digest \(0 h\) digest signature not verified \(0 h\)/);
      assert.match(text, /Problems found \(1\)/);
      const name = trail.logs[1].s3Object.split('/').pop()!;
      assert.ok(text.replace(/\s/g, '').includes(name), 'the altered file is named');
      assert.match(text, /CloudTrail log integrity validation failed with 1 problem/, 'and among the evidence gaps');
      const html = renderReportHtml(model(kase.casePath));
      assert.deepEqual(stripCells(html), { validated: HOURS - 1, modified: 1 });
      assert.ok(html.includes('ev&lt;script&gt;x&lt;/script&gt;'), 'the path in the problem is text');
      assert.ok(!html.includes('<script'));
    });

    it('redacts the account in the problems of a redacted edition', () => {
      const m = model(kase.casePath, { redact: true });
      assert.ok(m.methodology.integrity.problems.length === 1);
      assert.ok(!JSON.stringify(m.methodology.integrity).includes(ACCOUNT));
      assert.ok(!JSON.stringify(m.summary).includes(ACCOUNT));
    });
  });

  describe('a case never validated, holding no digest files', () => {
    it('says so plainly', async () => {
      const kase = await importCase('never', { digests: false });
      const text = flat(pdfText(await reportPdf(kase.casePath, kase.dir)));
      assert.match(text, /Integrity of the CloudTrail logs CloudTrail log integrity was not validated for this report\./);
      assert.match(text, /The case holds no CloudTrail digest files/);
      assert.ok(!/Coverage hour by hour/.test(text));
      assert.ok(!/Integrity check/.test(text));
    });
  });
});

describe('coverage strip layout', () => {
  const hour = (iso: string, status: 'validated' | 'modified' | 'missing' | 'no-digest' = 'validated') => ({ start: Date.parse(iso), status, files: 1 });

  it('places hours at their local start; the hour clocks repeat shares a cell and shows the worse finding', () => {
    // Europe/London leaves summer time at 01:00 UTC on 27 Oct 2024: 00:00 and 01:00 UTC both start at 01:00 local.
    const g = coverageGrid([hour('2024-10-26T23:00Z'), hour('2024-10-27T00:00Z'), hour('2024-10-27T01:00Z', 'modified'), hour('2024-10-27T02:00Z')], 'Europe/London');
    assert.equal(g.unit, 'hour');
    assert.deepEqual(g.rows.map((r) => r.label), ['Sun 27 Oct 2024']);
    const cells = [...g.rows[0].cells.values()].map((c) => [c.col, c.status, c.hours]);
    assert.deepEqual(cells, [[0, 'validated', 1], [1, 'modified', 2], [2, 'validated', 1]]);
  });

  it(`folds to one cell per day, a row per month, beyond ${MAX_HOURLY_DAYS} days`, () => {
    const hours = Array.from({ length: 24 * 70 }, (_, i) => ({ start: Date.parse('2025-01-01T00:00Z') + i * 3600e3, status: i === 24 * 40 + 5 ? 'missing' as const : 'validated' as const, files: 0 }));
    const g = coverageGrid(hours, 'UTC');
    assert.equal(g.unit, 'day');
    assert.deepEqual(g.rows.map((r) => r.label), ['Jan 2025', 'Feb 2025', 'Mar 2025']);
    assert.equal(g.rows[1].cells.get(9)!.status, 'missing', '10 Feb is day 41');
    assert.equal(g.rows[1].cells.get(9)!.hours, 24);
    assert.equal(g.rows[0].cells.size, 31);
  });
});
