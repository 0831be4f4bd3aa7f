// The patterns as the case computes them (one streamed pass, actor by actor; the burst and listing-first
// filters tested by span) against a straightforward reference: every download read through the
// timeline, the rules run on whole lists, and each pattern's covered rows picked one by one. A seeded
// case with bursts, tools, parties first seen in an exposure, listing first, downloads seen by both
// sources, and anonymous parties with and without an address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Burst, BurstSettings, ExfilPatterns, PatternFilter } from '../../../shared/enrich';
import type { NormalizedEvent } from '../../../shared/events';
import type { DownloadRow } from '../../../shared/api';
import { backupMatcher } from '../../../main/analysis/backup';
import { findEnumeration, LISTING_ACTIONS } from '../../../main/analysis/patterns/enumeration';
import { firstSeenInExposure } from '../../../main/analysis/patterns/first-seen';
import { findToolUse, toolOf } from '../../../main/analysis/patterns/tools';
import { byActor, iso, type PatternDownload, type PatternRequest } from '../../../main/analysis/patterns/types';
import { analysisConditions } from '../../../main/case/analysis';
import { histogramFor } from '../../../main/case/analysis-api';
import { computeExposure } from '../../../main/case/analysis-exposure';
import { DEFAULT_PATTERN_SETTINGS, setPatternSettings } from '../../../main/case/analysis-settings';
import { actorKeyOf, updateAnalysis } from '../../../main/case/analysis-update';
import { openReadable, type ReadableDB } from '../../../main/case/db';
import { deriveDownloads } from '../../../main/case/downloads';
import { coveredCounts, exfilPatterns } from '../../../main/case/patterns';
import { allDownloads, timelinePage, timelineQuery } from '../../../main/case/timeline';
import { timelinePosition } from '../../../main/case/timeline-position';
import { addFile, download, mgmt, newCase } from '../analysis/case-builder';
import { seeded } from '../../support/synth';

const B = 'acme-db-backups';
const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const H = 60 * MIN;
const MB = 1_000_000;
const AGENTS = [null, 'Mozilla/5.0', 'aws-cli/2.15.30 Python/3.11.8 command/s3.sync', 'curl/8.5.0', 'rclone/v1.66.0', 'Boto3/1.34.0 Botocore/1.34.0', ''];
const USERS = ['arn:aws:iam::111122223333:user/ops', 'arn:aws:iam::111122223333:user/ci', 'arn:aws:iam::111122223333:role/etl'];

/**
 * The evidence: an exposure from T0+10h to T0+40h; parties downloading in runs (some dense enough to
 * burst), each with one user agent or several, some listing the bucket first (a refused listing too),
 * some first seen inside the exposure, some with a HEAD before their first download; a share of the
 * downloads logged by both sources (the access log's bytes and agent read first).
 */
