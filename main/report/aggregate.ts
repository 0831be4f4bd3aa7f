// One pass over the (filtered) downloads, in time order, gathering everything the report counts:
// totals in and out of exposure, per party, per object, chart bins, and the first rows of the table.
// One pass keeps a report of a million downloads within memory bounded by parties and objects.
import { binOf, type ChartRange } from './chart-range';
import type { ExposureWindow } from '../../shared/analysis';
import type { DownloadRow } from '../../shared/api';
import { classifyInWindow, exposureClassifier, type ExposureClass } from '../../shared/exposure-rule';
import { Tally, partyKey } from './tally';

export interface PartyStats {
  key: string; actor: string; ip: string | null; ips: Set<string>; userAgents: Set<string>; objects: Set<string>;
  backupObjects: Set<string>; downloads: number; inExposure: number; atBoundary: number; complete: number; unknownComplete: number; bytes: number; unknownBytes: number;
  first: number; last: number;
  bins: Map<number, { downloads: number; complete: number }>;
  /** Address context of an anonymous party's address (ip_context), when looked up. */
  addressLabel: string | null; country: string | null;
}

/** Downloads by where they came from: country and network (or AWS range, or what a non-address is). */
export interface NetworkStats {
  country: string | null; asn: number | null; label: string; addresses: Set<string>; downloads: number; bytes: number; unknownBytes: number;
}

export interface ObjectStats {
  bucket: string; key: string; isBackup: boolean; size: number | null; downloads: number; parties: Set<string>;
  complete: number; unknownComplete: number; bytes: number; unknownBytes: number; first: number; last: number;
}

export interface Aggregate {
  all: Tally;
  inExposure: Tally;
  /** Downloads in the same second as a change that opened or closed a window (shared/exposure-rule). */
  atBoundary: Tally;
  outsideExposure: Tally;
  /** Downloads inside each exposure window and at its boundary, by window index. */
  perWindow: Array<{ inside: number; boundary: number }>;
  parties: Map<string, PartyStats>;
  objects: Map<string, ObjectStats>;
  networks: Map<string, NetworkStats>;
  histogram: Array<{ downloads: number; complete: number }>;
  rows: Array<DownloadRow & { exposure: ExposureClass }>;
}

export interface AggregateOptions {
  exposures: ExposureWindow[];
  isBackup: (bucket: string, key: string) => boolean;
  tableLimit: number;
  chart: ChartRange | null;
}

export function aggregate(downloads: Iterable<DownloadRow>, opts: AggregateOptions): Aggregate {
  const a: Aggregate = {
    all: new Tally(), inExposure: new Tally(), atBoundary: new Tally(), outsideExposure: new Tally(),
    perWindow: opts.exposures.map(() => ({ inside: 0, boundary: 0 })),
    parties: new Map(), objects: new Map(), networks: new Map(),
    histogram: opts.chart ? Array.from({ length: opts.chart.bins }, () => ({ downloads: 0, complete: 0 })) : [],
    rows: [],
  };
  const classify = exposureClassifier(opts.exposures);
  for (const d of downloads) {
    const isBackup = opts.isBackup(d.bucket, d.key);
    const exposure = classify(d);
    if (exposure !== 'outside') {
      opts.exposures.forEach((w, i) => {
        if (w.bucket !== d.bucket || (w.key !== null && w.key !== d.key)) return;
        const own = classifyInWindow(w, d.timeMs);
        // At the edge of one window but inside the merged exposure (windows that touch): inside.
        if (own === 'inside' || (own === 'boundary' && exposure === 'inside')) a.perWindow[i].inside++;
        else if (own === 'boundary') a.perWindow[i].boundary++;
      });
    }
    // Each key built once per download: a new string is hashed again by every Map and Set it meets.
    const objKey = `${d.bucket}/${d.key}`;
    const key = partyKey(d.actor, d.sourceIp);
    a.all.add(d, isBackup, key, objKey);
    (exposure === 'inside' ? a.inExposure : exposure === 'boundary' ? a.atBoundary : a.outsideExposure).add(d, isBackup, key, objKey);
    const done = d.complete === true ? 1 : 0;

    let p = a.parties.get(key);
    if (!p) {
      p = { key, actor: d.actor, ip: d.actor === 'anonymous' ? d.sourceIp : null, ips: new Set(), userAgents: new Set(), objects: new Set(),
        backupObjects: new Set(), downloads: 0, inExposure: 0, atBoundary: 0, complete: 0, unknownComplete: 0, bytes: 0, unknownBytes: 0, first: d.timeMs, last: d.timeMs, bins: new Map(),
        addressLabel: d.actor === 'anonymous' ? d.addressLabel ?? null : null, country: d.actor === 'anonymous' ? d.country ?? null : null };
      a.parties.set(key, p);
    }
    const label = d.aws ? `AWS ${d.aws}` : d.org ? `${d.org}${d.asn ? ` (AS${d.asn})` : ''}` : d.addressLabel ?? (d.sourceIp ? 'address not looked up' : 'no source address logged');
    const netKey = `${d.country ?? ''}\0${d.asn ?? ''}\0${label}`;
    let net = a.networks.get(netKey);
    if (!net) a.networks.set(netKey, (net = { country: d.country ?? null, asn: d.asn ?? null, label, addresses: new Set(), downloads: 0, bytes: 0, unknownBytes: 0 }));
    if (d.sourceIp) net.addresses.add(d.sourceIp);
    net.downloads++;
    if (d.bytesSent === null) net.unknownBytes++; else net.bytes += d.bytesSent;
    if (d.sourceIp) p.ips.add(d.sourceIp);
    if (d.userAgent) p.userAgents.add(d.userAgent);
    p.objects.add(objKey);
    if (isBackup) p.backupObjects.add(objKey);
    p.downloads++;
    if (exposure === 'inside') p.inExposure++;
    else if (exposure === 'boundary') p.atBoundary++;
    p.complete += done;
    if (d.complete === null) p.unknownComplete++;
    p.bytes += d.bytesSent ?? 0;
    if (d.bytesSent === null) p.unknownBytes++;
    p.first = Math.min(p.first, d.timeMs);
    p.last = Math.max(p.last, d.timeMs);

    let o = a.objects.get(objKey);
    if (!o) {
      o = { bucket: d.bucket, key: d.key, isBackup, size: null, downloads: 0, parties: new Set(), complete: 0, unknownComplete: 0, bytes: 0, unknownBytes: 0, first: d.timeMs, last: d.timeMs };
      a.objects.set(objKey, o);
    }
    if (d.objectSize !== null) o.size = Math.max(o.size ?? 0, d.objectSize);
    o.downloads++;
    o.parties.add(key);
    o.complete += done;
    if (d.complete === null) o.unknownComplete++;
    o.bytes += d.bytesSent ?? 0;
    if (d.bytesSent === null) o.unknownBytes++;
    o.first = Math.min(o.first, d.timeMs);
    o.last = Math.max(o.last, d.timeMs);

    if (opts.chart) {
      const bin = binOf(opts.chart, d.timeMs);
      a.histogram[bin].downloads++;
      a.histogram[bin].complete += done;
      const b = p.bins.get(bin) ?? { downloads: 0, complete: 0 };
      b.downloads++;
      b.complete += done;
      p.bins.set(bin, b);
    }
    if (a.rows.length < opts.tableLimit) a.rows.push({ ...d, exposure });
  }
  return a;
}
