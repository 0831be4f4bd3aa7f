// Whether a case's derived tables (downloads, analysis summaries) cover every event in it — asked by
// the reading commands, which open a case read-only and so cannot bring them up to date themselves.
// The writers (the import, the case worker before each analysis answer, `trailmark upgrade`) do.
import { get, type ReadableDB } from './db';
import { sql } from './sql';

const value = (db: ReadableDB, q: ReturnType<typeof sql>) => get<{ n: number | null }>(db, q)?.n ?? null;

/** Why the summaries are not current, or null when they are. */
export function analysisStaleness(db: ReadableDB): string | null {
  const importing = value(db, sql`SELECT count(*) AS n FROM evidence WHERE status = 'importing'`) ?? 0;
  if (importing) return `${importing} evidence file(s) are still being imported (or an import was interrupted)`;
  const lastEvent = value(db, sql`SELECT max(id) AS n FROM events`) ?? 0;
  const derived = Number(value(db, sql`SELECT CAST(value AS INTEGER) AS n FROM case_meta WHERE key = 'downloads_derived_through'`) ?? 0);
  const pending = value(db, sql`SELECT 1 AS n FROM case_meta WHERE key = 'downloads_bulk_pending'`) !== null;
  if (pending || derived < lastEvent) return `downloads are not derived from the events after #${derived} (of ${lastEvent})`;
  const foldedEvents = value(db, sql`SELECT value AS n FROM analysis_progress WHERE name = 'events'`) ?? 0;
  if (foldedEvents < lastEvent) return `the summaries do not include the events after #${foldedEvents} (of ${lastEvent})`;
  const lastDownload = value(db, sql`SELECT max(id) AS n FROM downloads`) ?? 0;
  const foldedDownloads = value(db, sql`SELECT value AS n FROM analysis_progress WHERE name = 'downloads'`) ?? 0;
  if (foldedDownloads < lastDownload) return `the summaries do not include the downloads after #${foldedDownloads} (of ${lastDownload})`;
  return null;
}
