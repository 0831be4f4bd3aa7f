// The report and export channels of shared/api (report:render, export:timeline) as handlers over
// the open case, and the steps they are made of, which `trailmark report` and `trailmark export`
// call too: one way to build, write and record a report or an export. The PDF printer is injected:
// the desktop shell passes one built on webContents.printToPDF, everything else gets Chromium
// through playwright-core.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Req, Responses } from '../../shared/api';
import { analysisConditions, computeExposure } from '../case/analysis';
import { updateAnalysis } from '../case/analysis-update';
import type { ReadableDB, WritableDB } from '../case/db';
import { recordOutput } from '../case/report';
import { allDownloads } from '../case/timeline';
import { answersDigest } from '../integrity/answers-digest';
import { manifestCsvOf, type ReportOptions } from './build';
import { writeExport, type ExportResult } from './export';
import { checkTimeZone } from './format';
import { caseAnalysis, renderCaseReport, type RenderedReport } from './load';
import { manifestPathFor } from './manifest';
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

export const sha256File = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The report's options from a report:render request (the CLI adds tableLimit). */
export function reportOptions(req: Omit<Req<'report:render'>, 'path'> & { tableLimit?: number }): ReportOptions {
  return {
    timeZone: checkTimeZone(req.timeZone ?? 'UTC'), redact: req.redact === true,
    from: req.from ?? req.filter?.from, to: req.to ?? req.filter?.to, bucket: req.bucket ?? req.filter?.bucket, filter: req.filter,
    generatedAt: req.date, organisation: req.organisation, tableLimit: req.tableLimit,
  };
}

/** The report's model and HTML, from summaries the caller has made sure are current. */
export function buildReport(db: ReadableDB, options: ReportOptions): RenderedReport {
  return renderCaseReport(db, options, caseAnalysis(db, options.timeZone));
}

/** Writes the report's full evidence manifest as CSV beside the report file; its SHA-256 is the one the report prints. */
export function writeManifest(r: RenderedReport, reportPath: string): { path: string; sha256: string } {
  const path = manifestPathFor(reportPath);
  writeFileSync(path, manifestCsvOf(r.model));
  return { path, sha256: r.model.methodology.manifestSummary.sha256 };
}

/** The custody entry of a report written to `out`, with its manifest CSV. */
export function recordReport(db: WritableDB, r: RenderedReport, out: string, sha256: string, format: 'pdf' | 'html', options: ReportOptions, examiner: string | null, manifest?: { path: string; sha256: string }): void {
  recordOutput(db, 'report', { reportId: r.model.reportId, answersDigest: r.model.cover.answersDigest, out, sha256, format, options, ...(manifest ? { manifest } : {}) }, examiner);
}

/** Writes the filtered downloads of a case whose summaries are current; the caller records it (recordExport). */
export function writeTimelineExport(db: ReadableDB, req: Req<'export:timeline'>): ExportResult {
  const exposure = computeExposure(db);
  return writeExport(allDownloads(db, req.filter, analysisConditions(db, req.filter, exposure)), req.format, req.path, { redact: req.redact === true, exposure, answersDigest: answersDigest(db) });
}

export function recordExport(db: WritableDB, req: Req<'export:timeline'>, result: { rows: number; sha256: string; answersDigest: string | null }, examiner: string | null): void {
  recordOutput(db, 'export', { format: req.format, out: req.path, rows: result.rows, sha256: result.sha256, answersDigest: result.answersDigest, filter: req.filter, redacted: req.redact === true }, examiner);
}

export function reportHandlers(ctx: ReportContext): Handlers {
  return {
    'report:render': async (req) => {
      const options = reportOptions(req);
      const db = ctx.db();
      // Not caught: a report is never built from summaries that failed to update.
      updateAnalysis(db);
      const rendered = buildReport(db, options);
      const { model, html } = rendered;
      const base = { reportId: model.reportId, title: model.cover.title, suggestedName: fileName(model.cover.caseName, model.reportId), downloads: model.totals.downloads };
      if (!req.path) return { ...base, html, path: null, sha256: null };
      await (ctx.printer() ?? ((h: string, p: string) => printPdf(h, p)))(html, req.path);
      const sha256 = sha256File(req.path);
      const manifest = writeManifest(rendered, req.path);
      recordReport(db, rendered, req.path, sha256, 'pdf', options, ctx.examiner(), manifest);
      return { ...base, html: null, path: req.path, sha256 };
    },
    'export:timeline': async (req) => {
      const db = ctx.db();
      updateAnalysis(db);
      const result = writeTimelineExport(db, req);
      recordExport(db, req, result, ctx.examiner());
      return { ...result, path: req.path };
    },
  };
}
