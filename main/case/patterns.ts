// Exfiltration patterns over the case (main/analysis/patterns): reads the downloads, the listing
// requests, each actor's first request and the exposure windows, and hands them to the pure rules.
// Computed on demand (report, summary, app); every figure is a function of the events.
//
// The downloads are streamed once, actor by actor in time order (SQLite sorts them, spilling to disk
// past its cache), through each rule's per-actor tally: memory holds one actor's burst window and
// the answers, not the case (10M events, 4.25M downloads: every download loaded as an object took
// 58–63 s and grew with the case).
import type { Burst, ExfilPatterns, PatternFilter, ToolUse, EnumerationBeforeDownload } from '../../shared/enrich';
import { backupMatcher } from '../analysis/backup';
import { BurstWindow, burstOrder } from '../analysis/patterns/bursts';
import { enumerationOf, enumerationOrder, LISTING_ACTIONS } from '../analysis/patterns/enumeration';
import { firstSeenInExposure, type ActorFirstSeen } from '../analysis/patterns/first-seen';
import { ToolTally, toolOf, toolUseOrder } from '../analysis/patterns/tools';
import type { PatternRequest } from '../analysis/patterns/types';
import { computeExposure } from './analysis-exposure';
import { getBackupPatterns, getPatternSettings } from './analysis-settings';
import { actorKeyOf } from './analysis-update';
import { all, get, prepared, type ReadableDB } from './db';
import { termIds } from './event-terms';
import { actorIds, eventTermId } from './ledger-match';
import { MINUTE, MinuteCounts } from './minute-counts';
import { join, raw, sql, type Sql } from './sql';

/** Listing requests by actor, each actor's in time order (then id). */
export function listingRequests(db: ReadableDB): Map<string, PatternRequest[]> {
  // On the coded rows (migration 018): the action compared as its term's id, not decoded row by row.
  // Sorted here, not by SQLite: ordered by time it would walk the time index and look up every event.
  const rows = all<{ id: number; time: number; actor: string; source_ip: string | null; action: string; bucket: string | null; status: number | null; error_code: string | null }>(db, sql`
    SELECT e.id, e.time, e.actor, e.source_ip, t.text AS action, e.bucket, e.status, e.error_code
    FROM event_rows e JOIN terms t ON t.id = e.action
    WHERE e.actor IS NOT NULL AND e.action IN ${termIds(LISTING_ACTIONS)}`);
  rows.sort((a, b) => a.time - b.time || a.id - b.id);
  const out = new Map<string, PatternRequest[]>();
  for (const r of rows) {
    const actorKey = actorKeyOf(r.actor, r.source_ip);
    let list = out.get(actorKey);
    if (!list) out.set(actorKey, (list = []));
    list.push({
      actorKey, timeMs: r.time, action: r.action, bucket: r.bucket,
      failed: (r.status !== null && r.status >= 400) || (r.error_code !== null && r.error_code !== '-' && r.error_code !== ''),
    });
  }
  return out;
}

/**
 * Each actor's first request in all the evidence, with its download count: those that downloaded, and
 * whose first request came before `beforeMs` (the others' is not looked for: see compute).
 */
export function actorFirstSeen(db: ReadableDB, beforeMs = Infinity): ActorFirstSeen[] {
  const downloads = new Map(all<{ actor_key: string; downloads: number }>(db, sql`SELECT actor_key, downloads FROM actor_stats WHERE downloads > 0`).map((r) => [r.actor_key, r.downloads]));
  const before = Number.isFinite(beforeMs) ? sql`time < ${beforeMs}` : sql`true`;
  // Principals by name, anonymous parties by address, each grouping its own rows (a grouping sorts
  // them). Principals that never downloaded are left out first: a trail's management events name many.
  const named = all<{ actor: string; first: number }>(db, sql`
    SELECT actor, min(time) AS first FROM event_rows
    WHERE actor IN (SELECT actor_key FROM actor_stats WHERE downloads > 0 AND actor != 'anonymous') AND ${before} GROUP BY actor`);
  const anonymous = all<{ ip: string | null; first: number }>(db, sql`
    SELECT source_ip AS ip, min(time) AS first FROM event_rows WHERE actor = 'anonymous' AND ${before} GROUP BY source_ip`);
  const firsts = new Map<string, number>();
  for (const r of [...named.map((n) => ({ key: actorKeyOf(n.actor, null), first: n.first })), ...anonymous.map((a) => ({ key: actorKeyOf('anonymous', a.ip), first: a.first }))]) {
    // No address and the address "unknown" are one party (actorKeyOf): its first request is the earlier.
    firsts.set(r.key, Math.min(r.first, firsts.get(r.key) ?? Infinity));
  }
  return [...firsts].filter(([k]) => downloads.has(k)).map(([actorKey, firstMs]) => ({ actorKey, firstMs, downloads: downloads.get(actorKey)! }));
}

