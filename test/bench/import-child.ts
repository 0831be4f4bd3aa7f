// Runs one import exactly as the CLI does (import worker + parse worker) and prints its measurements;
// a separate process so its peak RSS is the import's alone.
import { startImport } from '../../main/import/job';

async function main(): Promise<void> {
  const [casePath, ...paths] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const summary = await startImport(casePath, paths).done;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = summary.files.filter((f) => f.status !== 'imported');
  process.stdout.write(`${JSON.stringify({ seconds, events: summary.events, rejected: summary.rejected, failed: failed.length, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
