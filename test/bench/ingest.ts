// Ingestion: Trailmark's import end to end beside DuckDB loading the same files in the same run
// (interleaved), with both files' sizes, both peak RSS and the import's phases. Targets: CloudTrail
// ≥ 1.0× DuckDB, access logs ≥ 0.6× (aim 1.0×), case file ≤ 2× DuckDB's, peak RSS < 400 MB. With
// BENCH_FLOOR=1 also the bare parse limits and SQLite's floor (sqlite-bare.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tokenize } from '../../main/ingest/formats/s3-access-log';
import { parseFile } from '../../main/ingest/parse-file';
import { examine, parseableFormat } from '../../main/import/parse-contract';
import { walk } from '../../main/ingest/walk';
import type { NormalizedEvent } from '../../shared/events';
import { secondsSince } from './clock';
import { writeAccessLogs, writeHostileTrailFile, writeTrailFiles } from './generate';
import { floorSeconds, sqliteBare } from './sqlite-bare';

import type { Row } from './row';

const rate = (n: number, s: number) => Math.round(n / s);
const fmt = (n: number) => n.toLocaleString('en');

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, secondsSince(t0)];
}

/** The parse worker's road, in one thread with nothing written: identify each file (sniff, hash), then parse it. */
async function* parsedBatches(files: string[]): AsyncGenerator<NormalizedEvent[]> {
  for (const f of files) {
    const { facts, whole } = await examine(f);
    if (facts.kind !== 'evidence' || !facts.parse) throw new Error(`${f} is not evidence to parse`);
    for await (const b of parseFile(f, parseableFormat(facts.format), { whole })) yield b.events;
  }
}

async function parseOnly(files: string[]): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for await (const events of parsedBatches(files)) n += events.length;
  return [n, secondsSince(t0)];
}

/** The most an import of this data model could reach here: the bare parse beside SQLite's floor (sqlite-bare.ts). */
async function ceiling(b: ImportBench, records: number): Promise<Row[]> {
  const bare = sqliteBare(`${b.casePath}-bare`);
  for await (const events of parsedBatches(b.files)) bare.add(events);
  const s = bare.done();
  const best = records / floorSeconds(s.floor, b.bareSeconds);
  return [
    {
      name: `${b.label} sqlite bare: plain insert of raw rows`, value: `${fmt(rate(records, s.plainSeconds))} rows/s`,
      note: 'raw text, time, actor, bucket, key, request id; four indexes kept up; records parsed untimed',
    },
    {
      name: `${b.label} sqlite floor: what the indexes hold`,
      value: s.floor.map((p) => `${p.liveSeconds.toFixed(1)} s kept up or ${p.loadSeconds.toFixed(1)} + ${p.buildSeconds.toFixed(1)} s`).join('; '),
      note: 'events by time and natural key, with the fields downloads come from; downloads derived from them in SQL, with their four indexes; nothing else',
    },
    {
      name: `${b.label} ceiling: ${b.bareName} ∥ sqlite floor`,
      value: `${fmt(Math.round(best))} ${b.unit}/s = ${((100 * best) / b.bareRate).toFixed(0)}% of ${b.bareName}`,
      note: `perfect overlap on two cores: no import of this data model passes this here; target ${b.target}%`,
    },
  ];
}

interface ChildResult { seconds: number; analysisSeconds: number; steps: Record<string, number>; events: number; rejected: number; failed: number; cpuSeconds: number; maxRssMB: number }
interface DuckResult { seconds: number; rows: number; cpuSeconds: number; maxRssMB: number }