/**
 * The downloads a pattern covers, named the way a page can test them along the time index: the user
 * agents a tool matched; the parties first seen in an exposure (anonymous ones by address); or, for
 * bursts and listing first, each party's spans of time (a row is covered when its party's time falls in
 * one). `downloads` is how many there are, from `fromMs` to `toMs`.
 */
export interface Covered {
  downloads: number; fromMs: number; toMs: number;
  /** The user agents (term ids) a tool matched; the principals and anonymous addresses first seen. */
  agentIds?: number[]; actors?: string[]; addresses?: string[];
  /** Per party (a principal's ledger_actors id, an anonymous party's address or 'unknown'): [from, to, from, to, …] in time order. */
  spans?: Map<number | string, number[]>;
  /** Times outside which no covered download lies ([from, to], inclusive, in order, apart), where parties name the rows. */
  ranges?: Array<[number, number]>;
  /** The covered downloads per minute, where the walk decides each row alone (a tool's), so counts need not decide them again. */
  minutes?: MinuteCounts;
}
interface Computed { stamp: string; patterns: ExfilPatterns; covered: Record<PatternFilter, Covered>; anonymousId: number | null }

// Patterns are computed on read from every download; the timeline asks for a page at a time, so the
// answer is kept per connection until what it reads changes: events and downloads only grow by import
// (their largest ids move, and an undone import takes them back), and the settings live in case_meta.
// A note or a tag leaves it be. data_version moves with any commit by another connection.
const computed = new WeakMap<ReadableDB, Computed>();

function stampOf(db: ReadableDB): string {
  const s = get<{ e: number | null; d: number | null; n: number; m: string | null }>(db, sql`SELECT
    (SELECT max(id) FROM events) AS e, (SELECT max(id) FROM downloads) AS d, (SELECT count(*) FROM evidence) AS n,
    (SELECT group_concat(key || '=' || value, char(10)) FROM case_meta WHERE key LIKE 'analysis.%') AS m`)!;
  return JSON.stringify([s.e, s.d, s.n, s.m, db.pragma('data_version', { simple: true })]);
}

