// `BENCH_ONLY=enrich`: what address context costs. The data's load time and memory, a lookup per
// distinct address, a million events through the cache, and in a real import of access logs the
// step that looks up the new addresses, against the import's own time.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openWritable } from '../../main/case/db';
import { rebuildIpContext, updateIpContext } from '../../main/case/ip-context';
import { writeAccessLogs } from './generate';
import type { Row } from './row';

const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function benchEnrich(work: string, lines = Number(process.env.BENCH_ENRICH_LINES ?? 1_000_000)): Promise<Row[]> {
  const c = JSON.parse(execFileSync(process.execPath, [join(__dirname, 'enrich-child.js')], { encoding: 'utf8' }).trim()) as Record<string, number>;
  const rows: Row[] = [
    { name: 'load ASN ranges + country MMDB + AWS ranges', value: `${fmt(c.loadMs)} ms`, note: `RSS +${fmt(c.rssMB)} MB (heap +${fmt(c.heapMB, 1)} MB, buffers +${fmt(c.buffersMB, 1)} MB)` },
    { name: 'IPv6 ASN ranges, loaded at the first IPv6 lookup', value: `${fmt(c.v6LoadMs)} ms`, note: `RSS +${fmt(c.v6RssMB)} MB` },
    { name: 'lookup of a new address (100k distinct IPv4)', value: `${fmt(c.coldUs, 2)} µs` },
    { name: '1M events from 300 addresses (cache per address)', value: `${fmt(c.ms300)} ms per million` },
    { name: '1M events from 100k addresses', value: `${fmt(c.ms100k)} ms per million` },
  ];

  const dir = join(work, 'enrich-s3');
  writeAccessLogs(dir, lines);
  const casePath = join(work, 'enrich.sqlite');
  const out = execFileSync(process.execPath, [join(__dirname, 'import-child.js'), casePath, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; steps: Record<string, number>; events: number };
  const step = r.steps['looking up addresses'] ?? 0;
  rows.push({
    name: `import of ${fmt(r.events)} access-log lines`, value: `${r.seconds.toFixed(1)} s`,
    note: `of which looking up its addresses ${(step * 1000).toFixed(0)} ms = ${((100 * step) / r.seconds).toFixed(1)}% (load of the data included)`,
  });
  const db = openWritable(casePath);
  try {
    let t = process.hrtime.bigint();
    const again = rebuildIpContext(db);
    const rebuildMs = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    updateIpContext(db);
    const noopMs = Number(process.hrtime.bigint() - t) / 1e6;
    rows.push({ name: 'ip_context rebuilt from all the events', value: `${fmt(rebuildMs)} ms`, note: `${fmt(again.scannedEvents)} events scanned, ${fmt(again.newAddresses)} addresses, data already loaded` });
    rows.push({ name: 'ip_context update with nothing new', value: `${fmt(noopMs, 2)} ms` });
  } finally {
    db.close();
  }
  return rows;
}
