// Analysis at scale: a case of N events (default 1M, 10M with BENCH_SCALE=10M, or BENCH_ANALYSIS_EVENTS:
// half access-log lines, half CloudTrail records of the same requests) written straight into SQLite,
// then the summaries folded in, rebuilt from scratch (issue 17's target: 10M in under a minute), and
// the hot queries timed. Then the refold: an access log imported, then a trail of the same requests,
// whose import merges into every download and refolds the actors (BENCH_REFOLD_REQUESTS, default
// 200k). Called by run.ts as benchAnalysis(workDir) and benchRefold(workDir); alone: node dist/test/bench/analysis.js.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { histogramFor } from '../../main/case/analysis-api';
import { actorSummaries, analysisConditions, analysisSummary, computeExposure, objectSummaries } from '../../main/case/analysis';
import { rebuildAnalysis, updateAnalysis } from '../../main/case/analysis-update';
import { nextSlot, requestHash } from '../../main/case/request-hash';
import { importPaths } from '../../main/import/run-import';
import { loadavg } from 'node:os';
import { writeMergedSources } from './generate';
import { seeded } from '../support/synth';
import { openReadable, openWritable, type WritableDB } from '../../main/case/db';
import { timelinePage } from '../../main/case/timeline';
import { timelinePosition } from '../../main/case/timeline-position';
import { addNote } from '../../main/case/annotations';
import { exfilPatterns } from '../../main/case/patterns';
import type { TimelineFilter } from '../../shared/api';

import type { Row } from './row';

const BUCKET = 'acme-db-backups';
const START = Date.parse('2017-08-01T00:00:00Z');