/** Which objects are backups (by the case's patterns), one byte per ledger_objects id. */
function backupObjects(db: ReadableDB): Uint8Array {
  const isBackup = backupMatcher(getBackupPatterns(db));
  const max = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM ledger_objects`)?.n ?? 0;
  const out = new Uint8Array(max + 1);
  const q = sql`SELECT id, key FROM ledger_objects`;
  for (const [id, key] of prepared(db, q.text).raw(true).iterate(...q.params) as IterableIterator<[number, string]>) out[id] = isBackup(key) ? 1 : 0;
  return out;
}

const empty = (): Covered => ({ downloads: 0, fromMs: Infinity, toMs: -Infinity });
const widen = (c: Covered, n: number, from: number, to: number) => {
  c.downloads += n;
  if (from < c.fromMs) c.fromMs = from;
  if (to > c.toMs) c.toMs = to;
};

/**
 * Bursts, tool use and listing first from one pass over the downloads, actor by actor, and the
 * downloads each pattern's figures count: a burst's are its actor's downloads from its first to its
 * last (the rule's window holds every download of that actor between them); a tool's, those whose user
 * agent the list names; first seen, all the actor's downloads; listing first, the actor's downloads at
 * or after its first listing. Each set is the one the list's figures were counted from.
 */
function walkDownloads(db: ReadableDB, settings: ExfilPatterns['settings'], firstSeen: Set<string>, listings: Map<string, PatternRequest[]>) {
  const anonymousId = get<{ id: number }>(db, sql`SELECT id FROM ledger_actors WHERE actor = 'anonymous'`)?.id ?? null;
  const backups = backupObjects(db);
  const tool = toolOf(settings.tools);
  const agentText = (id: number) => get<{ text: string }>(db, sql`SELECT text FROM terms WHERE id = ${id}`)?.text ?? null;
  const agents = new Map<number, string | null>();
  const actorText = (id: number) => get<{ actor: string }>(db, sql`SELECT actor FROM ledger_actors WHERE id = ${id}`)!.actor;
  const bursts: Burst[] = [];
  const tools: ToolUse[] = [];
  const enumeration: EnumerationBeforeDownload[] = [];
  const covered: Record<PatternFilter, Covered> = { burst: { ...empty(), spans: new Map() }, 'bulk-tool': empty(), 'first-seen': empty(), 'listed-first': { ...empty(), spans: new Map() } };
  const toolAgents = new Set<number>();
  const toolMinutes = new Map<number, { n: number; bytes: number }>();
  const ranges: Record<'burst' | 'first-seen' | 'listed-first', Array<[number, number]>> = { burst: [], 'first-seen': [], 'listed-first': [] };

  // One actor at a time: its key, and each rule's tally of its downloads so far.
  let party: number | string | null = null;
  let a: { key: string; burst: BurstWindow; tools: ToolTally; listedAt: number | null; n: number; firstMs: number; lastMs: number; after: number; firstAfter: number } | null = null;
  const finish = () => {
    if (!a || party === null) return;
    const own = a.burst.end();
    bursts.push(...own);
    if (own.length) {
      covered.burst.spans!.set(party, own.flatMap((b) => [b.fromMs, b.toMs]));
      for (const b of own) ranges.burst.push([b.fromMs, b.toMs]);
      widen(covered.burst, own.reduce((n, b) => n + b.downloads, 0), own[0].fromMs, own[own.length - 1].toMs);
    }
    tools.push(...a.tools.uses());
    if (firstSeen.has(a.key)) {
      widen(covered['first-seen'], a.n, a.firstMs, a.lastMs);
      ranges['first-seen'].push([a.firstMs, a.lastMs]);
    }
    const listed = listings.get(a.key);
    const e = listed ? enumerationOf(a.key, listed, { firstMs: a.firstMs, lastMs: a.lastMs, atOrAfterFirstListing: a.after }) : null;
    if (e) {
      enumeration.push(e);
      if (a.after) {
        covered['listed-first'].spans!.set(party, [a.listedAt!, Infinity]);
        widen(covered['listed-first'], a.after, a.firstAfter, a.lastMs);
        ranges['listed-first'].push([a.firstAfter, a.lastMs]);
      }
    }
  };
  // Each download's events are read in the ledger's order (their ids rise together), then sorted by
  // party: looked up in party order they were read at random (4.25M downloads: 16.6 -> 13.0 s).
  const q = sql`
    WITH x AS MATERIALIZED (
      SELECT d.id, d.actor_id, CASE WHEN d.actor_id = ${anonymousId} THEN coalesce(d.source_ip, 'unknown') END AS ip, d.time, d.object_id,
             coalesce(s.bytes_sent, c.bytes_sent) AS bytes, coalesce(s.user_agent, c.user_agent) AS agent
      FROM download_ledger d LEFT JOIN event_rows s ON s.id = d.s3_event_id LEFT JOIN event_rows c ON c.id = d.ct_event_id)
    SELECT actor_id, ip, time, object_id, bytes, agent FROM x ORDER BY actor_id, ip, time, id`;
  type Row = [number, string | null, number, number, number | null, number | null];
  const row = { timeMs: 0, bytes: null as number | null, isBackup: false, userAgent: null as string | null };
  for (const [actorId, ip, time, objectId, bytes, agent] of prepared(db, q.text).raw(true).iterate(...q.params) as IterableIterator<Row>) {
    const key = ip ?? actorId;
    if (key !== party || a === null) {
      finish();
      party = key;
      const actorKey = ip !== null ? actorKeyOf('anonymous', ip) : actorKeyOf(actorText(actorId), null);
      a = {
        key: actorKey, burst: new BurstWindow(actorKey, settings.burst), tools: new ToolTally(actorKey, tool),
        listedAt: listings.get(actorKey)?.[0].timeMs ?? null, n: 0, firstMs: time, lastMs: time, after: 0, firstAfter: time,
      };
    }
    // A user agent is a term (migration 018), decoded once per distinct agent.
    let ua: string | null | undefined = null;
    if (agent !== null) {
      ua = agents.get(agent);
      if (ua === undefined) agents.set(agent, (ua = agentText(agent)));
    }
    row.timeMs = time;
    row.bytes = bytes;
    row.isBackup = backups[objectId] === 1;
    row.userAgent = ua;
    a.burst.push(row);
    if (a.tools.add(row) !== null) {
      widen(covered['bulk-tool'], 1, time, time);
      toolAgents.add(agent!);
      const minute = Math.floor(time / MINUTE);
      const m = toolMinutes.get(minute);
      if (m) { m.n++; m.bytes += bytes ?? 0; } else toolMinutes.set(minute, { n: 1, bytes: bytes ?? 0 });
    }
    a.n++;
    a.lastMs = time;
    if (a.listedAt !== null && time >= a.listedAt && a.after++ === 0) a.firstAfter = time;
  }
  finish();
  // A tool is named by the user agent, so its set is exactly the rows with one of those agents.
  covered['bulk-tool'].agentIds = [...toolAgents];
  covered['bulk-tool'].minutes = MinuteCounts.of(toolMinutes);
  for (const k of ['burst', 'first-seen', 'listed-first'] as const) covered[k].ranges = merged(ranges[k]);
  return { bursts: bursts.sort(burstOrder), tools: tools.sort(toolUseOrder), enumeration: enumeration.sort(enumerationOrder), covered, anonymousId };
}

/** Time ranges merged where they overlap, in order. */
function merged(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function compute(db: ReadableDB): Computed {
  const stamp = stampOf(db);
  const hit = computed.get(db);
  if (hit?.stamp === stamp) return hit;
  const settings = getPatternSettings(db);
  const windows = computeExposure(db);
  // Only a window opened inside the evidence can hold a first request (first-seen.ts), and only before
  // the last such window closed: a party first seen after that is none of the rule's, so the requests
  // from then on are not grouped (nor any, when no window opened inside the evidence).
  const opened = windows.filter((w) => w.fromMs !== null);
  const closed = Math.max(...opened.map((w) => w.toMs ?? Infinity));
  const firstSeen = firstSeenInExposure(opened.length ? actorFirstSeen(db, closed) : [], windows);
  const walked = walkDownloads(db, settings, new Set(firstSeen.map((f) => f.actorKey)), listingRequests(db));
  const patterns: ExfilPatterns = { settings, bursts: walked.bursts, firstSeen, tools: walked.tools, enumeration: walked.enumeration };
  const keys = firstSeen.map((f) => f.actorKey);
  walked.covered['first-seen'].actors = keys.filter((k) => !k.startsWith('anonymous@'));
  walked.covered['first-seen'].addresses = keys.filter((k) => k.startsWith('anonymous@')).map((k) => k.slice('anonymous@'.length));
  const entry = { stamp, patterns, covered: walked.covered, anonymousId: walked.anonymousId };
  computed.set(db, entry);
  return entry;
}

export function exfilPatterns(db: ReadableDB): ExfilPatterns {
  return compute(db).patterns;
}

/** How many downloads each pattern covers (the rows its filter keeps). */
export function coveredCounts(db: ReadableDB): Record<PatternFilter, number> {
  const c = compute(db).covered;
  return { burst: c.burst.downloads, 'bulk-tool': c['bulk-tool'].downloads, 'first-seen': c['first-seen'].downloads, 'listed-first': c['listed-first'].downloads };
}

/**
 * The ranges of time a page of the pattern's filter need read (null: any): the covered downloads of
 * bursts, listing first and first seen lie in their parties' spans, which may be far apart; a page
 * read along the time index from one to the next would step over every download between them.
 */
export function patternRanges(db: ReadableDB, pattern: PatternFilter): Array<[number, number]> | null {
  return compute(db).covered[pattern].ranges ?? null;
}

/** The pattern's covered downloads per minute, where the walk counted them (null: count them on the ledger). */
export function patternMinutes(db: ReadableDB, pattern: PatternFilter): MinuteCounts | null {
  return compute(db).covered[pattern].minutes ?? null;
}

/** Whether a download (its ledger actor id, address and time) falls in one of its party's spans. */
function inSpans(entry: Computed | undefined, pattern: PatternFilter, actorId: number, ip: string | null, time: number): boolean {
  const list = entry?.covered[pattern]?.spans?.get(actorId === entry.anonymousId ? (ip ?? 'unknown') : actorId);
  if (!list) return false;
  // The last span starting at or before `time`.
  let lo = 0;
  let hi = list.length / 2 - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[2 * mid] <= time) { at = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return at >= 0 && time <= list[2 * at + 1];
}

// The span test as a function of the connection: it reads the answer kept for that connection, which
// patternConditions has just brought up to date.
const withSpanTest = new WeakSet<ReadableDB>();
function spanTest(db: ReadableDB): void {
  if (withSpanTest.has(db)) return;
  db.function('tm_pattern_covers', (pattern: unknown, actorId: unknown, ip: unknown, time: unknown) =>
    (inSpans(computed.get(db), pattern as PatternFilter, Number(actorId), ip as string | null, Number(time)) ? 1 : 0));
  withSpanTest.add(db);
}

/**
 * The timeline's pattern filter as conditions on the ledger's own columns (a page is found in the
 * ledger alone, walking its time index): the covered span of time, and what names the covered rows.
 */
export function patternConditions(db: ReadableDB, pattern: PatternFilter): Sql[] {
  const { covered, anonymousId } = compute(db);
  const c = covered[pattern];
  if (!c.downloads) return [sql`0`];
  // The span's start is tested, not walked to (`+`): a page's cursor past it is where the walk starts.
  // Where the rows lie in ranges, the page and the counts are read range by range (narrowedByTime in
  // timeline.ts) and each range's own bounds are the walk's: the span's end is only tested too.
  const span = c.ranges ? [sql`+time >= ${c.fromMs}`, sql`+time <= ${c.toMs}`] : [sql`+time >= ${c.fromMs}`, sql`time <= ${c.toMs}`];
  const within = (values: Array<string | number>) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
  // actorKeyOf names an anonymous party without an address anonymous@unknown.
  const fromAddresses = (addresses: string[]) =>
    (addresses.includes('unknown') ? sql`(source_ip IN ${within(addresses)} OR source_ip IS NULL)` : sql`source_ip IN ${within(addresses)}`);
  if (c.agentIds) return [...span, sql`${eventTermId('user_agent')} IN ${within(c.agentIds)}`];
  if (c.actors && c.addresses) {
    // Anonymous parties are most of an access log's rows: walked in time order, not read from the actor index and sorted.
    const actor = c.addresses.length ? raw('+actor_id') : raw('actor_id');
    return [...span, sql`(${actor} IN ${actorIds(sql`actor IN ${within(c.actors)}`)} OR (${actor} = ${anonymousId} AND ${fromAddresses(c.addresses)}))`];
  }
  // The parties first, tested by SQLite on the rows walked (a page walks past every party's rows
  // between the spans), then each of their rows' time against their spans.
  const parties = [...c.spans!.keys()];
  const named = parties.filter((k): k is number => typeof k === 'number');
  const addresses = parties.filter((k): k is string => typeof k === 'string');
  const party: Sql[] = [];
  if (named.length) party.push(sql`+actor_id IN ${within(named)}`);
  if (addresses.length) party.push(sql`(+actor_id = ${anonymousId} AND ${fromAddresses(addresses)})`);
  spanTest(db);
  return [...span, sql`(${join(party, ' OR ')})`, sql`tm_pattern_covers(${pattern}, actor_id, source_ip, time)`];
}
