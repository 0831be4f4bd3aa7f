// Runs `trailmark verify` on one case exactly as the CLI does and prints its measurements; a separate
// process so its peak RSS is verify's alone.
import { verifyCase } from '../../main/integrity/verify-case';

async function main(): Promise<void> {
  const [casePath] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const r = await verifyCase(casePath);
  const cpu = process.cpuUsage();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify({
    seconds, rederiveSeconds: r.rederived?.seconds ?? null, events: r.rederived?.events ?? 0, tables: r.rederived?.tables.length ?? 0, steps: r.rederived?.steps ?? {},
    verdict: r.verdict, problems: r.problems.slice(0, 5), limits: r.limits.slice(0, 5), maxRssMB: process.resourceUsage().maxRSS / 1024, cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`);
}

void main();
