// Display formatting. Times always carry their zone; absent values show as an em dash.
import { formatInZone } from '../../shared/analysis';
import { formatByteSum, formatBytes, unknownBytesNote } from '../../shared/bytes';

export const DASH = '—';

export function time(ms: number | null | undefined, zone: string, withMs = false): string {
  return ms == null ? DASH : formatInZone(ms, zone, withMs);
}

export function timeIso(iso: string | null | undefined, zone: string, withMs = false): string {
  return iso ? formatInZone(Date.parse(iso), zone, withMs) : DASH;
}

/** Decimal units, the same as the board report (shared/bytes); a size the logs did not record is "unknown". */
export function bytes(n: number | null | undefined): string {
  return formatBytes(n);
}

/** A sum of bytes over `rows` downloads, `unknown` of which logged none: "≥ 1.2 MB", or "unknown" when none did. */
export function byteSum(sum: number, unknown: number, rows: number): string {
  return formatByteSum({ bytes: sum, unknown, rows });
}

/** "bytes unknown for 20 of 32 downloads", or '' when every download logged its bytes. */
export function byteSumNote(sum: number, unknown: number, rows: number): string {
  return unknownBytesNote({ bytes: sum, unknown, rows });
}

export function count(n: number | null | undefined): string {
  return n == null ? DASH : n.toLocaleString('en-US');
}

export function text(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return DASH;
  return String(v);
}

export function duration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Short label for an actor ARN: the last path part, so lanes and tables stay readable; the full ARN stays in the title. */
export function shortActor(actor: string): string {
  if (!actor.startsWith('arn:')) return actor;
  const resource = actor.split(':').slice(5).join(':');
  return resource || actor;
}