/** Fills a case with `events` events and the downloads an import would derive from them. */
export function fill(db: WritableDB, events: number): { downloads: number } {
  const rand = seeded(42);
  const ext = ['.sql.gz', '.bak', '.dump', '.tar.gz', '.csv', '.json', '.png', '.html', '.pdf', '.txt'];
  const keys = Array.from({ length: 5000 }, (_, i) => `data/${i % 40}/obj-${i}${ext[i % ext.length]}`);
  const ips = Array.from({ length: 20_000 }, () => `${1 + Math.floor(rand() * 222)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 253)}`);
  const users = Array.from({ length: 50 }, (_, i) => `arn:aws:iam::111122223333:user/user-${i}`);
  db.prepare(`INSERT INTO evidence (id, path, origin, sha256, size, format, status, acquired_at, first_event) VALUES
    (1, '/bench/s3', '{}', 'a', 0, 's3-access-log', 'importing', '2017-08-01T00:00:00Z', 1),
    (2, '/bench/ct', '{}', 'b', 0, 'cloudtrail-file', 'importing', '2017-08-01T00:00:00Z', 1)`).run();
  // Rows as the import writes them (migration 018): the repeated texts as ids of their terms.
  const termIds = new Map<string, number>();
  const addTerm = db.prepare('INSERT INTO terms (text) VALUES (?)');
  const term = (text: string | number | null) => {
    if (text === null) return null;
    let id = termIds.get(text as string);
    if (id === undefined) termIds.set(text as string, (id = Number(addTerm.run(text).lastInsertRowid)));
    return id;
  };
  const CODED = [3, 4, 5, 7, 9]; // source, action, kind, actor_type, user_agent
  const insertRow = db.prepare(`INSERT INTO event_rows (id, time, nk, source, action, kind, actor, actor_type, source_ip, user_agent, bucket, key, status, bytes_sent, object_size, request_id, event_id, range, evidence_id, locator, raw_block, raw_at, raw_len)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertEvent = { run: (...v: Array<string | number | null>) => insertRow.run(...v.map((x, i) => (CODED.includes(i) ? term(x) : x))) };
  const insertBlock = db.prepare('INSERT INTO raw_blocks (id, evidence_id, bytes) VALUES (?, ?, ?)');
  // Raw records in blocks of 256 of one file's records, as an import stores them; an event is inserted
  // with its block, and downloads after their events.
  let blockId = 0;
  const pending = new Map<number, Array<{ values: Array<string | number | null>; raw: string }>>();
  const flush = (evidence: number) => {
    const events = pending.get(evidence) ?? [];
    if (!events.length) return;
    insertBlock.run(++blockId, evidence, Buffer.from(events.map((e) => e.raw).join('\n')));
    let at = 0;
    for (const e of events) {
      const len = Buffer.byteLength(e.raw);
      insertEvent.run(...e.values, blockId, at, len);
      at += len + 1;
    }
    pending.set(evidence, []);
  };
  const flushAll = () => { for (const evidence of pending.keys()) flush(evidence); };
  const ev = (...values: Array<string | number | null>) => {
    const evidence = values[18] as number;
    if (!pending.has(evidence)) pending.set(evidence, []);
    const events = pending.get(evidence)!;
    events.push({ values: values.slice(0, 20), raw: values[20] as string });
    if (events.length === 256) flush(evidence);
  };
  // The ledger's row (migration 016): the rest of a download is read from its two events. A request
  // whose hash is taken moves on to the next value, as derivation does.
  // Its actor and object are ids into the ledger's dictionaries (migration 017).
  const ledger = db.prepare(`INSERT INTO download_ledger (id, rk, time, actor_id, source_ip, object_id, sources, s3_event_id, ct_event_id, observations)
    VALUES (?, ?, ?, ?, ?, ?, 3, ?, ?, 2)`);
  const addActor = db.prepare('INSERT INTO ledger_actors (actor) VALUES (?)');
  const addObject = db.prepare('INSERT INTO ledger_objects (bucket, key) VALUES (?, ?)');
  const actorIds = new Map<string, number>();
  const objectIds = new Map<string, number>();
  const actorId = (actor: string) => actorIds.get(actor) ?? actorIds.set(actor, Number(addActor.run(actor).lastInsertRowid)).get(actor)!;
  const objectId = (bucket: string, key: string) =>
    objectIds.get(`${bucket}/${key}`) ?? objectIds.set(`${bucket}/${key}`, Number(addObject.run(bucket, key).lastInsertRowid)).get(`${bucket}/${key}`)!;
  const dl = {
    run: (id: number, _key: string, time: number, actor: string, ip: string, _agent: string, bucket: string, key: string, _bytes: number, _size: number,
      _status: number, _range: string | null, requestId: string, s3id: number, ctid: number) => {
      for (let rk = requestHash(requestId, bucket, key, s3id); ; rk = nextSlot(rk)) {
        try {
          return ledger.run(id, rk, time, actorId(actor), ip, objectId(bucket, key), s3id, ctid);
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
        }
      }
    },
  };
  let t = START;
  let id = 0;
  let downloads = 0;
  const batch = 100_000;
  for (let done = 0; done < events;) {
    const downloadRows: Array<Array<string | number | null>> = [];
    db.transaction(() => {
      for (let i = 0; i < batch && done < events; i++, done += 2) {
        t += Math.floor(rand() * 600);
        const key = keys[Math.floor(rand() * keys.length)];
        const anonymous = rand() < 0.9;
        const actor = anonymous ? 'anonymous' : users[Math.floor(rand() * users.length)];
        const ip = ips[Math.floor(rand() * ips.length)];
        const r = rand();
        const size = 1_000_000 + ((key.length * 7919) % 50_000_000);
        const ranged = r < 0.1;
        const isGet = r < 0.85;
        const status = isGet ? (ranged ? 206 : 200) : 403;
        const range = ranged ? `bytes=${Math.floor(rand() * 4) * 8_388_608}-${Math.floor(rand() * 4) * 8_388_608 + 8_388_607}` : null;
        const bytes = ranged ? 8_388_608 : size;
        const requestId = `R${(done / 2).toString(16).toUpperCase().padStart(15, '0')}`;
        const kind = isGet ? 'download' : 'other';
        const s3id = ++id;
        ev(s3id, t, s3id, 's3-access-log', 'REST.GET.OBJECT', kind, actor, anonymous ? 'anonymous' : 'IAMUser', ip, 'curl/8.4.0', BUCKET, key, status, bytes, size, requestId, null, null, 1, s3id, `line ${s3id}`);
        const ctid = ++id;
        ev(ctid, t, ctid, 'cloudtrail', 'GetObject', kind, actor, anonymous ? 'anonymous' : 'IAMUser', ip, 'curl/8.4.0', BUCKET, key, null, bytes, null, requestId, `e-${ctid}`, range, 2, ctid, `{"eventID":"e-${ctid}"}`);
        if (isGet) {
          downloads++;
          downloadRows.push([downloads, `${requestId}|${BUCKET}|${key}`, t, actor, ip, 'curl/8.4.0', BUCKET, key, bytes, size, status, range, requestId, s3id, ctid]);
        }
      }
      flushAll();
      for (const d of downloadRows) dl.run(...(d as Parameters<typeof dl.run>));
    })();
  }
  // The exposure: a public-read ACL a tenth of the way in, closed at the middle.
  const acl = (n: number, time: number, canned: string) => {
    const eid = ++id;
    ev(eid, time, eid, 'cloudtrail', 'PutBucketAcl', 'acl-change', users[0], 'IAMUser', '192.0.2.1', 'aws-cli', BUCKET, null, null, null, null, `ACL${n}`, `acl-${n}`, null, 2, eid,
      JSON.stringify({ eventName: 'PutBucketAcl', eventID: `acl-${n}`, recipientAccountId: '111122223333', requestParameters: { bucketName: BUCKET, 'x-amz-acl': [canned] } }));
  };
  acl(1, START + (t - START) / 10, 'public-read');
  acl(2, START + (t - START) / 2, 'private');
  flushAll();
  db.prepare(`UPDATE evidence SET status = 'complete'`).run();
  // The downloads are written above as an import derives them: say so, as the derivation would.
  db.prepare(`INSERT INTO case_meta (key, value) VALUES ('downloads_derived_through', ?), ('downloads_count', ?)`).run(String(id), String(downloads));
  return { downloads };
}

function time<T>(fn: () => T, runs = 5): { ms: number; result: T } {
  let result = fn(); // warm: statements prepared, pages cached
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], result };
}

const analysisEvents = () => Number(process.env.BENCH_ANALYSIS_EVENTS ?? (process.env.BENCH_SCALE === '10M' ? 10_000_000 : 1_000_000));
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const cpuSince = (c: NodeJS.CpuUsage) => { const d = process.cpuUsage(c); return (d.user + d.system) / 1e6; };

export async function benchAnalysis(work: string, events = analysisEvents()): Promise<Row[]> {
  const path = join(work, 'analysis.trailmark');
  const rows: Row[] = [];
  const db = openWritable(path);
  db.pragma('synchronous = OFF');
  let t0 = performance.now();
  const { downloads } = fill(db, events);
  rows.push({ name: 'case filled (events / downloads)', value: `${events.toLocaleString('en')} / ${downloads.toLocaleString('en')}`, note: `${((performance.now() - t0) / 1000).toFixed(1)} s, direct SQL` });
  t0 = performance.now();
  updateAnalysis(db);
  const foldS = (performance.now() - t0) / 1000;
  rows.push({ name: 'summaries folded in (all at once)', value: `${foldS.toFixed(1)} s`, note: `${Math.round(events / foldS).toLocaleString('en')} events/s; an import pays this once, at its end, for what it added` });
  const cpu = process.cpuUsage();
  t0 = performance.now();
  rebuildAnalysis(db);
  const rebuildS = (performance.now() - t0) / 1000;
  rows.push({
    name: 'summaries rebuilt from scratch', value: `${rebuildS.toFixed(1)} s`,
    note: `${cpuSince(cpu).toFixed(1)} CPU-s, load ${load()}; ${events.toLocaleString('en')} events${events >= 10_000_000 ? '; target < 60 s' : ''}`,
  });
  // Twenty annotated downloads spread over the case, for the notes-and-tags filter.
  for (let i = 1; i <= 20; i++) addNote(db, { target: { type: 'download', id: String(Math.floor((downloads * i) / 21)) }, text: `note ${i}` });
  // The source-IP index's cost to an import: a bulk derivation drops it and builds it again at the end.
  db.exec('DROP INDEX downloads_source_ip');
  t0 = performance.now();
  db.exec('CREATE INDEX downloads_source_ip ON download_ledger (source_ip, time, id)');
  rows.push({ name: 'source-IP index built (migration 014)', value: `${((performance.now() - t0) / 1000).toFixed(2)} s`, note: `over ${downloads.toLocaleString('en')} downloads, as a bulk import rebuilds it` });
  db.close();

  const rdb = openReadable(path);
  try {
    const windows = computeExposure(rdb);
    const page = (filter: Parameters<typeof timelinePage>[1]) => time(() => timelinePage(rdb, filter, null, 100, analysisConditions(rdb, filter, windows)));
    const first = page({});
    const deep = time(() => timelinePage(rdb, {}, { time: START + 1e9, id: 0 }, 100));
    const backups = page({ backupsOnly: true });
    const actor = page({ actor: 'arn:aws:iam::111122223333:user/user-7' });
    const exposed = page({ exposure: 'inside' });
    const outside = page({ exposure: 'outside' });
    const bucketOnly = page({ bucket: BUCKET });
    rows.push({ name: 'timeline first page (no filter)', value: `${first.ms.toFixed(2)} ms` });
    rows.push({ name: 'timeline deep page (keyset)', value: `${deep.ms.toFixed(2)} ms` });
    rows.push({ name: 'timeline first page, backups only', value: `${backups.ms.toFixed(2)} ms`, note: `${backups.result.rows.length} rows` });
    rows.push({ name: 'timeline first page, one actor', value: `${actor.ms.toFixed(2)} ms`, note: `${actor.result.rows.length} rows` });
    rows.push({ name: 'timeline first page, in exposure', value: `${exposed.ms.toFixed(2)} ms` });
    rows.push({ name: 'timeline first page, outside exposure', value: `${outside.ms.toFixed(2)} ms` });
    rows.push({ name: 'timeline first page, bucket filter', value: `${bucketOnly.ms.toFixed(2)} ms` });
    const ex = time(() => computeExposure(rdb));
    rows.push({ name: 'exposure windows', value: `${ex.ms.toFixed(2)} ms`, note: `${ex.result.length} window(s)` });
    const act = time(() => actorSummaries(rdb, { limit: 500 }), 3);
    rows.push({ name: 'actor summaries (top 500 by bytes)', value: `${act.ms.toFixed(1)} ms` });
    const obj = time(() => objectSummaries(rdb, { limit: 500 }), 3);
    rows.push({ name: 'object summaries (top 500 by bytes)', value: `${obj.ms.toFixed(1)} ms` });
    const sum = time(() => analysisSummary(rdb), 3);
    rows.push({ name: 'whole summary (exposure, actors, objects, gaps…)', value: `${sum.ms.toFixed(1)} ms` });
    const hist = time(() => histogramFor(rdb, {}, 200), 3);
    rows.push({ name: 'histogram, 200 bins', value: `${hist.ms.toFixed(1)} ms` });
    rows.push(...textFilters(rdb, windows));
    rows.push(...positions(rdb, windows));
    rows.push(...patternFilters(rdb));
  } finally {
    rdb.close();
  }
  return rows;
}

/**
 * The timeline's text filters on the same case: a first page and the next (keyset), and the worst
 * case — a filter nothing matches, which reads every download before it can say so.
 */
function textFilters(rdb: ReturnType<typeof openReadable>, windows: ReturnType<typeof computeExposure>): Row[] {
  const out: Row[] = [];
  const ip = timelinePage(rdb, {}, null, 1).rows[0].sourceIp ?? '192.0.2.1';
  const slash16 = `${ip.split('.').slice(0, 2).join('.')}.0.0/16`;
  const cases: Array<[string, TimelineFilter]> = [
    ['actor prefix (index)', { actor: 'arn:aws:iam::111122223333:user/user-1', actorMatch: 'prefix' }],
    ['actor contains', { actor: 'USER-4', actorMatch: 'contains' }],
    ['actor contains, no match (no dictionary entry)', { actor: 'nobody', actorMatch: 'contains' }],
    ['actor prefix, no match', { actor: 'arn:aws:iam::999', actorMatch: 'prefix' }],
    ['source IP prefix', { sourceIp: ip.split('.').slice(0, 2).join('.'), sourceIpMatch: 'prefix' }],
    [`source IP CIDR ${slash16}`, { sourceIp: slash16, sourceIpMatch: 'cidr' }],
    ['source IP CIDR, no match', { sourceIp: '0.0.0.0/8', sourceIpMatch: 'cidr' }],
    ['source IP CIDR 10.0.0.0/8 (near the crossover)', { sourceIp: '10.0.0.0/8', sourceIpMatch: 'cidr' }],
    ['source IP prefix "1" (common: time index)', { sourceIp: '1', sourceIpMatch: 'prefix' }],
    ['key contains', { keyPrefix: 'obj-123', keyMatch: 'contains' }],
    ['key contains, no match (no dictionary entry)', { keyPrefix: 'nothing-like-this', keyMatch: 'contains' }],
    ['with notes or tags (20 of them)', { annotated: true }],
  ];
  for (const [name, filter] of cases) {
    const extra = analysisConditions(rdb, filter, windows);
    const first = time(() => timelinePage(rdb, filter, null, 200, extra), 3);
    const next = first.result.next;
    const second = next ? time(() => timelinePage(rdb, filter, next, 200, extra), 3).ms : null;
    out.push({ name: `timeline page, ${name}`, value: `${first.ms.toFixed(1)} ms`, note: `${first.result.rows.length} rows${second === null ? '' : `; next page ${second.toFixed(1)} ms`}` });
  }
  const from = START + 86_400_000;
  const minutes = time(() => histogramFor(rdb, { from: new Date(from).toISOString(), to: new Date(from + 15 * 60_000).toISOString() }, 120), 3);
  out.push({ name: 'histogram, a 15-minute zoom', value: `${minutes.ms.toFixed(1)} ms`, note: `${minutes.result.binMs / 1000} s bins` });
  return out;
}

/**
 * The scrollbar over the whole result: a filter's total, and the keyset start of the row at 50 % and
 * of the last screenful (timeline:position), then the page from there.
 */
function positions(rdb: ReturnType<typeof openReadable>, windows: ReturnType<typeof computeExposure>): Row[] {
  const out: Row[] = [];
  const cases: Array<[string, TimelineFilter]> = [
    ['no filter', {}],
    ['bucket + a mid-hour time range', { bucket: BUCKET, from: new Date(START + 1_234_567).toISOString() }],
    ['backups only', { backupsOnly: true }],
    ['one actor', { actor: 'arn:aws:iam::111122223333:user/user-7' }],
    ['actor prefix', { actor: 'arn:aws:iam::111122223333:user/user-1', actorMatch: 'prefix' }],
    ['key contains', { keyPrefix: 'obj-123', keyMatch: 'contains' }],
  ];
  for (const [name, filter] of cases) {
    const extra = analysisConditions(rdb, filter, windows);
    const total = time(() => timelinePosition(rdb, filter, undefined, extra), 3);
    const middle = time(() => timelinePosition(rdb, filter, { index: Math.floor(total.result.total / 2) }, extra), 3);
    const end = time(() => timelinePosition(rdb, filter, { last: 150 }, extra), 3);
    const page = time(() => timelinePage(rdb, filter, middle.result.start, 200, extra), 3);
    out.push({
      name: `position, ${name}`, value: `${total.ms.toFixed(1)} ms`,
      note: `total ${total.result.total.toLocaleString('en')}; seek to 50 % ${middle.ms.toFixed(1)} ms, to the end ${end.ms.toFixed(1)} ms; the page there ${page.ms.toFixed(1)} ms`,
    });
  }
  return out;
}

/**
 * The refold: an access log imported, then a CloudTrail trail of the same requests. Every download
 * the second import derives merges into one already folded (its actor, time and sources can move), so
 * its analysis step refolds the actors and objects those downloads touch.
 */
export async function benchRefold(work: string, requests = Number(process.env.BENCH_REFOLD_REQUESTS ?? 200_000)): Promise<Row[]> {
  const dir = join(work, 'refold');
  const { s3, cloudtrail } = writeMergedSources(dir, requests);
  const casePath = join(dir, 'case.trailmark');
  const rows: Row[] = [];
  for (const [label, path] of [['access log (first source)', s3], ['CloudTrail of the same requests (second source)', cloudtrail]]) {
    const steps: Record<string, number> = {};
    let current: { message: string; from: number } | null = null;
    const close = (now: number) => { if (current) steps[current.message] = (steps[current.message] ?? 0) + (now - current.from) / 1000; };
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const summary = await importPaths(casePath, [path], {
      onProgress: (p) => {
        if ((p.message ?? null) === (current?.message ?? null)) return;
        const now = performance.now();
        close(now);
        current = p.message ? { message: p.message, from: now } : null;
      },
    });
    const end = performance.now();
    close(end);
    rows.push({
      name: `imported: ${label}`, value: `${((end - t0) / 1000).toFixed(1)} s`,
      note: `${summary.events.toLocaleString('en')} events, ${cpuSince(cpu).toFixed(1)} CPU-s, load ${load()}; ${Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`,
    });
  }
  const db = openReadable(casePath);
  try {
    const merged = db.prepare('SELECT count(*) FROM downloads WHERE sources = 3').pluck().get() as number;
    rows.push({ name: 'downloads logged by both sources', value: merged.toLocaleString('en'), note: `of ${requests.toLocaleString('en')} requests` });
  } finally {
    db.close();
  }
  return rows;
}

if (require.main === module) {
  const { mkdtempSync, rmSync } = require('node:fs') as typeof import('node:fs');
  const { tmpdir } = require('node:os') as typeof import('node:os');
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'trailmark-bench-analysis-'));
  (async () => [...await benchAnalysis(work), ...await benchRefold(work)])()
    .then((rows) => {
      console.log('\n== analysis');
      for (const r of rows) console.log(`${r.name.padEnd(48)} ${r.value}${r.note ? `   (${r.note})` : ''}`);
      console.log(`peak RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
    })
    .finally(() => rmSync(work, { recursive: true, force: true }));
}

