// Bucket listings: `aws s3api list-objects-v2` / `list-object-versions` JSON output and S3 Inventory
// CSV files. Pure: text in, entries and rejects out.
//
// Inventory CSV has no header; its column order comes from the manifest. Without the manifest we
// read what the fixed leading columns always are (bucket, URL-encoded key) and recognise the rest
// by shape: the first whole number is the size, the first ISO time the last-modified date, and
// true/false fields after a version ID are IsLatest then IsDeleteMarker.
import type { Reject } from '../../shared/events';

export interface ListingEntry {
  bucket?: string;
  key: string;
  versionId?: string | null;
  isLatest?: boolean;
  deleteMarker?: boolean;
  size?: number | null;
  lastModified?: number | null;
}

export interface ParsedListing { bucket: string | null; kind: 'list-objects' | 'list-object-versions' | 's3-inventory-csv'; entries: ListingEntry[]; rejects: Reject[] }

type Json = Record<string, unknown>;

export function sniffListing(head: string): boolean {
  const h = head.trimStart();
  if (h.startsWith('{')) return /"(Contents|Versions|DeleteMarkers)"\s*:/.test(h.slice(0, 4096));
  return /^"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]","[^"]*"(,"[^"]*")*\r?\n/.test(h);
}

export function parseListing(text: string, fallbackBucket: string | null = null): ParsedListing {
  const t = text.trimStart();
  if (t.startsWith('{')) return parseJson(t, fallbackBucket);
  return parseInventoryCsv(text, fallbackBucket);
}

function parseJson(text: string, fallbackBucket: string | null): ParsedListing {
  const doc = JSON.parse(text) as Json;
  const bucket = (typeof doc.Name === 'string' ? doc.Name : null) ?? fallbackBucket;
  const rejects: Reject[] = [];
  const entries: ListingEntry[] = [];
  const versions = Array.isArray(doc.Versions) || Array.isArray(doc.DeleteMarkers);
  const add = (list: unknown, deleteMarker: boolean, field: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((o: Json, i) => {
      if (!o || typeof o.Key !== 'string') {
        rejects.push({ locator: i, reason: `${field}[${i}] has no Key`, text: JSON.stringify(o).slice(0, 500) });
        return;
      }
      const lm = typeof o.LastModified === 'string' ? Date.parse(o.LastModified) : NaN;
      entries.push({
        key: o.Key, size: typeof o.Size === 'number' ? o.Size : null, lastModified: Number.isNaN(lm) ? null : lm, deleteMarker,
        ...(versions ? { versionId: typeof o.VersionId === 'string' ? o.VersionId : null, isLatest: o.IsLatest === true } : {}),
      });
    });
  };
  add(doc.Contents, false, 'Contents');
  add(doc.Versions, false, 'Versions');
  add(doc.DeleteMarkers, true, 'DeleteMarkers');
  return { bucket, kind: versions ? 'list-object-versions' : 'list-objects', entries, rejects };
}

function splitCsv(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= line.length) return null;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      out.push(v);
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) break;
    if (line[i] !== ',') return null;
    i++;
  }
  return out;
}

function parseInventoryCsv(text: string, fallbackBucket: string | null): ParsedListing {
  const entries: ListingEntry[] = [];
  const rejects: Reject[] = [];
  let bucket: string | null = fallbackBucket;
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const f = splitCsv(line);
    if (!f || f.length < 2) {
      rejects.push({ locator: i + 1, reason: 'not an S3 Inventory CSV row (expected quoted "bucket","key",…)', text: line.slice(0, 500) });
      return;
    }
    let key: string;
    try {
      key = decodeURIComponent(f[1].replace(/\+/g, ' '));
    } catch {
      rejects.push({ locator: i + 1, reason: 'key is not valid URL encoding', text: line.slice(0, 500) });
      return;
    }
    bucket ??= f[0];
    const rest = f.slice(2);
    const size = rest.find((x) => /^\d+$/.test(x));
    const date = rest.find((x) => /^\d{4}-\d{2}-\d{2}T/.test(x));
    const bools = rest.filter((x) => x === 'true' || x === 'false');
    const hasVersion = rest.length > 0 && rest[0] !== '' && !/^\d+$/.test(rest[0]) && rest[0] !== 'true' && rest[0] !== 'false' && bools.length >= 2;
    entries.push({
      bucket: f[0], key, size: size === undefined ? null : Number(size), lastModified: date ? Date.parse(date) : null,
      ...(hasVersion ? { versionId: rest[0], isLatest: bools[0] === 'true', deleteMarker: bools[1] === 'true' } : {}),
    });
  });
  return { bucket, kind: 's3-inventory-csv', entries, rejects };
}
