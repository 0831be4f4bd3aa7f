// The answers digest: one SHA-256 over everything a report or an export says — the downloads, the
// actor, object and hourly summaries, the backups and listings, the corroboration counts, the
// exposure windows and the evidence gaps — in a canonical serialization (each table's name, then its
// rows as JSON arrays in natural-key order, one a line; then the windows and gaps as JSON). The report's
// cover and every export carry it and the custody log records it, so `trailmark verify --report` can
// say later whether the case (re-derived from its raw records) still gives the same answers.
import { createHash } from 'node:crypto';
import { computeExposure, coverageAndGaps } from '../case/analysis';
import { answerRows } from '../case/answers';
import type { ReadableDB } from '../case/db';

/** Version of the serialization: a change to it must change every digest, never collide with an old one. */
const SERIALIZATION = 'trailmark answers 1';

/**
 * The digest of a case's answers. `schema` is where the tables are read: `main` for the case itself,
 * `temp` for verify's rebuild; the windows and gaps are computed on the same connection, which resolves
 * to the rebuild where there is one.
 */
export function answersDigest(db: ReadableDB, schema: 'main' | 'temp' = 'main'): string {
  const hash = createHash('sha256');
  hash.update(`${SERIALIZATION}\n`);
  for (const { table, rows } of answerRows(db, schema)) {
    hash.update(`# ${table}\n`);
    let text = '';
    for (const row of rows) {
      text += `${JSON.stringify(row)}\n`;
      if (text.length > 1 << 16) {
        hash.update(text);
        text = '';
      }
    }
    hash.update(text);
  }
  const { coverage, gaps } = coverageAndGaps(db);
  hash.update(`# exposure windows\n${JSON.stringify(computeExposure(db))}\n# coverage\n${JSON.stringify(coverage)}\n# gaps\n${JSON.stringify(gaps)}\n`);
  return hash.digest('hex');
}
