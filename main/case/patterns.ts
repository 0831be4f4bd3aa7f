// Exfiltration patterns over the case (main/analysis/patterns): reads the downloads, the listing
// requests, each actor's first request and the exposure windows, and hands them to the pure rules.
// Computed on demand (report, summary, app); every figure is a function of the events.
import type { ExfilPatterns, PatternFilter } from '../../shared/enrich';
import { backupMatcher } from '../analysis/backup';
import { findBursts } from '../analysis/patterns/bursts';
import { findEnumeration, LISTING_ACTIONS } from '../analysis/patterns/enumeration';
import { firstSeenInExposure, type ActorFirstSeen } from '../analysis/patterns/first-seen';
import { findToolUse, toolOf } from '../analysis/patterns/tools';
import type { PatternDownload, PatternRequest } from '../analysis/patterns/types';
import { computeExposure } from './analysis-exposure';
import { getBackupPatterns, getPatternSettings } from './analysis-settings';
import { actorKeyOf } from './analysis-update';
import { all, get, type ReadableDB } from './db';
import { actorIds, eventField } from './ledger-match';
import { join, sql, type Sql } from './sql';

type IdDownload = PatternDownload & { id: number };

export function patternDownloads(db: ReadableDB): IdDownload[] {
  const isBackup = backupMatcher(getBackupPatterns(db));
  return all<{ id: number; time: number; actor: string; source_ip: string | null; user_agent: string | null; bucket: string; key: string; bytes_sent: number | null }>(db, sql`
    SELECT id, time, actor, source_ip, user_agent, bucket, key, bytes_sent FROM downloads ORDER BY time, id`)
    .map((d) => ({
      id: d.id, actorKey: actorKeyOf(d.actor, d.source_ip), timeMs: d.time, bucket: d.bucket, key: d.key,
      bytes: d.bytes_sent, isBackup: isBackup(d.key), userAgent: d.user_agent,
    }));
}

export function listingRequests(db: ReadableDB): PatternRequest[] {
  return all<{ time: number; actor: string; source_ip: string | null; action: string; bucket: string | null; status: number | null; error_code: string | null }>(db, sql`
    SELECT time, actor, source_ip, action, bucket, status, error_code FROM events
    WHERE actor IS NOT NULL AND action IN (${join(LISTING_ACTIONS.map((a) => sql`${a}`), ', ')}) ORDER BY time, id`)
    .map((r) => ({
      actorKey: actorKeyOf(r.actor, r.source_ip), timeMs: r.time, action: r.action, bucket: r.bucket,
      failed: (r.status !== null && r.status >= 400) || (r.error_code !== null && r.error_code !== '-' && r.error_code !== ''),
    }));
}

/** Each actor's first request in all the evidence, with its download count. */
export function actorFirstSeen(db: ReadableDB): ActorFirstSeen[] {
  const firsts = all<{ actor: string; ip: string | null; first: number }>(db, sql`
    SELECT actor, CASE WHEN actor = 'anonymous' THEN source_ip END AS ip, min(time) AS first
    FROM events WHERE actor IS NOT NULL GROUP BY actor, ip`);
  const downloads = new Map(all<{ actor_key: string; downloads: number }>(db, sql`SELECT actor_key, downloads FROM actor_stats`).map((r) => [r.actor_key, r.downloads]));
  return firsts.map((f) => {
    const actorKey = actorKeyOf(f.actor, f.ip);
    return { actorKey, firstMs: f.first, downloads: downloads.get(actorKey) ?? 0 };
  });
}

/** The downloads a pattern covers: their ids, and the span of their times. */
export interface Covered {
  ids: number[]; fromMs: number; toMs: number;
  /**
   * The same downloads named by what they share, when that is a shorter list than their ids: the user
   * agents a tool matched, or the parties first seen in an exposure (anonymous ones by address).
   */
  agents?: string[]; actors?: string[]; addresses?: string[];
}
interface Computed { stamp: string; patterns: ExfilPatterns; covered: Record<PatternFilter, Covered> }

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

