// The (filtered) downloads timeline out of the case: CSV, JSON lines, and a CSV Timesketch imports
// as is (its message, timestamp, datetime and timestamp_desc columns, then ours). Streamed to the
// file in chunks, so an export of millions of rows stays small in memory.
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { DownloadRow } from '../../shared/api';
import { csvLine } from './csv';
import { Namer } from './redact';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'timesketch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_COLUMNS = [
  'download_id', 'time', 'actor', 'source_ip', 'user_agent', 'bucket', 'key', 'bytes_sent', 'object_size', 'status', 'complete', 'sources', 'request_id',
  // Address context (ip_context), after the observed fields: derived from the shipped data of the date the report states.
  'country', 'asn', 'org', 'aws', 'address_label',
] as const;

/** One download as export fields, in EXPORT_COLUMNS order. Time is ISO 8601 UTC. */
export function exportRecord(r: DownloadRow, namer: Namer): Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null> {
  return {
    download_id: r.id, time: new Date(r.timeMs).toISOString(), actor: namer.principal(r.actor), source_ip: namer.ip(r.sourceIp),
    user_agent: r.userAgent, bucket: r.bucket, key: r.key, bytes_sent: r.bytesSent, object_size: r.objectSize, status: r.status,
    complete: r.complete, sources: r.sources.join('|'), request_id: r.requestId,
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
  return `${who} downloaded s3://${rec.bucket}/${rec.key} (${bytes}, ${how})`;
}

export function exportHeader(format: ExportFormat): string {
  if (format === 'csv') return csvLine([...EXPORT_COLUMNS]);
  if (format === 'timesketch') return csvLine(['message', 'timestamp', 'datetime', 'timestamp_desc', ...EXPORT_COLUMNS]);
  return '';
}

export function exportLine(format: ExportFormat, r: DownloadRow, namer: Namer): string {
  const rec = exportRecord(r, namer);
  if (format === 'jsonl') return `${JSON.stringify(rec)}\n`;
  const cells = EXPORT_COLUMNS.map((c) => rec[c]);
  if (format === 'csv') return csvLine(cells);
  return csvLine([message(rec), r.timeMs * 1000, timesketchDatetime(r.timeMs), 'Object downloaded', ...cells]);
}

export interface ExportResult { rows: number; bytes: number; sha256: string }

/** Writes the rows to `outPath` (replacing it) in the format; returns what was written. */
export function writeExport(rows: Iterable<DownloadRow>, format: ExportFormat, outPath: string, opts: { redact?: boolean } = {}): ExportResult {
  const namer = new Namer(opts.redact === true);
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
      buf += exportLine(format, r, namer);
      n++;
      if (buf.length > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { rows: n, bytes, sha256: hash.digest('hex') };
}
