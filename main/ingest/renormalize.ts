// One stored raw record normalized again by its format's own line or record parser, as the import did:
// verify's re-derivation reads every event so, and the event detail reads the fields the case does not
// store per row (the S3 host ID) so.
import type { Format } from '../../shared/events';
import type { RecordResult } from './formats/types';
import { formatByName } from './registry';

export function renormalize(format: Format, raw: string, locator: number): RecordResult {
  const f = formatByName(format);
  if (f.kind === 'lines') return f.parseLine(raw, locator);
  if (f.kind === 'document') return f.parseRecord(raw, locator);
  return { reject: `${f.description} holds no events` };
}
