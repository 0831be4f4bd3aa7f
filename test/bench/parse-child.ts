// The import's own parse threads (ParsePool) over the given files, batches taken as they come and
// nothing stored; prints their count, seconds and CPU-s. A process of its own: in the bench's, their
// heaps raised its peak RSS, which the import children forked after it inherit (Linux keeps the peak
// across exec), and the CloudTrail and hostile imports then showed ~150 MB more than they used.
import { ParsePool } from '../../main/import/parse-thread-client';
import { walk } from '../../main/ingest/walk';

async function main(): Promise<void> {
  const { files } = await walk([process.argv[2]]); // a folder: 10M trail records are 10,000 paths, too many for a command line
  const t0 = process.hrtime.bigint();
  const pool = new ParsePool();
  let events = 0;
  try {
    const jobs = files.map((f) => pool.start(f.path, f.size));
    for (const job of jobs) {
      await job.identified();
      for await (const b of job.batches()) events += b.count;
    }
  } finally {
    await pool.close();
  }
  const c = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ events, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6 })}\n`);
}

void main();
