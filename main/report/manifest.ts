// The evidence manifest as the board report gives it: a summary on the page (counts, total size, one
// SHA-256 over the full list) and the full list as a CSV written beside the PDF — a case of 10⁵ files
// would otherwise print thousands of pages. The digest is of the CSV's bytes, so the attachment can be
// checked against the printed report, and it enters the report ID with the summary.
import { createHash } from 'node:crypto';
import { csvLine } from './csv';
import type { ManifestView } from './model';

/** Files listed on the page itself; past this only the summary is printed. */
export const MANIFEST_LISTED = 50;

export const MANIFEST_COLUMNS = ['id', 'path', 'origin', 'format', 'sha256', 'size', 'acquired_at', 'examiner', 'records', 'events', 'duplicates', 'rejected', 'rows_digest', 'complete'] as const;

export interface ManifestSummary {
  files: number;
  complete: number;
  totalBytes: number;
  records: number;
  events: number;
  rejected: number;
  /** SHA-256 of the manifest CSV (manifestCsv), every file in it. */
  sha256: string;
  /** Whether the page lists every file or only the first MANIFEST_LISTED. */
  listed: number;
}

export function manifestCsv(rows: ManifestView[]): string {
  let out = csvLine([...MANIFEST_COLUMNS]);
  for (const e of rows) {
    out += csvLine([e.id, e.path, e.origin, e.format, e.sha256, e.size, e.acquiredAt, e.examiner, e.records, e.events, e.duplicates, e.rejected, e.rowsDigest, e.complete]);
  }
  return out;
}

export function manifestSummary(rows: ManifestView[], csv = manifestCsv(rows)): ManifestSummary {
  let totalBytes = 0, records = 0, events = 0, rejected = 0, complete = 0;
  for (const e of rows) {
    totalBytes += e.size;
    records += e.records;
    events += e.events;
    rejected += e.rejected;
    if (e.complete) complete++;
  }
  return {
    files: rows.length, complete, totalBytes, records, events, rejected,
    sha256: createHash('sha256').update(csv).digest('hex'), listed: Math.min(rows.length, MANIFEST_LISTED),
  };
}

/** Where the manifest CSV goes beside a report file: `board.pdf` → `board-manifest.csv`. */
export function manifestPathFor(reportPath: string): string {
  return `${reportPath.replace(/\.(pdf|html?)$/i, '')}-manifest.csv`;
}
