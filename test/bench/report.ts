// Board report time for a case with many downloads (default 10k; BENCH_REPORT_DOWNLOADS to change).
// Target: the whole `trailmark report` (model, HTML, Chromium PDF, custody) ≤ 10 s, on a case whose
// analysis is up to date (the refresh after an import is timed on its own line).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../main/cli/index';

import { updateAnalysis } from '../../main/case/analysis-update';
import { openReadable, openWritable } from '../../main/case/db';
import { importPaths } from '../../main/import/run-import';
import { renderReportHtml } from '../../main/report/html';
import { caseAnalysis, reportModelFromCase } from '../../main/report/load';
import { printPdf } from '../../main/report/pdf';
import { largeCaseLines, writeSmallCase } from '../unit/report/evidence';
import { secondsSince } from './clock';
import type { Row } from './row';

export async function benchReport(work: string, downloads = Number(process.env.BENCH_REPORT_DOWNLOADS ?? 10_000)): Promise<Row[]> {
  const dir = join(work, 'report');
  mkdirSync(dir, { recursive: true });
  const { trail } = writeSmallCase(join(dir, 'evidence'));
  const log = join(dir, 'evidence', 'downloads.log');
  writeFileSync(log, `${largeCaseLines(downloads).join('\n')}\n`);
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [log, trail]);

  // The first reader after an import brings the analysis summaries up to date; timed apart from the report.
  let t0 = process.hrtime.bigint();
  const writable = openWritable(casePath);
  updateAnalysis(writable);
  writable.close();
  const refreshSecs = secondsSince(t0);

  const quiet = { out: () => {}, err: (s: string) => process.stderr.write(s), isTTY: false };
  const pdf = join(dir, 'report.pdf');
  t0 = process.hrtime.bigint();
  const code = await main(['report', '--case', casePath, '--out', pdf, '--date', '2017-08-20T10:00:00Z'], quiet);
  const total = secondsSince(t0);
  if (code !== 0) throw new Error(`trailmark report exited ${code}`);
  // Chromium's print time grows faster than the row count; a shorter table (the export has every row) is the lever.
  t0 = process.hrtime.bigint();
  await main(['report', '--case', casePath, '--out', join(dir, 'short.pdf'), '--table-limit', '5000'], quiet);
  const shortTotal = secondsSince(t0);

  // The parts, on the now up-to-date case.
  const db = openReadable(casePath);
  t0 = process.hrtime.bigint();
  const model = reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z' }, caseAnalysis(db));
  const modelSecs = secondsSince(t0);
  t0 = process.hrtime.bigint();
  const html = renderReportHtml(model);
  const htmlSecs = secondsSince(t0);
  db.close();
  t0 = process.hrtime.bigint();
  await printPdf(html, join(dir, 'again.pdf'));
  const pdfSecs = secondsSince(t0);
  const pages = /^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1] ?? '?';
  return [
    { name: `report, ${downloads.toLocaleString('en')} downloads: total`, value: `${total.toFixed(2)} s`, note: `target ≤ 10 s${total <= 10 ? '' : ' — MISSED'}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs` },
    { name: 'report, same case, --table-limit 5000', value: `${shortTotal.toFixed(2)} s` },
    { name: 'report: analysis refresh after import', value: `${refreshSecs.toFixed(2)} s`, note: 'not part of the total' },
    { name: 'report: model (queries + one pass)', value: `${modelSecs.toFixed(2)} s` },
    { name: 'report: HTML', value: `${htmlSecs.toFixed(2)} s`, note: `${(html.length / 1e6).toFixed(1)} MB` },
    { name: 'report: Chromium PDF (launch + print)', value: `${pdfSecs.toFixed(2)} s`, note: `${pages} pages, ${(statSync(pdf).size / 1e6).toFixed(1)} MB` },
  ];
}
