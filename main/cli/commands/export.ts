// `trailmark export`: the filtered downloads as CSV, JSON lines or a Timesketch CSV, written by the same
// steps as the app's export:timeline (main/report/handlers.ts) from the case opened read-only, then
// recorded in its custody log. Refused, exit 1, when the summaries are out of date.
import { resolve } from 'node:path';
import type { TimelineFilter } from '../../../shared/api';
import { EXPOSURE_CLASSES, type ExposureClass } from '../../../shared/exposure-rule';
import { openForAppend } from '../../case/db';
import { getMeta } from '../../case/meta';
import { EXPORT_FORMATS, type ExportFormat } from '../../report/export';
import { recordExport, writeTimelineExport } from '../../report/handlers';
import { filterFrom, requireExistingCase, requireOut, str, UsageError, type Command } from '../kit';
import { readCase } from '../reading';

export const exportCommand: Command = {
  summary: 'export the downloads timeline as CSV, JSON lines or Timesketch CSV',
  usage: 'trailmark export --case CASE.sqlite --format csv|jsonl|timesketch --out FILE [--from ISO] [--to ISO] [--actor A] [--bucket B] ' +
    '[--key-prefix P] [--country CC] [--asn N] [--pattern burst|bulk-tool|first-seen|listed-first] [--backups-only] [--in-exposure | --exposure inside|boundary|outside] [--redact]',
  help: 'Opens the case read-only and refuses (exit 1) when its summaries are out of date; the export is then logged in its custody.',
  options: {
    country: { type: 'string' }, asn: { type: 'string' }, pattern: { type: 'string' },
    case: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, bucket: { type: 'string' }, 'key-prefix': { type: 'string' },
    'backups-only': { type: 'boolean' }, 'in-exposure': { type: 'boolean' }, exposure: { type: 'string' }, redact: { type: 'boolean' },
  },
  async run(values, _p, io) {
    const casePath = requireExistingCase(values);
    const out = resolve(requireOut(values));
    const format = str(values.format);
    if (!format || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const filter: TimelineFilter = filterFrom(values);
    if (values['backups-only']) filter.backupsOnly = true;
    const exposure = values['in-exposure'] ? 'inside' : str(values.exposure);
    if (exposure !== undefined) {
      if (!(EXPOSURE_CLASSES as readonly string[]).includes(exposure)) throw new UsageError(`--exposure must be one of ${EXPOSURE_CLASSES.join(', ')}`);
      filter.exposure = exposure as ExposureClass;
    }
    const req = { format: format as ExportFormat, path: out, filter, redact: values.redact === true };
    const result = await readCase(casePath, 'refuse', io, (db) => writeTimelineExport(db, req));
    const db = openForAppend(casePath);
    try {
      recordExport(db, req, result, getMeta(db).examiner ?? null);
    } finally {
      db.close();
    }
    io.out(`Exported ${result.rows} download(s) to ${out} (${format}, SHA-256 ${result.sha256})\n`);
    return 0;
  },
};
