// The board report's layout, printed by the real Chromium and read back with poppler: a case of real
// public logs years apart (a 2013 S3 access log, a 2010 one, a 2020 CloudTrail trail) gets a chart
// with a broken axis — one panel per burst, each labelled, the silence stated — instead of two
// one-pixel slivers; and no page but the last is mostly empty, for that case and the sample case.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../../main/cli/index';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { openReadable, openWritable } from '../../../main/case/db';
import { importPaths } from '../../../main/import/run-import';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import { writeSample } from '../../../main/sample/write';
import { captureIo, flat, pdfPages, pdfText, tempDir } from './support';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'public');

async function importCase(casePath: string, paths: string[]): Promise<void> {
  const summary = await importPaths(casePath, paths, { examiner: 'Jane Examiner' });
  for (const f of summary.files) assert.equal(f.status, 'imported', `${f.path}: ${f.reason ?? ''}`);
  const db = openWritable(casePath);
  try {
    updateAnalysis(db);
  } finally {
    db.close();
  }
}

async function report(casePath: string, out: string): Promise<void> {
  const c = captureIo();
  const code = await main(['report', '--case', casePath, '--out', out, '--date', '2026-01-05T10:00:00Z'], c.io);
  assert.equal(code, 0, c.err());
}

/**
 * How far down each page its content reaches, as a share of the page's height: the page rendered in
 * grey at a low resolution (pdftoppm's PGM), the lowest row with any pixel darker than near-white.
 */
function contentDepths(pdf: string): number[] {
  const dir = tempDir();
  execFileSync('pdftoppm', ['-r', '24', '-gray', pdf, join(dir, 'page')]);
  return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => {
    const buf = readFileSync(join(dir, f));
    // P5 header: magic, width, height, maxval, each followed by whitespace; pixels after.
    const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
    assert.ok(m, `${f} is a binary PGM`);
    const [width, height] = [Number(m[1]), Number(m[2])];
    const pixels = buf.subarray(m[0].length);
    // The running footer (case, report ID, page number) sits in the bottom margin: the body ends above it.
    const body = Math.floor(height * FOOTER_FROM);
    let last = 0;
    for (let y = 0; y < body; y++) {
      for (let x = 0; x < width; x++) if (pixels[y * width + x] < 200) { last = y; break; }
    }
    return last / body;
  });
}

/** Where the bottom margin with the running footer begins, as a share of the page's height (A4, 17 mm margin). */
const FOOTER_FROM = 0.93;

/**
 * Every page but the last has content at least half way down: a page whose next block was pushed to
 * the next page ends high (the real-logs report's pages 2 and 3 ended at 34 and 35 % before the fix).
 */
const MIN_DEPTH = 0.5;

function assertNoMostlyBlankPage(pdf: string, what: string): void {
  const depths = contentDepths(pdf);
  assert.equal(depths.length, pdfPages(pdf));
  const shallow = depths.slice(0, -1).map((d, i) => ({ page: i + 1, depth: Math.round(d * 100) })).filter((p) => p.depth < MIN_DEPTH * 100);
  assert.deepEqual(shallow, [], `${what}: pages ending above ${MIN_DEPTH * 100} % of their height (of ${depths.length} pages: ${depths.map((d) => Math.round(d * 100)).join(', ')} %)`);
}

describe('report of real public logs years apart', () => {
  let casePath: string;
  let pdf: string;
  before(async () => {
    const dir = tempDir();
    casePath = join(dir, 'real.trailmark');
    await importCase(casePath, [
      join(FIXTURES, 'ralf', '2013-03-24-11-17-27-ACFA8172D5374531'),
      join(FIXTURES, 'ralf', 'amazon.alf'),
      join(FIXTURES, 'otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'),
    ]);
    pdf = join(dir, 'report.pdf');
    await report(casePath, pdf);
  });

  it('breaks the chart\'s axis into one panel per burst, each holding its own bars', () => {
    const db = openReadable(casePath);
    try {
      const chart = reportModelFromCase(db, {}, caseAnalysis(db)).chart!;
      assert.equal(chart.segments.length, 2, JSON.stringify(chart.segments));
      const [y2013, y2020] = chart.segments;
      assert.equal(new Date(y2013.start).getUTCFullYear(), 2013);
      assert.equal(new Date(y2020.start).getUTCFullYear(), 2020);
      // Each panel is binned for its own span: hours or less, not the 28-day bins of one 7-year axis.
      for (const s of chart.segments) {
        assert.ok(s.binMs <= 3_600_000, `bin ${s.binMs} ms`);
        assert.ok(chart.histogram.slice(s.firstBin, s.firstBin + s.bins).some((b) => b.downloads > 0), 'a bar in each panel');
      }
    } finally {
      db.close();
    }
  });

  it('labels both bursts and states the break in the PDF', () => {
    const text = flat(pdfText(pdf));
    assert.match(text, /24 Mar 2013/);
    assert.match(text, /14 Sep 2020/);
    assert.match(text, /Axis broken: no downloads from 24 Mar 2013 \d\d:\d\d to 14 Sep 2020 \d\d:\d\d \(7\.\d years\), not drawn\./);
  });

  it('leaves no page but the last mostly empty', () => {
    assertNoMostlyBlankPage(pdf, 'real logs');
  });
});

describe('report of the sample case', () => {
  it('leaves no page but the last mostly empty, and keeps one panel for one burst', async () => {
    const dir = tempDir();
    const sample = writeSample(join(dir, 'evidence'));
    const casePath = join(dir, 'sample.trailmark');
    await importCase(casePath, [sample.dir]);
    const pdf = join(dir, 'report.pdf');
    await report(casePath, pdf);
    assert.ok(pdfPages(pdf) >= 3);
    assertNoMostlyBlankPage(pdf, 'sample');
    assert.doesNotMatch(flat(pdfText(pdf)), /Axis broken/);
  });
});
