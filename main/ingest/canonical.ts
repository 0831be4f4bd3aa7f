// The one reading of a stored record that the analysis uses: (format, raw text) → its canonical
// CloudTrail record, by the same function of the same format that parsed it at import, so the parse
// and the analysis can never read a record differently. Pure: re-derived on each read, nothing stored.
import type { Format } from '../../shared/events';
import type { CloudTrailRecord } from './canonical-record';
import { formatByName } from './registry';

/** The canonical CloudTrail record of a raw record of `format`, or null when it carries none (access logs) or cannot be read. */
export function canonicalRecord(format: Format, raw: string): CloudTrailRecord | null {
  const f = formatByName(format);
  if (f.kind === 'evidence-only') return null;
  const reading = f.canonical(raw);
  return reading && 'record' in reading ? reading.record : null;
}
