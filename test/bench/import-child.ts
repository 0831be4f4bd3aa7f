// Runs one import exactly as the CLI does (import worker + parse worker) and prints its measurements;
// a separate process so its peak RSS is the import's alone.
import { startImport } from '../../main/import/job';

async function main(): Promise<void> {
  const [casePath, ...paths] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  // The import's closing steps report themselves by message; each one's time is shown apart.
  const steps: Record<string, number> = {};
  let current: { message: string; from: bigint } | null = null;
  const close = (now: bigint) => { if (current) steps[current.message] = (steps[current.message] ?? 0) + Number(now - current.from) / 1e9; };
  const summary = await startImport(casePath, paths, {
    onProgress: (p) => {
      if ((p.message ?? null) === (current?.message ?? null)) return;
      const now = process.hrtime.bigint();
      close(now);
      current = p.message ? { message: p.message, from: now } : null;
    },
  }).done;
  const end = process.hrtime.bigint();
  close(end);
  const analysisSeconds = steps['updating the analysis'] ?? 0;
  // End to end: the analysis is part of it, since the case answers its summaries only once folded.
  const seconds = Number(end - started) / 1e9;
  const failed = summary.files.filter((f) => f.status !== 'imported');
  process.stdout.write(`${JSON.stringify({ seconds, analysisSeconds, steps, events: summary.events, rejected: summary.rejected, failed: failed.length, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
