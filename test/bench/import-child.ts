// Runs one import exactly as the CLI does (import worker + parse worker) and prints its measurements;
// a separate process so its peak RSS is the import's alone.
import { startImport } from '../../main/import/job';

async function main(): Promise<void> {
  const [casePath, ...paths] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  // The import reports its last step ('updating the analysis'); its time is shown apart from the import's own.
  let analysisFrom: bigint | null = null;
  const summary = await startImport(casePath, paths, {
    onProgress: (p) => { if (p.message === 'updating the analysis' && analysisFrom === null) analysisFrom = process.hrtime.bigint(); },
  }).done;
  const end = process.hrtime.bigint();
  const seconds = Number((analysisFrom ?? end) - started) / 1e9;
  const analysisSeconds = analysisFrom === null ? 0 : Number(end - analysisFrom) / 1e9;
  const failed = summary.files.filter((f) => f.status !== 'imported');
  process.stdout.write(`${JSON.stringify({ seconds, analysisSeconds, events: summary.events, rejected: summary.rejected, failed: failed.length, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
