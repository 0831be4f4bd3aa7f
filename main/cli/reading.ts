// How the reading commands (timeline, summary, report, export) open a case: read-only, so reading
// never changes it — no migration, no refresh. Summaries that do not cover every event are said so:
// `report` and `export` refuse (a board must not get stale figures), `timeline` and `summary` warn.
import { analysisStaleness } from '../case/freshness';
import { openReadable, type ReadableDB } from '../case/db';
import type { CliIo } from './kit';

export class StaleCaseError extends Error {}

export function staleMessage(casePath: string, reason: string): string {
  return `the case's derived figures are out of date: ${reason}. Bring them up to date with \`trailmark upgrade --case ${casePath}\` (it writes the case and logs it in custody)`;
}

/** Opens the case read-only and runs `read` on it; `onStale` decides what out-of-date summaries mean. */
export async function readCase<T>(casePath: string, onStale: 'refuse' | 'warn', io: CliIo, read: (db: ReadableDB, stale: string | null) => T | Promise<T>): Promise<T> {
  const db = openReadable(casePath);
  try {
    const reason = analysisStaleness(db);
    if (reason && onStale === 'refuse') throw new StaleCaseError(staleMessage(casePath, reason));
    if (reason) io.err(`warning: ${staleMessage(casePath, reason)}\n`);
    return await read(db, reason);
  } finally {
    db.close();
  }
}
