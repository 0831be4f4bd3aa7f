// Gathering a report's inputs from an open case and building its model, HTML and print settings.
// Used by the CLI, main/service (report:render) and the tests alike.
import type { AnalysisSummary } from '../../shared/analysis';
import type { TimelineFilter } from '../../shared/api';
import { backupMatcher } from '../analysis/backup';
import { analysisConditions, analysisSummary } from '../case/analysis';
import { getBackupPatterns } from '../case/analysis-settings';
import { listNotes } from '../case/annotations';
import type { ReadableDB } from '../case/db';
import { getIntegrityRun, integrityRunIds } from '../case/integrity-queries';
import { getMeta } from '../case/meta';
import { custodyDigest, downloadSpan, evidenceManifest, rejectReasons } from '../case/report';
import { ipContextDates } from '../case/ip-context';
import { exfilPatterns } from '../case/patterns';
import { allDownloads } from '../case/timeline';
import { hourCounts } from '../case/timeline-position';
import { ATTRIBUTION } from '../enrich/data';
import { answersDigest } from '../integrity/answers-digest';
import { TOOL_VERSION } from '../version';
import { buildReportModel, type ReportOptions } from './build';
import { renderReportHtml } from './html';
import type { ReportModel } from './model';

export interface CaseAnalysis { summary: AnalysisSummary; isBackup: (key: string) => boolean }

/** The case's leak analysis, as the report uses it. */
export function caseAnalysis(db: ReadableDB, timeZone = 'UTC'): CaseAnalysis {
  return { summary: analysisSummary(db, { timeZone }), isBackup: backupMatcher(getBackupPatterns(db)) };
}

/** The timeline filter the report applies: every one passed in `filter`, with from, to and bucket as given beside it. */
export function reportFilter(options: Pick<ReportOptions, 'from' | 'to' | 'bucket' | 'filter'>): TimelineFilter {
  const { from: _f, to: _t, bucket: _b, ...rest } = options.filter ?? {};
  const f: TimelineFilter = { ...rest };
  if (options.from) f.from = options.from;
  if (options.to) f.to = options.to;
  if (options.bucket) f.bucket = options.bucket;
  return f;
}

export function reportModelFromCase(db: ReadableDB, options: ReportOptions, analysis: CaseAnalysis | null): ReportModel {
  const meta = getMeta(db);
  const filter = reportFilter(options);
  // Exposure and backup filters are answered from the analysis, as the timeline answers them.
  const extra = analysisConditions(db, filter);
  const span = downloadSpan(db, filter, extra);
  return buildReportModel({
    caseName: meta.name ?? '',
    organisation: meta.organisation ?? null,
    examiner: meta.examiner ?? null,
    downloads: allDownloads(db, filter, extra),
    range: { first: span.first, last: span.last },
    hours: hourCounts(db, filter, extra).map((h) => h.hour),
    analysis: analysis?.summary ?? null,
    isBackup: analysis?.isBackup,
    manifest: evidenceManifest(db),
    rejectReasons: rejectReasons(db, 20),
    notes: listNotes(db),
    custody: custodyDigest(db),
    integrity: latestIntegrityRun(db),
    addressData: { dates: ipContextDates(db), attribution: ATTRIBUTION },
    patterns: analysis ? exfilPatterns(db) : null,
    toolVersion: TOOL_VERSION,
    answersDigest: answersDigest(db),
  }, { ...options, filter });
}

/** The stored run only: a report never validates. A case older than the integrity tables has none. */
function latestIntegrityRun(db: ReadableDB) {
  const last = integrityRunIds(db).at(-1);
  return last === undefined ? null : getIntegrityRun(db, last);
}

export interface RenderedReport { model: ReportModel; html: string }

export function renderCaseReport(db: ReadableDB, options: ReportOptions, analysis: CaseAnalysis | null, now = new Date()): RenderedReport {
  const model = reportModelFromCase(db, options, analysis);
  return { model, html: renderReportHtml(model, { now }) };
}