function compute(db: ReadableDB): Computed {
  const stamp = stampOf(db);
  const hit = computed.get(db);
  if (hit?.stamp === stamp) return hit;
  const settings = getPatternSettings(db);
  const downloads = patternDownloads(db);
  const patterns: ExfilPatterns = {
    settings,
    bursts: findBursts(downloads, settings.burst),
    firstSeen: firstSeenInExposure(actorFirstSeen(db), computeExposure(db)),
    tools: findToolUse(downloads, settings.tools),
    enumeration: findEnumeration(listingRequests(db), downloads),
  };
  const entry = { stamp, patterns, covered: coveredDownloads(downloads, patterns) };
  computed.set(db, entry);
  return entry;
}

export function exfilPatterns(db: ReadableDB): ExfilPatterns {
  return compute(db).patterns;
}

/**
 * The downloads each pattern's figures count: a burst's are its actor's downloads from its first to its
 * last (the rule's window holds every download of that actor between them); a tool's, those whose user
 * agent the list names; first seen, all the actor's downloads; listing first, the actor's downloads at
 * or after its first listing. Each set is the one the list's figures were counted from.
 */
export function coveredDownloads(downloads: IdDownload[], p: ExfilPatterns): Record<PatternFilter, Covered> {
  const bursts = new Map<string, Array<[number, number]>>();
  for (const b of p.bursts) bursts.set(b.actorKey, [...(bursts.get(b.actorKey) ?? []), [b.fromMs, b.toMs]]);
  const firstSeen = new Set(p.firstSeen.map((f) => f.actorKey));
  const listedAt = new Map(p.enumeration.map((e) => [e.actorKey, Date.parse(e.firstListing)]));
  const tool = toolOf(p.settings.tools);
  const empty = (): Covered => ({ ids: [], fromMs: Infinity, toMs: -Infinity });
  const out: Record<PatternFilter, Covered> = { burst: empty(), 'bulk-tool': empty(), 'first-seen': empty(), 'listed-first': empty() };
  const add = (c: Covered, d: IdDownload) => {
    c.ids.push(d.id);
    c.fromMs = Math.min(c.fromMs, d.timeMs);
    c.toMs = Math.max(c.toMs, d.timeMs);
  };
  for (const d of downloads) {
    if (bursts.get(d.actorKey)?.some(([a, b]) => d.timeMs >= a && d.timeMs <= b)) add(out.burst, d);
    if (tool(d.userAgent) !== null) add(out['bulk-tool'], d);
    if (firstSeen.has(d.actorKey)) add(out['first-seen'], d);
    const listed = listedAt.get(d.actorKey);
    if (listed !== undefined && d.timeMs >= listed) add(out['listed-first'], d);
  }
  // A tool is named by the user agent and a party by its key, so these two sets are exactly the rows
  // with one of those agents, or of those parties: ids would cost a row each, these a value each.
  out['bulk-tool'].agents = [...new Set(downloads.filter((d) => d.userAgent !== null && tool(d.userAgent) !== null).map((d) => d.userAgent!))];
  out['first-seen'].actors = [...firstSeen].filter((k) => !k.startsWith('anonymous@'));
  out['first-seen'].addresses = [...firstSeen].filter((k) => k.startsWith('anonymous@')).map((k) => k.slice('anonymous@'.length));
  return out;
}

/**
 * The timeline's pattern filter as conditions on downloads: the covered ids (one JSON parameter, read
 * once per query into SQLite's own index; `+id` keeps the page walking the time index) and their span.
 */
export function patternConditions(db: ReadableDB, pattern: PatternFilter): Sql[] {
  const c = compute(db).covered[pattern];
  if (!c.ids.length) return [sql`0`];
  const span = [sql`time >= ${c.fromMs}`, sql`time <= ${c.toMs}`];
  const within = (values: Array<string | number>) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
  // On the ledger's own columns: a page is found in the ledger alone.
  if (c.agents) return [...span, sql`${eventField('user_agent')} IN ${within(c.agents)}`];
  if (c.actors && c.addresses) {
    // actorKeyOf names an anonymous party without an address anonymous@unknown.
    const anonymous = c.addresses.includes('unknown') ? sql`(source_ip IN ${within(c.addresses)} OR source_ip IS NULL)` : sql`source_ip IN ${within(c.addresses)}`;
    return [...span, sql`(actor_id IN ${actorIds(sql`actor IN ${within(c.actors)}`)} OR (actor_id = ${actorIds(sql`actor = 'anonymous'`)} AND ${anonymous}))`];
  }
  return [...span, sql`+id IN ${within(c.ids)}`];
}
