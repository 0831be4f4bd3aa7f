// The report and export channels of shared/api (report:render, export:timeline) as handlers over
// the open case; main/service spreads them into its handler table. The PDF printer is injected:
// the desktop shell passes one built on webContents.printToPDF, everything else gets Chromium
// through playwright-core.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Req, Responses } from '../../shared/api';
import { analysisConditions, computeExposure } from '../case/analysis';
import { updateAnalysis } from '../case/analysis-update';
import type { WritableDB } from '../case/db';
import { recordOutput } from '../case/report';
import { allDownloads } from '../case/timeline';
import { answersDigest } from '../integrity/answers-digest';
import { writeExport } from './export';
import { checkTimeZone } from './format';
import { caseAnalysis, renderCaseReport } from './load';
import { printPdf } from './pdf';

/** Prints self-contained report HTML to a PDF file. */
export type PdfPrinter = (html: string, outPath: string) => Promise<void>;

type Channel = 'report:render' | 'export:timeline';
type Handlers = { [C in Channel]: (req: Req<C>) => Promise<Responses[C]> };

export interface ReportContext {
  db: () => WritableDB;
  examiner: () => string | null;
  /** Returns the printer to use; undefined means playwright-core's Chromium (found on this machine). */
  printer: () => PdfPrinter | undefined;
}

function fileName(caseName: string, reportId: string): string {
  const base = caseName.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'case';
  return `${base}-report-${reportId.slice(0, 8)}.pdf`;
}

export function reportHandlers(ctx: ReportContext): Handlers {
  return {
    'report:render': async (req) => {
      const timeZone = checkTimeZone(req.timeZone ?? 'UTC');
      const db = ctx.db();
      updateAnalysis(db);
      const options = {
        timeZone, redact: req.redact === true, from: req.from ?? req.filter?.from, to: req.to ?? req.filter?.to, bucket: req.bucket ?? req.filter?.bucket,
        filter: req.filter, generatedAt: req.date, organisation: req.organisation,
      };
      const { model, html } = renderCaseReport(db, options, caseAnalysis(db, timeZone));
      const base = { reportId: model.reportId, title: model.cover.title, suggestedName: fileName(model.cover.caseName, model.reportId), downloads: model.totals.downloads };
      if (!req.path) return { ...base, html, path: null, sha256: null };
      await (ctx.printer() ?? ((h: string, p: string) => printPdf(h, p)))(html, req.path);
      const sha256 = createHash('sha256').update(readFileSync(req.path)).digest('hex');
      recordOutput(db, 'report', { reportId: model.reportId, answersDigest: model.cover.answersDigest, out: req.path, sha256, format: 'pdf', options }, ctx.examiner());
      return { ...base, html: null, path: req.path, sha256 };
    },
    'export:timeline': async (req) => {
      const db = ctx.db();
      updateAnalysis(db);
      const exposure = computeExposure(db);
      const result = writeExport(allDownloads(db, req.filter, analysisConditions(db, req.filter, exposure)), req.format, req.path, { redact: req.redact === true, exposure, answersDigest: answersDigest(db) });
      recordOutput(db, 'export', { format: req.format, out: req.path, rows: result.rows, sha256: result.sha256, answersDigest: result.answersDigest, filter: req.filter, redacted: req.redact === true }, ctx.examiner());
      return { ...result, path: req.path };
    },
  };
}