function evidence(seed: number): { cloudtrail: NormalizedEvent[]; accessLog: NormalizedEvent[] } {
  const rand = seeded(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const cloudtrail: NormalizedEvent[] = [
    { ...mgmt('PutBucketAcl', T0 + 10 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }) },
    { ...mgmt('PutBucketAcl', T0 + 40 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }) },
  ];
  const accessLog: NormalizedEvent[] = [];
  const parties: Array<{ actor: string; sourceIp: string | null }> = [
    ...USERS.map((actor) => ({ actor, sourceIp: `52.95.245.${USERS.indexOf(actor) + 1}` })),
    ...Array.from({ length: 14 }, (_, i) => ({ actor: 'anonymous', sourceIp: `198.51.100.${i + 1}` })),
    { actor: 'anonymous', sourceIp: null },
  ];
  for (const p of parties) {
    const who: Partial<NormalizedEvent> = { actor: p.actor, actorType: p.actor === 'anonymous' ? 'anonymous' : 'IAMUser', sourceIp: p.sourceIp, bucket: B };
    const start = T0 + Math.floor(rand() * 50) * H + Math.floor(rand() * H);
    const agents = rand() < 0.5 ? [pick(AGENTS)] : [pick(AGENTS), pick(AGENTS), pick(AGENTS)];
    if (rand() < 0.3) cloudtrail.push({ ...download({ ...who, time: start - Math.floor(rand() * 5 * H), key: 'x' }), action: 'HeadObject', kind: 'head' });
    if (rand() < 0.5) {
      const at = start + Math.floor((rand() - 0.3) * 3 * H);
      cloudtrail.push({ ...download({ ...who, time: at, key: 'x' }), action: pick(LISTING_ACTIONS), kind: 'list', key: null, ...(rand() < 0.3 ? { status: 403, errorCode: 'AccessDenied' } : {}) });
      if (rand() < 0.5) cloudtrail.push({ ...download({ ...who, time: at + 7 * H, key: 'x' }), action: 'ListObjectsV2', kind: 'list', key: null });
    }
    let time = start;
    const runs = 1 + Math.floor(rand() * 4);
    for (let r = 0; r < runs; r++) {
      const dense = rand() < 0.5;
      const n = 3 + Math.floor(rand() * 25);
      for (let i = 0; i < n; i++) {
        time += dense ? Math.floor(rand() * 2 * MIN) : Math.floor(rand() * 40 * MIN);
        const key = rand() < 0.4 ? `db/backup-${Math.floor(rand() * 30)}.sql.gz` : `site/page-${Math.floor(rand() * 30)}.html`;
        const bytes = rand() < 0.15 ? null : Math.floor(rand() * 12 * MB);
        const e = download({ ...who, time, key, userAgent: pick(agents), bytesSent: bytes, objectSize: bytes });
        if (rand() < 0.25) {
          // Both sources: the access log's record (a second later, its own agent and bytes) beside the trail's.
          accessLog.push({ ...download({ ...who, time: time + 1000, key, requestId: e.requestId, userAgent: pick(AGENTS), bytesSent: 5 * MB, objectSize: 5 * MB }, 's3-access-log') });
          cloudtrail.push({ ...e, bytesSent: null });
        } else cloudtrail.push(e);
        // Some share a millisecond (ties broken by id).
        if (rand() < 0.05) cloudtrail.push(download({ ...who, time, key: `${key}.copy`, userAgent: pick(agents), bytesSent: MB, objectSize: MB }));
      }
      time += Math.floor(rand() * 6 * H);
    }
  }
  return { cloudtrail: cloudtrail.sort((a, b) => a.time - b.time), accessLog: accessLog.sort((a, b) => a.time - b.time) };
}

/** The burst rule as first written: each actor's whole list, windows slid over it, a burst's figures summed from its rows. */
function referenceBursts(downloads: PatternDownload[], s: BurstSettings): Burst[] {
  const out: Burst[] = [];
  for (const [actorKey, list] of byActor(downloads)) {
    let i = 0;
    let backups = 0;
    let bytes = 0;
    let cur: { first: number; last: number; over: Set<'files' | 'bytes'> } | null = null;
    const flush = () => {
      if (!cur) return;
      const rows = list.slice(cur.first, cur.last + 1);
      out.push({
        actorKey, from: iso(rows[0].timeMs), fromMs: rows[0].timeMs, to: iso(rows.at(-1)!.timeMs), toMs: rows.at(-1)!.timeMs, downloads: rows.length,
        backupFiles: rows.filter((r) => r.isBackup).length, bytes: rows.reduce((n, r) => n + (r.bytes ?? 0), 0),
        unknownBytes: rows.filter((r) => r.bytes === null).length, over: [...cur.over].sort(),
      });
      cur = null;
    };
    for (let j = 0; j < list.length; j++) {
      backups += list[j].isBackup ? 1 : 0;
      bytes += list[j].bytes ?? 0;
      while (list[j].timeMs - list[i].timeMs > s.minutes * MIN) {
        backups -= list[i].isBackup ? 1 : 0;
        bytes -= list[i].bytes ?? 0;
        i++;
      }
      const over: Array<'files' | 'bytes'> = [];
      if (backups > s.backupFiles) over.push('files');
      if (bytes > s.bytes) over.push('bytes');
      if (!over.length) continue;
      if (cur && i <= cur.last) cur.last = j;
      else {
        flush();
        cur = { first: i, last: j, over: new Set() };
      }
      for (const o of over) cur!.over.add(o);
    }
    flush();
  }
  return out.sort((a, b) => a.fromMs - b.fromMs || a.actorKey.localeCompare(b.actorKey));
}

