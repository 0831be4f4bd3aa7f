// `npm run bench`: generates large synthetic evidence and prints throughput, latency and memory for
// ingestion, analysis queries, the UI and the board report. Sections and sizes can be chosen:
// BENCH_ONLY=ingest,analysis,refold,ui,report,verify,canonical,responsiveness,enrich (verify and ui reuse the cases ingest imports);
// BENCH_SCALE=400k|1M|10M (or BENCH_S3_LINES, BENCH_CT_RECORDS); BENCH_ROUNDS (interleaved import/DuckDB
// pairs), BENCH_FLOOR=1; BENCH_ANALYSIS_EVENTS (analysis: 1M, or 10M at BENCH_SCALE=10M), BENCH_REFOLD_REQUESTS, BENCH_REPORT_DOWNLOADS, BENCH_MARKED_EVENTS,
// BENCH_SERVICE_LINES and BENCH_SERVICE_IMPORT_ONLY (responsiveness), BENCH_ENRICH_LINES.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchAnalysis, benchRefold } from './analysis';
import { benchCanonical } from './canonical';
import { benchEnrich } from './enrich';
import { benchIngest, ingestSizes } from './ingest';
import { benchReport } from './report';
import { benchResponsiveness } from './responsiveness';
import type { Row } from './row';
import { benchUi } from './ui';
import { benchVerify } from './verify';

const print = (section: string, rows: Row[]) => {
  console.log(`\n== ${section}`);
  for (const r of rows) console.log(`${r.name.padEnd(48)} ${r.value}${r.note ? `   (${r.note})` : ''}`);
};

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'ingest,analysis,refold,ui,report,verify,canonical,responsiveness,enrich').split(','));
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? os.tmpdir(), 'trailmark-bench-'));
  console.log(`trailmark bench on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    let s3Case: string | null = null;
    let ctCase: string | null = null;
    if (only.has('ingest') || only.has('ui') || only.has('verify')) {
      const ingest = await benchIngest(work, ...ingestSizes());
      s3Case = ingest.s3Case;
      ctCase = ingest.ctCase;
      if (only.has('ingest')) print('ingestion', ingest.rows);
    }
    if (only.has('ui') && s3Case) {
      const ui = await benchUi(s3Case);
      print('UI (browser host, the access-log case above)', [
        { name: 'first timeline render', value: `${ui.firstRenderMs} ms`, note: 'target ≤ 1 s' },
        { name: 'most table rows in the DOM while scrolling', value: String(ui.maxDomRows), note: `target ≤ 200; ${ui.rowsScrolled.toLocaleString('en')} rows deep` },
        { name: 'timeline page fetch (median / p95 / max)', value: `${ui.pageMs.median.toFixed(1)} / ${ui.pageMs.p95.toFixed(1)} / ${ui.pageMs.max.toFixed(1)} ms`, note: `target ≤ 20 ms; ${ui.pages} pages` },
        { name: 'scrollbar seek, timeline:position (median / p95 / max)', value: `${ui.seekMs.median.toFixed(1)} / ${ui.seekMs.p95.toFixed(1)} / ${ui.seekMs.max.toFixed(1)} ms`, note: `${ui.seeks} seeks (Page Down ×20 on the rail, End)` },
        { name: 'page fetch after a seek (median / p95 / max)', value: `${ui.seekPageMs.median.toFixed(1)} / ${ui.seekPageMs.p95.toFixed(1)} / ${ui.seekPageMs.max.toFixed(1)} ms`, note: 'target ≤ 20 ms' },
      ]);
    }
    if (only.has('verify') && s3Case && ctCase) {
      print('verify (the cases above: every event normalized again, every derived table compared)', benchVerify([
        { label: 's3', casePath: s3Case }, { label: 'cloudtrail', casePath: ctCase },
      ]));
    }
    if (only.has('analysis')) print('analysis queries', await benchAnalysis(work));
    if (only.has('refold')) print('refold (a second source of the same requests)', await benchRefold(work));
    if (only.has('report')) print('board report', await benchReport(work));
    if (only.has('canonical')) print('canonical records (marked events read by the analysis)', await benchCanonical(work));
    if (only.has('responsiveness')) print('responsiveness (the service\'s thread while the case works)', await benchResponsiveness(work));
    if (only.has('enrich')) print('address context', await benchEnrich(work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
