// Runs one import exactly as the app and the CLI do — through the case service into its case worker,
// which parses in a parse worker — and prints its measurements; a separate process so its peak RSS
// (and its CPU time, every thread's) is the import's alone.
import type { ImportProgress } from '../../shared/api';
import { CaseService } from '../../main/service';

async function main(): Promise<void> {
  const [casePath, ...paths] = process.argv.slice(2);
  const service = new CaseService();
  const started = process.hrtime.bigint();
  // The import's closing steps report themselves by message; each one's time is shown apart.
  const steps: Record<string, number> = {};
  let current: { message: string; from: bigint } | null = null;
  const close = (now: bigint) => { if (current) steps[current.message] = (steps[current.message] ?? 0) + Number(now - current.from) / 1e9; };
  const finished = new Promise<ImportProgress>((resolve) => {
    service.onProgress((p) => {
      const now = process.hrtime.bigint();
      if (p.summary || p.phase === 'failed') {
        close(now);
        resolve(p);
      } else if ((p.message ?? null) !== (current?.message ?? null)) {
        close(now);
        current = p.message ? { message: p.message, from: now } : null;
      }
    });
  });
  await service.invoke('case:create', { path: casePath });
  await service.invoke('import:start', { paths });
  const last = await finished;
  const end = process.hrtime.bigint();
  await service.close();
  if (!last.summary) throw new Error(`the import failed: ${last.message}`);
  const summary = last.summary;
  const analysisSeconds = steps['updating the analysis'] ?? 0;
  // End to end: the analysis is part of it, since the case answers its summaries only once folded.
  const seconds = Number(end - started) / 1e9;
  const failed = summary.files.filter((f) => f.status !== 'imported');
  process.stdout.write(`${JSON.stringify({ seconds, analysisSeconds, steps, events: summary.events, rejected: summary.rejected, failed: failed.length, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
