// How times, sizes and counts read in the report. Every time shown carries its zone, and the zone is
// an explicit option (never the machine's), so the same case and options print the same words.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

export class ReportOptionError extends Error {}

/** Throws a clear error for a zone Intl does not know (e.g. a typo in --tz). */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ReportOptionError(`unknown time zone "${timeZone}" (use an IANA name such as UTC or Europe/Berlin)`);
  }
  return timeZone;
}

function zoneLabel(d: TZDate, timeZone: string): string {
  const offset = format(d, 'xxx');
  return timeZone === 'UTC' || timeZone === 'Etc/UTC' ? 'UTC' : `UTC${offset === '+00:00' ? '' : offset}`;
}

/** "11 Aug 2017 09:15 UTC": for sentences. */
export function formatWhen(ms: number, timeZone: string): string {
  const d = new TZDate(ms, timeZone);
  return `${format(d, 'd MMM yyyy HH:mm')} ${zoneLabel(d, timeZone)}`;
}

/** "2017-08-11 09:15:03": for table cells, whose header states the zone. */
export function formatStamp(ms: number, timeZone: string): string {
  return format(new TZDate(ms, timeZone), 'yyyy-MM-dd HH:mm:ss');
}

/** "11 Aug 2017" */
export function formatDay(ms: number, timeZone: string): string {
  return format(new TZDate(ms, timeZone), 'd MMM yyyy');
}

/** Offsets seen in a period, e.g. "UTC+01:00 / UTC+02:00" for a winter-to-summer case in Berlin. */
export function zoneOffsets(timeZone: string, fromMs: number, toMs: number): string {
  const labels = new Set<string>();
  const step = Math.max(3_600_000, Math.floor((toMs - fromMs) / 400));
  for (let t = fromMs; t <= toMs; t += step) labels.add(zoneLabel(new TZDate(t, timeZone), timeZone));
  labels.add(zoneLabel(new TZDate(toMs, timeZone), timeZone));
  return [...labels].join(' / ');
}

/** One byte convention for the app and the report: decimal units (shared/bytes). */
export { formatBytes } from '../../shared/bytes';

export function formatCount(n: number): string {
  return n.toLocaleString('en-GB');
}

/** "1 file", "3 files" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

