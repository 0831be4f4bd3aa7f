// Time inputs read and written as wall-clock times in the display time zone (ISO, 24-hour, typed as
// text so every locale sees the same form and each is one Tab stop); the app keeps UTC.
import { TZDate } from '@date-fns/tz';
import { formatInZone } from '../../shared/analysis';

/** A `yyyy-MM-ddTHH:mm[:ss]` value read as a wall-clock time in the zone, back to UTC ISO; undefined when it is not one. */
export function fromLocalInput(value: string, zone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const t = new TZDate(y, mo - 1, d, h, mi, s || 0, zone).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** `yyyy-MM-dd HH:mm:ss` in the zone: the ISO 24-hour form the app shows everywhere, for a text input. */
export function toIsoInput(iso: string | undefined, zone: string): string {
  if (!iso) return '';
  return formatInZone(Date.parse(iso), zone).slice(0, 19);
}

/** A typed `yyyy-MM-dd[ HH:mm[:ss]]` (a space or a T between) read in the zone; undefined when it is not one. */
export function fromIsoInput(value: string, zone: string): string | undefined {
  const v = value.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?)?$/.exec(v);
  if (!m) return undefined;
  return fromLocalInput(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ''}`, zone);
}
