// The (filtered) downloads timeline out of the case: CSV, JSON lines, and a CSV Timesketch imports
// as is (its message, timestamp, datetime and timestamp_desc columns, then ours). Streamed to the
// file in chunks, so an export of millions of rows stays small in memory.
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ExposureWindow } from '../../shared/analysis';
import type { DownloadRow } from '../../shared/api';
import { exposureClassifier, type ExposureClass } from '../../shared/exposure-rule';
import { csvLine } from './csv';
import { Namer } from './redact';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'timesketch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_COLUMNS = [
  'download_id', 'time', 'actor', 'source_ip', 'user_agent', 'bucket', 'key', 'bytes_sent', 'object_size', 'status', 'complete', 'sources', 'request_id',
  'exposure',
  // The answers digest of the case the export was taken from, on every row: a CSV has no other place
  // for it that every reader keeps (`trailmark verify --report` checks it).
  'answers_digest',
  // Address context (ip_context), after the observed fields: derived from the shipped data of the date the report states.
  'country', 'asn', 'org', 'aws', 'address_label',
] as const;

/**
 * One download as export fields, in EXPORT_COLUMNS order. Time is ISO 8601 UTC. bytes_sent, object_size
 * and complete are empty (null) where the logs did not say: unknown, not 0. exposure is inside, boundary
 * (same second as the change that opened or closed a window: order unknown) or outside; empty when the
 * case had no exposure analysis.
 */
export function exportRecord(r: DownloadRow, namer: Namer, exposure: ExposureClass | null = null, answersDigest: string | null = null): Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null> {
  return {
    download_id: r.id, time: new Date(r.timeMs).toISOString(), actor: namer.principal(r.actor), source_ip: namer.ip(r.sourceIp),
    user_agent: r.userAgent, bucket: r.bucket, key: r.key, bytes_sent: r.bytesSent, object_size: r.objectSize, status: r.status,
    complete: r.complete, sources: r.sources.join('|'), request_id: r.requestId, exposure, answers_digest: answersDigest,
    country: r.country ?? null, asn: r.asn ?? null, org: r.org ?? null, aws: r.aws ?? null,
    // The label may quote the address itself ("through VPC endpoint vpce-…"): redacted exports leave it out.
    address_label: namer.redact ? null : r.addressLabel ?? null,
  };
}

/** Timesketch wants ISO 8601 with an explicit offset, as its own examples write it. */
function timesketchDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

function message(rec: ReturnType<typeof exportRecord>): string {
  const who = rec.actor === 'anonymous' ? `anonymous (${rec.source_ip ?? 'unknown address'})` : String(rec.actor);
  const how = rec.complete === true ? 'complete copy' : rec.complete === false ? 'partial read' : 'completeness unknown';
  const bytes = rec.bytes_sent === null ? 'unknown bytes' : `${rec.bytes_sent} bytes`;
  const when = rec.exposure === 'inside' ? ', while exposed' : rec.exposure === 'boundary' ? ', at the boundary of an exposure window (same second as the change)' : '';
  return `${who} downloaded s3://${rec.bucket}/${rec.key} (${bytes}, ${how})${when}`;
}

export function exportHeader(format: ExportFormat): string {
  if (format === 'csv') return csvLine([...EXPORT_COLUMNS]);
  if (format === 'timesketch') return csvLine(['message', 'timestamp', 'datetime', 'timestamp_desc', ...EXPORT_COLUMNS]);
  return '';
}

export function exportLine(format: ExportFormat, r: DownloadRow, namer: Namer, exposure: ExposureClass | null = null, answersDigest: string | null = null): string {
  const rec = exportRecord(r, namer, exposure, answersDigest);
  if (format === 'jsonl') return `${JSON.stringify(rec)}\n`;
  const cells = EXPORT_COLUMNS.map((c) => rec[c]);
  if (format === 'csv') return csvLine(cells);
  return csvLine([message(rec), r.timeMs * 1000, timesketchDatetime(r.timeMs), 'Object downloaded', ...cells]);
}

export interface ExportResult { rows: number; bytes: number; sha256: string; answersDigest: string | null }

/** Writes the rows to `outPath` (replacing it) in the format; `exposure`: the case's windows, classifying each row. */
export function writeExport(
  rows: Iterable<DownloadRow>, format: ExportFormat, outPath: string, opts: { redact?: boolean; exposure?: ExposureWindow[] | null; answersDigest?: string | null } = {},
): ExportResult {
  const namer = new Namer(opts.redact === true);
  const classify = opts.exposure ? exposureClassifier(opts.exposure) : () => null;
  const fd = openSync(outPath, 'w');
  let buf = exportHeader(format);
  let n = 0;
  let bytes = 0;
  const hash = createHash('sha256');
  const flush = () => {
    if (!buf) return;
    const b = Buffer.from(buf, 'utf8');
    writeSync(fd, b);
    hash.update(b);
    bytes += b.length;
    buf = '';
  };
  try {
    for (const r of rows) {
      buf += exportLine(format, r, namer, classify(r), opts.answersDigest ?? null);
      n++;
      if (buf.length > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { rows: n, bytes, sha256: hash.digest('hex'), answersDigest: opts.answersDigest ?? null };
}
