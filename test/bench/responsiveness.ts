// Does the service's thread stay free while the case works? Over a generated access-log case
// (default 1M lines; BENCH_SERVICE_LINES to change) this times notes added while the import runs
// (request to committed answer) and the longest event-loop stall of the thread that calls the service
// (perf_hooks.monitorEventLoopDelay) while importing, building the report's HTML, exporting and
// validating. Targets: notes p95 < 200 ms; no stall > 50 ms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ImportProgress } from '../../shared/api';
import { CaseService } from '../../main/service';
import { writeAccessLogs } from './generate';
import type { Row } from './row';

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Runs `work` while watching this thread's event loop; the longest stall in ms. */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ value: T; maxMs: number; seconds: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  // The monitor's first tick only starts its clock: a stall before it would go unseen.
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - t0) / 1000;
    // A stall is recorded when the monitor's timer finally runs: give it the turns to do so.
    await new Promise((r) => setTimeout(r, 50));
    return { value, maxMs: h.max / 1e6, seconds };
  } finally {
    h.disable();
  }
}

const verdict = (ms: number, target: number) => `target < ${target} ms${ms < target ? '' : ' — MISSED'}`;

export async function benchResponsiveness(work: string, lines = Number(process.env.BENCH_SERVICE_LINES ?? 1_000_000)): Promise<Row[]> {
  const dir = join(work, 'responsiveness');
  const evidence = join(dir, 'evidence');
  mkdirSync(evidence, { recursive: true });
  writeAccessLogs(evidence, lines);
  const keys = join(dir, 'keys.json');
  writeFileSync(keys, JSON.stringify({ PublicKeyList: [] }));
  const service = new CaseService({ examiner: 'bench' });
  const rows: Row[] = [];
  try {
    await service.invoke('case:create', { path: join(dir, 'case.sqlite'), name: 'responsiveness' });
    // What this machine does to an idle thread: stalls above this are the work's, not the scheduler's.
    const idle = await stallDuring(() => new Promise((r) => setTimeout(r, 5000)));
    rows.push({ name: 'longest stall of an idle thread (noise floor)', value: `${idle.maxMs.toFixed(0)} ms`, note: 'the same 5 ms timer, 5 s, nothing running' });
    const latencies: number[] = [];
    const byPhase = new Map<string, number[]>();
    const failures: string[] = [];
    let phase = '';
    let longest = { ms: 0, phase: '' };
    const imported = await stallDuring(async () => {
      const finished = new Promise<ImportProgress>((resolve) => {
        const off = service.onProgress((p) => {
          phase = p.message ?? p.phase;
          if (p.summary || p.phase === 'failed') { off(); resolve(p); }
        });
      });
      await service.invoke('import:start', { paths: [evidence] });
      let done = false;
      void finished.then(() => { done = true; });
      // A note every 250 ms, as an investigator's clicks would come, until the import ends.
      for (let i = 0; !done; i++) {
        const t0 = performance.now();
        const during = phase;
        try {
          await service.invoke('notes:add', { target: { type: 'actor', id: 'anonymous' }, text: `note ${i} during the import` });
          const ms = performance.now() - t0;
          latencies.push(ms);
          byPhase.set(during, [...(byPhase.get(during) ?? []), ms]);
          if (ms > longest.ms) longest = { ms, phase: during };
        } catch (err) {
          failures.push((err as Error).message);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      return finished;
    });
    const p = imported.value;
    if (p.phase === 'failed') throw new Error(`import failed: ${p.message}`);
    rows.push({ name: `import, ${lines.toLocaleString('en')} lines`, value: `${imported.seconds.toFixed(1)} s`, note: `${p.summary?.events.toLocaleString('en')} events` });
    rows.push({
      name: 'note during the import (p50 / p95 / max)',
      value: `${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 95).toFixed(0)} / ${Math.max(...latencies).toFixed(0)} ms`,
      note: `${verdict(percentile(latencies, 95), 200)}; ${latencies.length} notes, the longest sent while ${longest.phase || '?'}${failures.length ? `; ${failures.length} FAILED (${failures[0].slice(0, 60)})` : ''}`,
    });
    const analysing = byPhase.get('updating the analysis') ?? [];
    rows.push({
      name: 'note while updating the analysis (p50 / p95 / max)',
      value: analysing.length ? `${percentile(analysing, 50).toFixed(0)} / ${percentile(analysing, 95).toFixed(0)} / ${Math.max(...analysing).toFixed(0)} ms` : 'none sent',
      note: `${analysing.length} notes sent in that phase`,
    });
    rows.push({ name: 'longest stall of the service thread: import', value: `${imported.maxMs.toFixed(0)} ms`, note: verdict(imported.maxMs, 50) });
    // BENCH_SERVICE_IMPORT_ONLY=1: the import's figures alone (the steps below take minutes on a busy machine).
    if (process.env.BENCH_SERVICE_IMPORT_ONLY) return rows;
    const report = await stallDuring(() => service.invoke('report:render', { date: '2017-09-01T00:00:00Z' }));
    rows.push({ name: 'longest stall: report model + HTML', value: `${report.maxMs.toFixed(0)} ms`, note: `${verdict(report.maxMs, 50)}; ${report.seconds.toFixed(1)} s, ${report.value.downloads.toLocaleString('en')} downloads` });
    const exported = await stallDuring(() => service.invoke('export:timeline', { format: 'csv', path: join(dir, 'timeline.csv'), filter: {} }));
    rows.push({ name: 'longest stall: export CSV', value: `${exported.maxMs.toFixed(0)} ms`, note: `${verdict(exported.maxMs, 50)}; ${exported.seconds.toFixed(1)} s, ${exported.value.rows.toLocaleString('en')} rows` });
    const validated = await stallDuring(() => service.invoke('integrity:validate', { keysPath: keys }));
    rows.push({ name: 'longest stall: integrity validation', value: `${validated.maxMs.toFixed(0)} ms`, note: `${verdict(validated.maxMs, 50)}; ${validated.seconds.toFixed(1)} s` });
  } finally {
    await Promise.resolve(service.close());
  }
  return rows;
}
