// Text lines for `trailmark summary`: downloads by country and network (with the data's date), and
// the exfiltration patterns with their figures — what was observed, never a verdict.
import { formatInZone } from '../../shared/analysis';
import type { AddressSummary, ExfilPatterns } from '../../shared/enrich';
import { formatBytes, formatByteSum, unknownBytesNote } from '../../shared/bytes';
import { printable } from '../../shared/printable';

/** A byte sum in the house convention (shared/bytes): a lower bound where some downloads logged none, and says so. */
export function bytesText(bytes: number, unknown: number, rows: number): string {
  const s = { bytes, unknown, rows };
  const note = unknownBytesNote(s);
  return note ? `${formatByteSum(s)} (${note})` : formatByteSum(s);
}

export function addressLines(a: AddressSummary): string[] {
  const lines = [`Downloads by country and network (${a.sourceDates.length ? a.sourceDates.map(printable).join(' / ') : 'no addresses looked up yet'}):`];
  if (!a.networks.length) lines.push('  no downloads');
  for (const n of a.networks.slice(0, 20)) {
    lines.push(`  ${n.country ?? '--'}  ${printable(n.label)}: ${n.downloads} download(s) from ${n.addresses} address(es), ${bytesText(n.bytes, n.unknownBytes, n.downloads)}`);
  }
  lines.push(`  (${a.attribution})`);
  return lines;
}

export function patternLines(p: ExfilPatterns, tz: string): string[] {
  const t = (iso: string) => formatInZone(Date.parse(iso), tz);
  const b = p.settings.burst;
  const lines = [`Patterns observed (facts with figures, not verdicts):`];
  lines.push(`  Bursts (more than ${b.backupFiles} backup files or ${formatBytes(b.bytes)} within ${b.minutes} minutes): ${p.bursts.length || 'none'}`);
  for (const x of p.bursts.slice(0, 20)) {
    lines.push(`    ${printable(x.actorKey)}: ${x.downloads} downloads, ${x.backupFiles} backup files, ${bytesText(x.bytes, x.unknownBytes, x.downloads)} from ${t(x.from)} to ${t(x.to)} (over: ${x.over.join(' and ')})`);
  }
  lines.push(`  First seen during an exposure: ${p.firstSeen.length || 'none'}`);
  for (const x of p.firstSeen.slice(0, 20)) {
    lines.push(`    ${printable(x.actorKey)}: first request ${t(x.firstSeen)}, while s3://${printable(x.bucket)} was exposed; ${x.downloads} download(s)`);
  }
  lines.push(`  Bulk tools named in user agents: ${p.tools.length || 'none'}`);
  for (const x of p.tools.slice(0, 20)) {
    lines.push(`    ${printable(x.actorKey)}: ${printable(x.tool)}, ${x.downloads} download(s), ${bytesText(x.bytes, x.unknownBytes, x.downloads)}, ${t(x.first)} → ${t(x.last)}`);
  }
  lines.push(`  Enumeration before download: ${p.enumeration.length || 'none'}`);
  for (const x of p.enumeration.slice(0, 20)) {
    lines.push(`    ${printable(x.actorKey)}: ${x.listings} listing request(s)${x.failedListings ? ` (${x.failedListings} refused)` : ''} of ${x.buckets.map((k) => `s3://${printable(k)}`).join(', ')} from ${t(x.firstListing)}; ${x.downloadsAfter} download(s) after`);
  }
  return lines;
}