/** The patterns and each one's covered downloads (ids, in timeline order), from every download read at once. */
function reference(db: ReadableDB, events: NormalizedEvent[], settings = DEFAULT_PATTERN_SETTINGS): { patterns: ExfilPatterns; covered: Record<PatternFilter, number[]> } {
  const isBackup = backupMatcher();
  const rows: DownloadRow[] = [...allDownloads(db, {})];
  const downloads = rows.map((d) => ({ id: d.id, actorKey: actorKeyOf(d.actor, d.sourceIp), timeMs: d.timeMs, bucket: d.bucket, key: d.key, bytes: d.bytesSent, isBackup: isBackup(d.key), userAgent: d.userAgent }));
  const listing = new Set(LISTING_ACTIONS);
  const requests: PatternRequest[] = events.filter((e) => e.actor !== null && listing.has(e.action)).map((e) => ({
    actorKey: actorKeyOf(e.actor!, e.sourceIp), timeMs: e.time, action: e.action, bucket: e.bucket,
    failed: (e.status !== null && e.status >= 400) || (e.errorCode !== null && e.errorCode !== '-' && e.errorCode !== ''),
  }));
  const first = new Map<string, number>();
  for (const e of events) if (e.actor !== null) first.set(actorKeyOf(e.actor, e.sourceIp), Math.min(e.time, first.get(actorKeyOf(e.actor, e.sourceIp)) ?? Infinity));
  const count = new Map<string, number>();
  for (const d of downloads) count.set(d.actorKey, (count.get(d.actorKey) ?? 0) + 1);
  const patterns: ExfilPatterns = {
    settings,
    bursts: referenceBursts(downloads, settings.burst),
    firstSeen: firstSeenInExposure([...first].map(([actorKey, firstMs]) => ({ actorKey, firstMs, downloads: count.get(actorKey) ?? 0 })), computeExposure(db)),
    tools: findToolUse(downloads, settings.tools),
    enumeration: findEnumeration(requests, downloads),
  };
  const tool = toolOf(settings.tools);
  const firstSeen = new Set(patterns.firstSeen.map((f) => f.actorKey));
  const listedAt = new Map(patterns.enumeration.map((e) => [e.actorKey, Date.parse(e.firstListing)]));
  const covered: Record<PatternFilter, number[]> = {
    burst: downloads.filter((d) => patterns.bursts.some((b) => b.actorKey === d.actorKey && d.timeMs >= b.fromMs && d.timeMs <= b.toMs)).map((d) => d.id),
    'bulk-tool': downloads.filter((d) => tool(d.userAgent) !== null).map((d) => d.id),
    'first-seen': downloads.filter((d) => firstSeen.has(d.actorKey)).map((d) => d.id),
    'listed-first': downloads.filter((d) => listedAt.has(d.actorKey) && d.timeMs >= listedAt.get(d.actorKey)!).map((d) => d.id),
  };
  return { patterns, covered };
}

/** [bin start, downloads, bytes] of the rows, in bins of binMs, in order. */
function binsOf(rows: DownloadRow[], binMs: number): Array<[number, number, number]> {
  const bins = new Map<number, [number, number, number]>();
  for (const r of rows) {
    const bin = Math.floor(r.timeMs / binMs) * binMs;
    const b = bins.get(bin) ?? bins.set(bin, [bin, 0, 0]).get(bin)!;
    b[1]++;
    b[2] += r.bytesSent ?? 0;
  }
  return [...bins.values()].sort((a, b) => a[0] - b[0]);
}

