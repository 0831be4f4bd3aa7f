// The report's "Where the downloads came from" (by country and network, with the data's date) and
// "Patterns observed" (one short section per pattern, quoting its figures: observed, never a verdict).
import type { ExfilPatterns } from '../../shared/enrich';
import type { NetworkStats } from './aggregate';
import { formatByteSum, unknownBytesNote } from '../../shared/bytes';
import { formatBytes, formatCount, formatWhen, plural } from './format';
import type { Namer } from './redact';
import { partyLabel } from './summary';

export interface NetworkView { country: string | null; asn: number | null; network: string; addresses: number; downloads: number; bytes: number; unknownBytes: number }
export interface AddressesView { dates: string[]; attribution: string; networks: NetworkView[]; otherNetworks: number }
export interface PatternSection { title: string; rule: string; facts: string[] }
export interface PatternsView { scope: string; sections: PatternSection[] }

const MAX_NETWORKS = 25;
const MAX_FACTS = 15;

export function addressesView(networks: Map<string, NetworkStats>, info: { dates: string[]; attribution: string }, namer: Namer): AddressesView {
  const all = [...networks.values()].sort((a, b) => b.downloads - a.downloads || b.bytes - a.bytes || a.label.localeCompare(b.label));
  return {
    dates: info.dates, attribution: info.attribution, otherNetworks: Math.max(0, all.length - MAX_NETWORKS),
    networks: all.slice(0, MAX_NETWORKS).map((n) => ({
      country: n.country, asn: n.asn, network: namer.text(n.label), addresses: n.addresses.size, downloads: n.downloads, bytes: n.bytes, unknownBytes: n.unknownBytes,
    })),
  };
}

/** A byte sum in the house convention (shared/bytes): a lower bound, and says so, where some downloads logged none. */
export function bytesFigure(bytes: number, unknown: number, rows: number): string {
  const s = { bytes, unknown, rows };
  const note = unknownBytesNote(s);
  return note ? `${formatByteSum(s)}; ${note}` : formatByteSum(s);
}

function who(actorKey: string, namer: Namer): string {
  return actorKey.startsWith('anonymous@') ? partyLabel(namer, 'anonymous', actorKey.slice('anonymous@'.length)) : namer.principal(actorKey);
}

export function patternsView(p: ExfilPatterns, namer: Namer, timeZone: string, filtered: boolean): PatternsView {
  const t = (iso: string) => formatWhen(Date.parse(iso), timeZone);
  const b = p.settings.burst;
  const cap = <T>(list: T[], fact: (x: T) => string): string[] => [
    ...list.slice(0, MAX_FACTS).map(fact),
    ...(list.length > MAX_FACTS ? [`… and ${formatCount(list.length - MAX_FACTS)} more (see the case in Trailmark).`] : []),
  ];
  return {
    scope: filtered ? 'Patterns are looked for over the whole case, not only the period or bucket this report is filtered to.' : 'Patterns are looked for over the whole case.',
    sections: [
      {
        title: 'Bursts of downloads',
        rule: `A party taking more than ${formatCount(b.backupFiles)} backup files, or more than ${formatBytes(b.bytes)}, within ${b.minutes} minutes (thresholds set in the case; bytes count only where the logs record them).`,
        facts: cap(p.bursts, (x) => `${who(x.actorKey, namer)} downloaded ${plural(x.downloads, 'file')} (${formatCount(x.backupFiles)} backup files, ${bytesFigure(x.bytes, x.unknownBytes, x.downloads)}) between ${t(x.from)} and ${t(x.to)}.`),
      },
      {
        title: 'First seen while the data was exposed',
        rule: 'A party that downloaded and whose first request anywhere in the evidence came after an exposure window opened and before it closed (a window already open when the evidence starts cannot show this).',
        facts: cap(p.firstSeen, (x) => `${who(x.actorKey, namer)} first appears at ${t(x.firstSeen)}, while s3://${x.bucket} was readable; ${plural(x.downloads, 'download')} in all.`),
      },
      {
        title: 'Bulk download tools',
        rule: `Downloads whose user agent names a tool from the case's list (${p.settings.tools.map((x) => x.label).join(', ') || 'empty'}).`,
        facts: cap(p.tools, (x) => `${who(x.actorKey, namer)} used ${x.tool} for ${plural(x.downloads, 'download')} (${bytesFigure(x.bytes, x.unknownBytes, x.downloads)}) from ${t(x.first)} to ${t(x.last)}.`),
      },
      {
        title: 'Listing before downloading',
        rule: 'A party that listed a bucket (ListObjects, ListObjectsV2, REST.GET.BUCKET…) before downloading; refused listings count as attempts.',
        facts: cap(p.enumeration, (x) => `${who(x.actorKey, namer)} listed ${x.buckets.map((k) => `s3://${k}`).join(', ') || 'a bucket'} ${plural(x.listings, 'time')}${x.failedListings ? ` (${formatCount(x.failedListings)} refused)` : ''} from ${t(x.firstListing)}, then made ${plural(x.downloadsAfter, 'download')}.`),
      },
    ],
  };
}
