// `trailmark verify` at the ingestion bench's scale: each 1M-event case imported there is verified in
// full — evidence re-hashed, custody, row digests, and every event normalized again from its raw
// record with downloads and summaries derived again and compared (main/integrity/rederive.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Row } from './row';

interface Measured { cpuSeconds: number; steps: Record<string, number>; seconds: number; rederiveSeconds: number | null; events: number; tables: number; verdict: string; problems: string[]; limits: string[]; maxRssMB: number }

export function benchVerify(cases: Array<{ label: string; casePath: string }>): Row[] {
  const rows: Row[] = [];
  for (const c of cases) {
    const child = spawnSync(process.execPath, [join(__dirname, 'verify-child.js'), c.casePath], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) {
      rows.push({ name: `${c.label}: verify`, value: 'FAILED', note: child.stderr.trim().split('\n').slice(-3).join(' ') });
      continue;
    }
    const m = JSON.parse(child.stdout) as Measured;
    rows.push({
      name: `${c.label}: verify, in all`, value: `${m.seconds.toFixed(1)} s`,
      note: `${m.cpuSeconds.toFixed(1)} CPU-s; verdict ${m.verdict}; target: a minute or two${m.problems.length ? `; ${m.problems.join(' | ')}` : ''}${m.limits.length ? `; not checked: ${m.limits.join(' | ')}` : ''}`,
    });
    rows.push({
      name: `${c.label}: of which re-derivation`, value: m.rederiveSeconds === null ? 'not run' : `${m.rederiveSeconds.toFixed(1)} s`,
      note: `${m.events.toLocaleString('en')} events normalized again, ${m.tables} tables and answers compared`,
    });
    rows.push({ name: `${c.label}: re-derivation steps`, value: Object.entries(m.steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ') });
    rows.push({ name: `${c.label}: verify peak RSS`, value: `${m.maxRssMB.toFixed(0)} MB` });
  }
  return rows;
}
