// Downloads by country and network, from the downloads joined to ip_context (migration 015). One
// pass over the downloads: the report and `trailmark summary` call it once.
import type { AddressSummary, NetworkTally } from '../../shared/enrich';
import { ATTRIBUTION } from '../enrich/data';
import { all, type ReadableDB } from './db';
import { ipContextDates } from './ip-context';
import { sql } from './sql';

export function downloadsByNetwork(db: ReadableDB, limit = 50): NetworkTally[] {
  return all<{ country: string | null; asn: number | null; org: string | null; aws_service: string | null; aws_region: string | null; kind: string | null; label: string | null; addresses: number; downloads: number; bytes: number | null; unknown: number }>(db, sql`
    SELECT c.country, c.asn, c.org, c.aws_service, c.aws_region, c.kind,
           CASE WHEN c.kind = 'ip' AND c.aws_service IS NULL THEN NULL ELSE min(c.label) END AS label,
           count(DISTINCT d.source_ip) AS addresses, count(*) AS downloads, sum(d.bytes_sent) AS bytes, sum(d.bytes_sent IS NULL) AS unknown
    FROM downloads d LEFT JOIN ip_context c ON c.ip = d.source_ip
    GROUP BY c.country, c.asn, c.org, c.aws_service, c.aws_region, CASE WHEN c.kind IN ('ip', 'private-ip', 'reserved') THEN c.kind ELSE c.ip END
    ORDER BY downloads DESC, bytes DESC LIMIT ${limit}`)
    .map((r) => ({
      country: r.country, asn: r.asn, org: r.org, awsService: r.aws_service, awsRegion: r.aws_region,
      kind: r.kind as NetworkTally['kind'],
      label: r.label ?? (r.org ? `${r.org}${r.asn ? ` (AS${r.asn})` : ''}` : r.kind === null ? 'no source address logged' : 'unknown network'),
      addresses: r.addresses, downloads: r.downloads, bytes: r.bytes ?? 0, unknownBytes: r.unknown,
    }));
}

export function addressSummary(db: ReadableDB, limit = 50): AddressSummary {
  return { networks: downloadsByNetwork(db, limit), sourceDates: ipContextDates(db), attribution: ATTRIBUTION };
}
