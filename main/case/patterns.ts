// Exfiltration patterns over the case (main/analysis/patterns): reads the downloads, the listing
// requests, each actor's first request and the exposure windows, and hands them to the pure rules.
// Computed on demand (report, summary, app); every figure is a function of the events.
import type { ExfilPatterns } from '../../shared/enrich';
import { backupMatcher } from '../analysis/backup';
import { findBursts } from '../analysis/patterns/bursts';
import { findEnumeration, LISTING_ACTIONS } from '../analysis/patterns/enumeration';
import { firstSeenInExposure, type ActorFirstSeen } from '../analysis/patterns/first-seen';
import { findToolUse } from '../analysis/patterns/tools';
import type { PatternDownload, PatternRequest } from '../analysis/patterns/types';
import { computeExposure } from './analysis-exposure';
import { getBackupPatterns, getPatternSettings } from './analysis-settings';
import { actorKeyOf } from './analysis-update';
import { all, type ReadableDB } from './db';
import { join, sql } from './sql';

export function patternDownloads(db: ReadableDB): PatternDownload[] {
  const isBackup = backupMatcher(getBackupPatterns(db));
  return all<{ time: number; actor: string; source_ip: string | null; user_agent: string | null; bucket: string; key: string; bytes_sent: number | null }>(db, sql`
    SELECT time, actor, source_ip, user_agent, bucket, key, bytes_sent FROM downloads ORDER BY time, id`)
    .map((d) => ({
      actorKey: actorKeyOf(d.actor, d.source_ip), timeMs: d.time, bucket: d.bucket, key: d.key,
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

export function exfilPatterns(db: ReadableDB): ExfilPatterns {
  const settings = getPatternSettings(db);
  const downloads = patternDownloads(db);
  return {
    settings,
    bursts: findBursts(downloads, settings.burst),
    firstSeen: firstSeenInExposure(actorFirstSeen(db), computeExposure(db)),
    tools: findToolUse(downloads, settings.tools),
    enumeration: findEnumeration(listingRequests(db), downloads),
  };
}
