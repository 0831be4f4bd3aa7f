// Address context measured in a process of its own, so its memory is the data's alone: loading the
// ASN ranges, the country MMDB and AWS's ranges; a cold lookup per distinct address; and the cost of
// a million events' lookups through the per-address cache.
import { loadEnricher } from '../../main/enrich/context';
import { seeded } from '../support/synth';

const mb = (n: number) => n / 1048576;
const before = process.memoryUsage();
const t0 = process.hrtime.bigint();
const e = loadEnricher('/nonexistent-user-data');
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
const after = process.memoryUsage();

let t = process.hrtime.bigint();
e.lookup('2001:4860:4860::8888');
const v6LoadMs = Number(process.hrtime.bigint() - t) / 1e6;
const withV6 = process.memoryUsage();
e.clearCache();

const rand = seeded(7);
const addr = () => `${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 254) + 1}`;
const distinct = Array.from({ length: 100_000 }, addr);
t = process.hrtime.bigint();
for (const ip of distinct) e.lookup(ip);
const coldUs = Number(process.hrtime.bigint() - t) / 1e3 / distinct.length;

const perMillion = (pool: string[]): number => {
  e.clearCache(); // the million includes each address's first lookup
  const start = process.hrtime.bigint();
  for (let i = 0; i < 1_000_000; i++) e.lookup(pool[i % pool.length]);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const ms300 = perMillion(distinct.slice(0, 300));
const ms100k = perMillion(distinct);


process.stdout.write(`${JSON.stringify({
  loadMs, rssMB: mb(after.rss - before.rss), heapMB: mb(after.heapUsed - before.heapUsed), buffersMB: mb(after.arrayBuffers - before.arrayBuffers),
  coldUs, ms300, ms100k, v6LoadMs, v6RssMB: mb(withV6.rss - after.rss),
})}\n`);
