// Display formatting. Times always carry their zone; absent values show as an em dash.
import { formatInZone } from '../../shared/analysis';

export const DASH = '—';

export function time(ms: number | null | undefined, zone: string, withMs = false): string {
  return ms == null ? DASH : formatInZone(ms, zone, withMs);
}

export function timeIso(iso: string | null | undefined, zone: string, withMs = false): string {
  return iso ? formatInZone(Date.parse(iso), zone, withMs) : DASH;
}

export function bytes(n: number | null | undefined): string {
  if (n == null) return DASH;
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
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