function check(db: ReadableDB, events: NormalizedEvent[], settings = DEFAULT_PATTERN_SETTINGS): ReturnType<typeof reference> {
  const want = reference(db, events, settings);
  const rows = [...allDownloads(db, {})];
  assert.deepEqual(exfilPatterns(db), want.patterns);
  assert.deepEqual(coveredCounts(db), Object.fromEntries(Object.entries(want.covered).map(([k, ids]) => [k, ids.length])));
  for (const [pattern, ids] of Object.entries(want.covered) as Array<[PatternFilter, number[]]>) {
    const filter = { pattern };
    const extra = analysisConditions(db, filter);
    // Page by page (a page is a query of its own, from its cursor), the position's count and seeks, the histogram.
    assert.deepEqual([...allDownloads(db, filter, extra, 7)].map((r) => r.id), ids, `${pattern}: the rows`);
    assert.equal(timelinePosition(db, filter, undefined, extra).total, ids.length, `${pattern}: position total`);
    for (const i of [0, Math.floor(ids.length / 3), ids.length - 1].filter((x) => x > 0)) {
      const p = timelinePosition(db, filter, { index: i }, extra);
      assert.equal(timelinePage(db, filter, p.start, 1, extra).rows[0].id, ids[i], `${pattern}: row ${i} by position`);
    }
    // Narrowed by time (cutting the parties' spans) and by an address: the same rows, fewer.
    const times = new Map(rows.map((r) => [r.id, r]));
    if (ids.length > 2) {
      const [from, to] = [times.get(ids[1])!.timeMs, times.get(ids[ids.length - 1])!.timeMs];
      const narrowed = { pattern, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const within = ids.filter((id) => times.get(id)!.timeMs >= from && times.get(id)!.timeMs < to);
      const narrowedExtra = analysisConditions(db, narrowed);
      assert.deepEqual([...allDownloads(db, narrowed, narrowedExtra, 3)].map((r) => r.id), within, `${pattern}: within a time range`);
      assert.equal(timelinePosition(db, narrowed, undefined, narrowedExtra).total, within.length, `${pattern}: position total within a time range`);
      // Bins of seconds, minutes and hours, the range's ends inside a minute: each bin's downloads and bytes.
      for (const bins of [7, 40, 400]) {
        const h = histogramFor(db, narrowed, bins);
        assert.deepEqual(h.bins.map((b) => [b.timeMs, b.downloads, b.bytes]), binsOf(within.map((id) => times.get(id)!), h.binMs), `${pattern}: ${bins} bins within a time range`);
      }
    }
    const ip = '198.51.100.3';
    assert.deepEqual([...allDownloads(db, { pattern, sourceIp: ip }, extra, 3)].map((r) => r.id), ids.filter((id) => times.get(id)!.sourceIp === ip), `${pattern}: from ${ip}`);
    for (const bins of [7, 400]) {
      const h = histogramFor(db, filter, bins);
      assert.deepEqual(h.bins.map((b) => [b.timeMs, b.downloads, b.bytes]), binsOf(ids.map((id) => times.get(id)!), h.binMs), `${pattern}: ${bins} bins`);
    }
    // The page walks the time index, testing each row as it goes (only the page's own rows are sorted,
    // as read through the view); first seen by principals alone reads their few rows from the actor index.
    if (pattern === 'first-seen' && !want.patterns.firstSeen.some((f) => f.actorKey.startsWith('anonymous@'))) continue;
    const q = timelineQuery(filter, null, 100, extra);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    assert.match(plan, /(SCAN|SEARCH) downloads USING INDEX downloads_time/, `${pattern}: ${plan}`);
    assert.doesNotMatch(plan, /INDEX downloads_(actor|object|source_ip)/, `${pattern}: ${plan}`);
  }
  return want;
}

test('the streamed patterns and their filters give exactly what every download read at once gives', (t) => {
  for (const seed of [1, 2, 3]) {
    const db = newCase(t);
    const { cloudtrail, accessLog } = evidence(seed);
    addFile(db, cloudtrail, 'cloudtrail-file', false);
    addFile(db, accessLog, 's3-access-log', false);
    deriveDownloads(db);
    updateAnalysis(db);
    const events = [...cloudtrail, ...accessLog];
    const want = check(db, events);
    // The case holds every pattern, each in several parties, anonymous ones without an address too.
    const p = want.patterns;
    assert.ok(p.bursts.length >= 3 && p.tools.length >= 3 && p.firstSeen.length >= 2 && p.enumeration.length >= 2, `seed ${seed}: ${[p.bursts.length, p.tools.length, p.firstSeen.length, p.enumeration.length]}`);
    assert.ok([...p.bursts, ...p.tools, ...p.firstSeen, ...p.enumeration].some((x) => x.actorKey === 'anonymous@unknown'), `seed ${seed}: anonymous@unknown`);
    // Tighter settings move every figure; the reader of the case (a connection of its own) agrees.
    const tight = { burst: { backupFiles: 2, bytes: 15 * MB, minutes: 5 }, tools: [{ label: 'sync', match: 's3.sync' }, { label: 'browser', match: 'mozilla' }] };
    setPatternSettings(db, tight, null);
    check(db, events, tight);
    const reader = openReadable(db.name);
    t.after(() => reader.close());
    check(reader, events, tight);
  }
});
