// `npm run bench`: generates large synthetic evidence and prints throughput, latency and memory.
// Sizes can be lowered for a quick look: BENCH_S3_LINES, BENCH_CT_RECORDS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchIngest, type Row } from './ingest';

async function main(): Promise<void> {
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'trailmark-bench-'));
  const s3Lines = Number(process.env.BENCH_S3_LINES ?? 1_000_000);
  const ctRecords = Number(process.env.BENCH_CT_RECORDS ?? 1_000_000);
  const print = (section: string, rows: Row[]) => {
    console.log(`\n== ${section}`);
    for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.value}${r.note ? `   (${r.note})` : ''}`);
  };
  try {
    print('ingestion', await benchIngest(work, s3Lines, ctRecords));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
