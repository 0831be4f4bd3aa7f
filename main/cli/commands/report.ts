// `trailmark report`: the board report as PDF (or HTML with --html), built by the same steps as the
// app's report:render (main/report/handlers.ts) from the case opened read-only, then recorded in its
// custody log with the output's SHA-256. Refused, exit 1, when the summaries are out of date.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getMeta } from '../../case/meta';
import { openForAppend } from '../../case/db';
import { buildReport, recordReport, reportOptions, sha256File, writeManifest } from '../../report/handlers';
import { printPdf } from '../../report/pdf';
import { filterFrom, requireExistingCase, requireOut, str, UsageError, type Command } from '../kit';
import { readCase } from '../reading';

export const reportCommand: Command = {
  summary: 'write the board report (PDF, or HTML with --html)',
  usage: 'trailmark report --case CASE.sqlite --out report.pdf [--tz Europe/Berlin] [--redact] [--from ISO] [--to ISO] [--bucket B] ' +
    '[--date ISO] [--organisation NAME] [--table-limit N] [--chromium PATH] [--html]',
  help: 'Opens the case read-only and refuses (exit 1) when its summaries are out of date; the report is then logged in its custody.',
  options: {
    case: { type: 'string' }, out: { type: 'string' }, tz: { type: 'string' }, redact: { type: 'boolean' },
    from: { type: 'string' }, to: { type: 'string' }, bucket: { type: 'string' }, date: { type: 'string' },
    organisation: { type: 'string' }, chromium: { type: 'string' }, html: { type: 'boolean' }, 'table-limit': { type: 'string' },
  },
  async run(values, _p, io) {
    const casePath = requireExistingCase(values);
    const out = resolve(requireOut(values));
    const filter = filterFrom({ from: values.from, to: values.to, bucket: values.bucket });
    const date = str(values.date);
    if (date && Number.isNaN(Date.parse(date))) throw new UsageError('--date must be an ISO 8601 time');
    const limit = str(values['table-limit']);
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError('--table-limit must be a whole number of rows');
    let options;
    try {
      options = reportOptions({
        timeZone: str(values.tz), redact: values.redact === true, ...filter,
        date: date ? new Date(Date.parse(date)).toISOString() : undefined, organisation: str(values.organisation),
        tableLimit: limit === undefined ? undefined : Number(limit),
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const started = Date.now();
    const rendered = await readCase(casePath, 'refuse', io, (db) => buildReport(db, options));
    if (values.html) writeFileSync(out, rendered.html);
    else await printPdf(rendered.html, out, { chromiumPath: str(values.chromium) });
    const sha256 = sha256File(out);
    const manifest = writeManifest(rendered, out);
    const db = openForAppend(casePath);
    try {
      recordReport(db, rendered, out, sha256, values.html ? 'html' : 'pdf', options, getMeta(db).examiner ?? null, manifest);
    } finally {
      db.close();
    }
    io.out(`Report ${rendered.model.reportId}\n  ${out} (SHA-256 ${sha256})\n  ${manifest.path} (evidence manifest, SHA-256 ${manifest.sha256})\n  ${rendered.model.totals.downloads} downloads, ` +
      `times in ${options.timeZone}${options.redact ? ', redacted' : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  },
};