const child = <T>(script: string, args: string[]): T => {
  const out = execFileSync(process.execPath, [join(__dirname, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
};

const caseSize = (p: string) => ['', '-wal'].reduce((n, s) => { try { return n + statSync(p + s).size; } catch { return n; } }, 0);

interface ImportBench {
  label: string; unit: string; files: string[]; dir: string; casePath: string; records: number;
  /** What DuckDB reads: a glob over the same files. */
  duckKind: 's3' | 'ct'; duckGlob: string;
  /** The bare limit measured in the same run, its seconds for all the records, and the share of it (%) the import should reach. */
  bareRate: number; bareSeconds: number; bareName: string; target: number;
}

const range = (xs: number[], digits = 0) => {
  const lo = Math.min(...xs).toLocaleString('en', { maximumFractionDigits: digits });
  const hi = Math.max(...xs).toLocaleString('en', { maximumFractionDigits: digits });
  return lo === hi ? lo : `${lo}–${hi}`;
};

/** Trailmark's import and DuckDB's load of the same files, interleaved (the order flips each round), end to end in child processes. */
async function measureImport(b: ImportBench, rounds: number, floor: boolean): Promise<{ rows: Row[]; result: ChildResult; casePath: string }> {
  const ours: ChildResult[] = [];
  const theirs: DuckResult[] = [];
  const sizes: number[] = [];
  const duckSizes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const duckPath = `${b.casePath}.duckdb`;
    const runOurs = () => {
      rmSync(b.casePath, { force: true });
      // End to end: process start until the case answers the timeline, summaries and exposure.
      ours.push(child<ChildResult>('import-child.js', [b.casePath, b.dir]));
      sizes.push(caseSize(b.casePath));
    };
    const runTheirs = () => {
      rmSync(duckPath, { force: true });
      theirs.push(child<DuckResult>('duckdb-child.js', [b.duckKind, duckPath, b.duckGlob]));
      duckSizes.push(statSync(duckPath).size);
      rmSync(duckPath, { force: true });
    };
    if (round % 2 === 0) { runOurs(); runTheirs(); } else { runTheirs(); runOurs(); }
  }
  const r = ours[ours.length - 1];
  const ourRates = ours.map((o) => o.events / o.seconds);
  const duckRates = theirs.map((d) => d.rows / d.seconds);
  const ratios = ours.map((_, i) => ourRates[i] / duckRates[i]);
  const mb = (n: number) => n / 1e6;
  const closing = Object.values(r.steps).reduce((a, v) => a + v, 0);
  const phases = [`storing ${(r.seconds - closing).toFixed(1)}`, ...Object.entries(r.steps).map(([k, v]) => `${k} ${v.toFixed(1)}`)].join(' / ');
  const rows: Row[] = [
    { name: `${b.label} Trailmark import, end to end`, value: `${range(ourRates)} ${b.unit}/s`, note: `${range(ours.map((o) => o.seconds), 1)} s; process start until timeline, summaries and exposure answer` },
    { name: `${b.label} DuckDB CREATE TABLE AS, raw kept`, value: `${range(duckRates)} ${b.unit}/s`, note: `${range(theirs.map((d) => d.seconds), 1)} s; ${theirs[0].rows.toLocaleString('en')} rows; default threads` },
    // On a shared machine the processor time says more than the clock: the two differ by the load.
    { name: `${b.label} CPU-s Trailmark / DuckDB`, value: `${range(ours.map((o) => o.cpuSeconds), 1)} / ${range(theirs.map((d) => d.cpuSeconds), 1)} s` },
    { name: `${b.label} ratio Trailmark / DuckDB`, value: `${range(ratios, 2)}×`, note: `target ${b.label === 's3' ? '≥ 0.6×, aim 1.0×' : '≥ 1.0×'}; ${rounds} interleaved round(s)` },
    { name: `${b.label} case file / DuckDB file`, value: `${range(sizes.map(mb))} / ${range(duckSizes.map(mb))} MB = ${range(sizes.map((s, i) => s / duckSizes[i]), 2)}×`, note: 'target ≤ 2×, aim ≤ 1×' },
    { name: `${b.label} peak RSS Trailmark / DuckDB`, value: `${range(ours.map((o) => o.maxRssMB))} / ${range(theirs.map((d) => d.maxRssMB))} MB`, note: 'target < 400 MB' },
    { name: `${b.label} import phases (s, last round)`, value: phases, note: 'storing is parse and write overlapped' },
  ];
  if (floor) {
    const [parsed, parseS] = await parseOnly(b.files);
    rows.push({ name: `${b.label} parse only (identify, hash, parse)`, value: `${fmt(rate(parsed, parseS))} ${b.unit}/s`, note: 'one thread, nothing stored' });
    // The import's own parse threads (a second one for a large uncompressed line file), nothing stored:
    // against the storing phase, whether the parse or the writer bounds it.
    const threads = child<{ events: number; seconds: number; cpuSeconds: number }>('parse-child.js', [b.dir]);
    rows.push({
      name: `${b.label} the import's parse threads alone`, value: `${fmt(rate(threads.events, threads.seconds))} ${b.unit}/s`,
      note: `${threads.seconds.toFixed(1)} s, ${threads.cpuSeconds.toFixed(1)} CPU-s, nothing stored: against the storing phase, the parse's share of it`,
    });
    rows.push(...(await ceiling(b, parsed)));
  }
  return { rows, result: r, casePath: b.casePath };
}

const SCALES: Record<string, [number, number]> = { '400k': [400_000, 200_000], '1M': [1_000_000, 1_000_000], '10M': [10_000_000, 10_000_000] };

/** Access-log lines and trail records to generate: BENCH_SCALE (400k, 1M or 10M), or BENCH_S3_LINES / BENCH_CT_RECORDS. */
export function ingestSizes(): [number, number] {
  const [s3, ct] = SCALES[process.env.BENCH_SCALE ?? '400k'] ?? SCALES['400k'];
  return [Number(process.env.BENCH_S3_LINES ?? s3), Number(process.env.BENCH_CT_RECORDS ?? ct)];
}

/** Also returns the two cases, which the UI bench (the access-log case, s3Lines events) and the verify bench reuse. */
export async function benchIngest(work: string, s3Lines: number, ctRecords: number): Promise<{ rows: Row[]; s3Case: string; ctCase: string }> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
  // SQLite's floor and the bare parse: BENCH_FLOOR=1 (they parse every file twice more).
  const floor = process.env.BENCH_FLOOR === '1';
  const rows: Row[] = [];
  const s3Dir = join(work, 's3');
  const ctDir = join(work, 'ct');
  // As the issue measured: the access logs in one file, the trail records in files of 1,000.
  const [s3Gen, s3GenS] = time(() => writeAccessLogs(s3Dir, s3Lines, s3Lines));
  const [ctGen, ctGenS] = time(() => writeTrailFiles(ctDir, ctRecords, 1000));
  rows.push({ name: 'generated', value: `${fmt(s3Lines)} access-log lines (${s3Gen.files} file(s), ${(s3Gen.bytes / 1e6).toFixed(0)} MB) in ${s3GenS.toFixed(1)} s; ${fmt(ctRecords)} CloudTrail records (${ctGen.files} .json.gz, ${(ctGen.bytes / 1e6).toFixed(0)} MB) in ${ctGenS.toFixed(1)} s` });

  // S3 access logs
  const s3Files = readdirSync(s3Dir).map((f) => join(s3Dir, f));
  // Like the CloudTrail bare limit (which includes gunzip), the text is read from the files in the timed region.
  const fields: string[] = [];
  const [, tokS] = floor ? time(() => {
    let n = 0;
    for (const f of s3Files) {
      const text = readFileSync(f, 'utf8');
      let start = 0;
      let nl: number;
      while ((nl = text.indexOf('\n', start)) !== -1) { tokenize(text.slice(start, nl), fields); n++; start = nl + 1; }
    }
    return n;
  }) : [0, 0];
  const tokRate = rate(s3Lines, tokS);
  if (floor) rows.push({ name: 's3 bare: read + tokenizer (slice every field)', value: `${fmt(tokRate)} lines/s` });
  const s3 = await measureImport({ label: 's3', unit: 'lines', files: s3Files, dir: s3Dir, casePath: join(work, 's3.sqlite'), records: s3Lines,
    duckKind: 's3', duckGlob: join(s3Dir, '*'), bareRate: tokRate, bareSeconds: tokS, bareName: 'tokenizer', target: 50 }, rounds, floor);
  rows.push(...s3.rows);

  // CloudTrail
  const ctFiles = (await walk([ctDir])).files.map((f) => f.path);
  const [, bareS] = floor ? time(() => {
    let n = 0;
    for (const f of ctFiles) n += (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
    return n;
  }) : [0, 0];
  const bareRate = rate(ctRecords, bareS);
  if (floor) rows.push({ name: 'cloudtrail bare: gunzip + JSON.parse', value: `${fmt(bareRate)} records/s` });
  const ct = await measureImport({ label: 'cloudtrail', unit: 'records', files: ctFiles, dir: ctDir, casePath: join(work, 'ct.sqlite'), records: ctRecords,
    duckKind: 'ct', duckGlob: join(ctDir, '**', '*.json.gz'), bareRate, bareSeconds: bareS, bareName: 'gunzip+JSON.parse', target: 80 }, rounds, floor);
  rows.push(...ct.rows);
  // Hostile input: a 600 KB trail file inflating to one record with a 600 MB user agent, beside a good one.
  const hostileDir = join(work, 'hostile');
  mkdirSync(hostileDir);
  const hostileBytes = await writeHostileTrailFile(join(hostileDir, 'hostile.json.gz'), Number(process.env.BENCH_HOSTILE_MB ?? 600));
  copyFileSync(ctFiles[0], join(hostileDir, 'good.json.gz'));
  const h = child<ChildResult>('import-child.js', [join(work, 'hostile.sqlite'), hostileDir]);
  rows.push({
    name: 'hostile trail file (600 MB user agent), import', value: `${h.seconds.toFixed(1)} s, peak RSS ${h.maxRssMB.toFixed(0)} MB`,
    note: `${(hostileBytes / 1e3).toFixed(0)} KB of gzip; ${h.rejected} rejected, ${h.events} events of the good file beside it kept; was 497 s and 3.8 GB`,
  });
  if (s3.result.failed || ct.result.failed || s3.result.events !== s3Lines || ct.result.events !== ctRecords) {
    rows.push({ name: 'WARNING', value: `imports stored ${s3.result.events}/${s3Lines} and ${ct.result.events}/${ctRecords} events` });
  }
  return { rows, s3Case: s3.casePath, ctCase: ct.casePath };
}