/**
 * The pattern filter: the first read computes every pattern from all the downloads (CPU-seconds
 * quoted, the machine being shared, and the resident memory it added: after − before, and the
 * process's peak so far); later pages reuse that answer until the case changes.
 */
function patternFilters(rdb: ReturnType<typeof openReadable>): Row[] {
  const rss0 = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const p = exfilPatterns(rdb);
  const firstMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const grew = process.memoryUsage().rss - rss0;
  const out: Row[] = [{
    name: 'patterns computed on first read', value: `${(firstMs / 1000).toFixed(2)} s`,
    note: `${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s, load ${load()}; RSS +${(grew / 1e6).toFixed(0)} MB (peak so far ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB); `
      + `${p.bursts.length} bursts, ${p.firstSeen.length} first seen, ${p.tools.length} tool uses, ${p.enumeration.length} listing first`,
  }];
  for (const pattern of ['burst', 'bulk-tool', 'first-seen', 'listed-first'] as const) {
    const filter: TimelineFilter = { pattern };
    const first = time(() => timelinePage(rdb, filter, null, 100, analysisConditions(rdb, filter)));
    const last = first.result.rows.at(-1);
    const next = last ? time(() => timelinePage(rdb, filter, { time: last.timeMs, id: last.id }, 100, analysisConditions(rdb, filter))) : null;
    out.push({ name: `timeline first page, pattern ${pattern} (cached)`, value: `${first.ms.toFixed(1)} ms`, note: `${first.result.rows.length} rows${next ? `; next page ${next.ms.toFixed(1)} ms` : ''}` });
    const hist = time(() => histogramFor(rdb, filter, 200));
    const position = time(() => timelinePosition(rdb, filter, { index: 0 }, analysisConditions(rdb, filter)));
    out.push({ name: `histogram and position, pattern ${pattern}`, value: `${hist.ms.toFixed(1)} / ${position.ms.toFixed(1)} ms`, note: `${hist.result.bins.length} bins of ${hist.result.binMs / 1000} s; total ${position.result.total.toLocaleString('en')}` });
  }
  return out;
}
