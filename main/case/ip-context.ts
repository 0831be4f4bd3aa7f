// The ip_context table (migration 015): address context for every distinct source value of the case,
// filled after each import for the addresses it brought and never looked up twice. Derived from
// events.source_ip and the dated data of main/enrich; rebuildIpContext redoes it from the events
// (after `trailmark ip-ranges --refresh`, or by verify).
import type { AddressContext } from '../../shared/enrich';
import { addressEnricher, type AddressEnricher } from '../enrich/context';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { sql } from './sql';

/** analysis_progress's row for how far the events' addresses have been looked up. */
export const IP_CONTEXT_PROGRESS = 'ip_context_events';

export interface IpContextUpdate { scannedEvents: number; newAddresses: number }

/** Looks up the source values of events imported since the last call; returns what it added. */
export function updateIpContext(db: WritableDB, enricher?: AddressEnricher): IpContextUpdate {
  const after = get<{ value: number }>(db, sql`SELECT value FROM analysis_progress WHERE name = ${IP_CONTEXT_PROGRESS}`)?.value ?? 0;
  // Events of a file still being imported are left for later, as the summaries do (analysis-update.ts).
  const settledBefore = get<{ n: number }>(db, sql`SELECT coalesce(min(first_event), 9007199254740991) AS n FROM evidence WHERE status = 'importing'`)!.n;
  const upTo = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM events WHERE id > ${after} AND id < ${settledBefore}`)!.n;
  if (upTo === null) return { scannedEvents: 0, newAddresses: 0 };
  const fresh = all<{ ip: string }>(db, sql`
    SELECT DISTINCT e.source_ip AS ip FROM events e
    WHERE e.id > ${after} AND e.id <= ${upTo} AND e.source_ip IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM ip_context c WHERE c.ip = e.source_ip)`);
  const lookups = fresh.length ? (enricher ?? addressEnricher()) : null;
  db.transaction(() => {
    for (const { ip } of fresh) insertContext(db, lookups!.lookup(ip));
    run(db, sql`INSERT INTO analysis_progress (name, value) VALUES (${IP_CONTEXT_PROGRESS}, ${upTo}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`);
  })();
  return { scannedEvents: upTo - after, newAddresses: fresh.length };
}

function insertContext(db: WritableDB, c: AddressContext): void {
  run(db, sql`INSERT OR REPLACE INTO ip_context (ip, kind, country, asn, org, aws_service, aws_region, label, source_date)
    VALUES (${c.ip}, ${c.kind}, ${c.country}, ${c.asn}, ${c.org}, ${c.awsService}, ${c.awsRegion}, ${c.label}, ${c.sourceDate})`);
}

/** Forgets every answer and looks every source value up again (new data, or verify's re-derivation). */
export function rebuildIpContext(db: WritableDB, enricher?: AddressEnricher): IpContextUpdate {
  db.transaction(() => {
    run(db, sql`DELETE FROM ip_context`);
    run(db, sql`DELETE FROM analysis_progress WHERE name = ${IP_CONTEXT_PROGRESS}`);
  })();
  return updateIpContext(db, enricher);
}

interface Row { ip: string; kind: string; country: string | null; asn: number | null; org: string | null; aws_service: string | null; aws_region: string | null; label: string; source_date: string }
const toContext = (r: Row): AddressContext => ({
  ip: r.ip, kind: r.kind as AddressContext['kind'], country: r.country, asn: r.asn, org: r.org,
  awsService: r.aws_service, awsRegion: r.aws_region, label: r.label, sourceDate: r.source_date,
});

export function ipContext(db: ReadableDB, ip: string): AddressContext | null {
  const r = get<Row>(db, sql`SELECT * FROM ip_context WHERE ip = ${ip}`);
  return r ? toContext(r) : null;
}

/** Every address of the case with its context (a case holds thousands at most, not millions). */
export function allIpContext(db: ReadableDB): Map<string, AddressContext> {
  return new Map(all<Row>(db, sql`SELECT * FROM ip_context ORDER BY ip`).map((r) => [r.ip, toContext(r)]));
}

/** The data dates the case's answers came from (normally one). */
export function ipContextDates(db: ReadableDB): string[] {
  return all<{ d: string }>(db, sql`SELECT DISTINCT source_date AS d FROM ip_context ORDER BY d`).map((r) => r.d);
}

export interface IpContextCheck {
  /** Distinct source values in the events. */
  addresses: number;
  /** Source values with no row (an import cut short before its lookups). */
  missing: string[];
  /** Rows whose answer differs from the data in use now, though their data date is the same: a real discrepancy. */
  differing: string[];
  /** Rows looked up with other (older or newer) data: not an error; `trailmark ip-ranges --rebuild-case` redoes them. */
  otherData: number;
  /** Rows for values no event holds any more. */
  orphans: number;
}

/** For verify: re-derives every answer from the events with the data in use and compares, read-only. */
export function checkIpContext(db: ReadableDB, enricher?: AddressEnricher): IpContextCheck {
  const lookups = enricher ?? addressEnricher();
  const stored = allIpContext(db);
  const values = all<{ ip: string }>(db, sql`SELECT DISTINCT source_ip AS ip FROM events WHERE source_ip IS NOT NULL`).map((r) => r.ip);
  const out: IpContextCheck = { addresses: values.length, missing: [], differing: [], otherData: 0, orphans: 0 };
  const seen = new Set<string>();
  for (const ip of values) {
    seen.add(ip);
    const row = stored.get(ip);
    if (!row) { out.missing.push(ip); continue; }
    const now = lookups.lookup(ip);
    if (row.sourceDate !== now.sourceDate) { out.otherData++; continue; }
    const fields = ['kind', 'country', 'asn', 'org', 'awsService', 'awsRegion', 'label'] as const;
    if (fields.some((f) => row[f] !== now[f])) out.differing.push(ip);
  }
  for (const ip of stored.keys()) if (!seen.has(ip)) out.orphans++;
  return out;
}
