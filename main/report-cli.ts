// `trailmark report` and `trailmark export`: the board report as PDF (or HTML), and the filtered
// downloads timeline as CSV, JSON lines or a Timesketch CSV. Both record themselves in the case's
// custody log with the output's SHA-256.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TimelineFilter } from '../shared/api';
import { EXPOSURE_CLASSES, type ExposureClass } from '../shared/exposure-rule';
import { analysisConditions, computeExposure } from './case/analysis';
import { refreshAnalysisFile } from './case/analysis-cli';
import { openReadable, openWritable } from './case/db';
import { getMeta } from './case/meta';
import { recordOutput } from './case/report';
import { allDownloads } from './case/timeline';
import { filterFrom, requireCase, UsageError, type CliIo, type Command } from './cli';
import { answersDigest } from './integrity/answers-digest';
import { EXPORT_FORMATS, writeExport, type ExportFormat } from './report/export';
import { checkTimeZone } from './report/format';
import { caseAnalysis, renderCaseReport } from './report/load';
import { printPdf } from './report/pdf';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function requireOut(values: Record<string, unknown>): string {
  const out = str(values.out);
  if (!out) throw new UsageError('--out FILE is required');
  return out;
}

function requireExisting(casePath: string): void {
  if (!existsSync(casePath)) throw new UsageError(`${casePath} does not exist`);
}

function record(casePath: string, action: 'report' | 'export', details: object): void {
  const db = openWritable(casePath);
  try {
    recordOutput(db, action, details, getMeta(db).examiner ?? null);
  } finally {
    db.close();
  }
}

const sha256File = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

export const reportCommand: Command = {
  summary: 'write the board report (PDF, or HTML with --html)',
  usage: 'trailmark report --case CASE.sqlite --out report.pdf [--tz Europe/Berlin] [--redact] [--from ISO] [--to ISO] [--bucket B] ' +
    '[--date ISO] [--organisation NAME] [--table-limit N] [--chromium PATH] [--html]',
  options: {
    case: { type: 'string' }, out: { type: 'string' }, tz: { type: 'string' }, redact: { type: 'boolean' },
    from: { type: 'string' }, to: { type: 'string' }, bucket: { type: 'string' }, date: { type: 'string' },
    organisation: { type: 'string' }, chromium: { type: 'string' }, html: { type: 'boolean' }, 'table-limit': { type: 'string' },
  },
  async run(values, _p, io: CliIo) {
    const casePath = requireCase(values);
    requireExisting(casePath);
    const out = resolve(requireOut(values));
    const timeZone = str(values.tz) ?? 'UTC';
    try { checkTimeZone(timeZone); } catch (e) { throw new UsageError((e as Error).message); }
    const filter = filterFrom({ from: values.from, to: values.to, bucket: values.bucket });
    const date = str(values.date);
    if (date && Number.isNaN(Date.parse(date))) throw new UsageError('--date must be an ISO 8601 time');
    const limit = str(values['table-limit']);
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError('--table-limit must be a whole number of rows');
    const options = {
      timeZone, redact: values.redact === true, ...filter,
      generatedAt: date ? new Date(Date.parse(date)).toISOString() : undefined, organisation: str(values.organisation),
      tableLimit: limit === undefined ? undefined : Number(limit),
    };
    const started = Date.now();
    refreshAnalysisFile(casePath);
    const db = openReadable(casePath);
    let rendered;
    try {
      rendered = renderCaseReport(db, options, caseAnalysis(db, timeZone));
    } finally {
      db.close();
    }
    if (values.html) writeFileSync(out, rendered.html);
    else await printPdf(rendered.html, out, { chromiumPath: str(values.chromium) });
    const sha256 = sha256File(out);
    record(casePath, 'report', { reportId: rendered.model.reportId, answersDigest: rendered.model.cover.answersDigest, out, sha256, format: values.html ? 'html' : 'pdf', options });
    io.out(`Report ${rendered.model.reportId}\n  ${out} (SHA-256 ${sha256})\n  ${rendered.model.totals.downloads} downloads, ` +
      `times in ${timeZone}${options.redact ? ', redacted' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  },
};

export const exportCommand: Command = {
  summary: 'export the downloads timeline as CSV, JSON lines or Timesketch CSV',
  usage: 'trailmark export --case CASE.sqlite --format csv|jsonl|timesketch --out FILE [--from ISO] [--to ISO] [--actor A] [--bucket B] ' +
    '[--key-prefix P] [--country CC] [--asn N] [--backups-only] [--in-exposure | --exposure inside|boundary|outside] [--redact]',
  options: {
    country: { type: 'string' }, asn: { type: 'string' },
    case: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, bucket: { type: 'string' }, 'key-prefix': { type: 'string' },
    'backups-only': { type: 'boolean' }, 'in-exposure': { type: 'boolean' }, exposure: { type: 'string' }, redact: { type: 'boolean' },
  },
  async run(values, _p, io: CliIo) {
    const casePath = requireCase(values);
    requireExisting(casePath);
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
    refreshAnalysisFile(casePath);
    const db = openReadable(casePath);
    let result;
    try {
      const exposure = computeExposure(db);
      const extra = analysisConditions(db, filter, exposure);
      result = writeExport(allDownloads(db, filter, extra), format as ExportFormat, out, { redact: values.redact === true, exposure, answersDigest: answersDigest(db) });
    } finally {
      db.close();
    }
    record(casePath, 'export', { format, out, rows: result.rows, sha256: result.sha256, answersDigest: result.answersDigest, filter, redacted: values.redact === true });
    io.out(`Exported ${result.rows} download(s) to ${out} (${format}, SHA-256 ${result.sha256})\n`);
    return 0;
  },
};
