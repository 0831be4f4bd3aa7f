// From what the case holds to the report model: pure, deterministic, no I/O.
import { createHash } from 'node:crypto';
import type { AnalysisSummary, ExposureWindow, Gap } from '../../shared/analysis';
import type { DownloadRow, NoteRow, TimelineFilter } from '../../shared/api';
import { narrowingWords } from '../../shared/filter-words';
import type { IntegrityRun } from '../../shared/integrity';
import type { CustodyDigest, ManifestRow, RejectReason } from '../case/report';
import type { ExfilPatterns } from '../../shared/enrich';
import { BYTE_UNITS_NOTE, formatByteSum } from '../../shared/bytes';
import { aggregate, type Aggregate } from './aggregate';
import { chartAxis, type ChartRange } from './chart-range';
import { addressesView, patternsView } from './enrich-views';
import { checkTimeZone, formatCount, formatWhen, zoneOffsets } from './format';
import { integrityGap, integritySentence, integrityView } from './integrity-view';
import type { ActorView, ChartModel, ExposureView, GapView, ManifestView, NoteView, ObjectView, PartyGroup, ReportModel } from './model';
import { manifestCsv, manifestSummary, MANIFEST_LISTED } from './manifest';
import { Namer } from './redact';
import { buildSummary, partyLabel } from './summary';

export interface ReportInputs {
  caseName: string;
  organisation: string | null;
  examiner: string | null;
  /** The downloads the report covers (already filtered), in time order. Iterated once. */
  downloads: Iterable<DownloadRow>;
  /** First and last time among those downloads. */
  range: { first: number | null; last: number | null };
  /** The UTC hours (epoch ms / 3,600,000, ascending) holding any of those downloads: where the chart's axis may break. */
  hours?: number[];
  /** Null when no analysis is available: the report then says exposure was not determined. */
  analysis: AnalysisSummary | null;
  /** Whether a key is a backup file under the case's patterns (analysis.backupPatterns); absent without analysis. */
  isBackup?: (key: string) => boolean;
  manifest: ManifestRow[];
  rejectReasons: RejectReason[];
  notes: NoteRow[];
  custody: CustodyDigest;
  /** The latest CloudTrail log integrity validation stored in the case; null when none ever ran. */
  integrity: IntegrityRun | null;
  /** The dates of the address data behind the case's address context, and its attribution. */
  addressData?: { dates: string[]; attribution: string } | null;
  /** The exfiltration patterns over the whole case (main/case/patterns.ts). */
  patterns?: ExfilPatterns | null;
  toolVersion: string;
  /** The case's answers digest (main/integrity/answers-digest.ts), printed on the cover. */
  answersDigest?: string | null;
}

export interface ReportOptions {
  timeZone?: string;
  redact?: boolean;
  from?: string;
  to?: string;
  bucket?: string;
  /**
   * The timeline's other filters (source, actor, address, key, exposure class, backups, notes), already
   * applied to `downloads`; the cover states them. Its from, to and bucket are ignored: use the fields above.
   */
  filter?: TimelineFilter;
  /** The cover date; when absent the renderer prints the day of rendering, outside the report ID. */
  generatedAt?: string;
  /** Rows in the downloads table before it stops (the export has them all). */
  tableLimit?: number;
  title?: string;
  organisation?: string;
  examiner?: string;
}

export const DEFAULT_TABLE_LIMIT = 20_000;
const MAX_LISTED = 250;
const MAX_LANES = 12;

function parseTime(iso: string | undefined, what: string): number | null {
  if (iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what} "${iso}" is not an ISO 8601 time`);
  return ms;
}

/** Whether a window overlaps the report's period; an open end reaches only as far as its bucket's own evidence. */
function overlaps(w: ExposureWindow, from: number | null, to: number | null): boolean {
  const start = w.fromMs ?? w.bucketEvidence?.fromMs ?? null;
  const end = w.toMs ?? w.bucketEvidence?.toMs ?? null;
  return (from === null || end === null || end >= from) && (to === null || start === null || start <= to);
}

function readableBy(w: ExposureWindow, namer: Namer): string {
  if (w.scope === 'public') return 'anyone';
  if (w.scope === 'authenticated-users') return 'anyone with an AWS account';
  return w.accounts.length === 1 ? `AWS account ${namer.account(w.accounts[0])}` : `AWS accounts ${w.accounts.map((a) => namer.account(a)).join(', ')}`;
}

function exposureView(w: ExposureWindow, counts: { inside: number; boundary: number }, namer: Namer, tz: string): ExposureView {
  const via = w.via === 'acl' ? 'an access control list (ACL) grant' : w.via === 'policy' ? 'a bucket policy statement' : 'downloads seen in the logs only';
  const ev = w.bucketEvidence ?? null;
  const opened = w.openedBy ? `opened by CloudTrail event ${w.openedBy}`
    : ev ? `already open when this bucket's evidence begins (${formatWhen(ev.fromMs, tz)}); when it opened is not in the evidence` : 'open when the evidence begins';
  const closed = w.to === null ? (ev ? `still open when this bucket's evidence ends (${formatWhen(ev.toMs, tz)})` : 'still open when the evidence ends')
    : w.closedBy ? `closed by CloudTrail event ${w.closedBy}` : 'end inferred (no closing event)';
  const caveats: string[] = [];
  if (w.conditional) caveats.push(`the grant carries policy conditions, so fewer people may have had access in fact: ${w.conditions.join('; ')}`);
  if (w.blockedBy) caveats.push(`a public access block was in force over part of the window: ${namer.text(w.blockedBy)}`);
  if (w.note) caveats.push(namer.text(w.note));
  return {
    bucket: w.bucket, key: w.key, from: w.fromMs, to: w.toMs, evidenceFrom: ev?.fromMs ?? null, evidenceTo: ev?.toMs ?? null,
    readableBy: readableBy(w, namer), via: w.via,
    how: `granted through ${via}; ${opened}; ${closed}`, caveats, restricted: w.conditional || w.blockedBy !== null,
    downloads: counts.inside, atBoundary: counts.boundary,
  };
}

const SOURCE_NAMES: Record<string, string> = {
  's3-access-log': 'S3 server access logs', 'cloudtrail-data': 'CloudTrail data events', 'cloudtrail-management': 'CloudTrail management events',
};

function gapView(g: Gap, tz: string, namer: Namer): GapView {
  const span = g.from && g.to ? ` from ${formatWhen(Date.parse(g.from), tz)} to ${formatWhen(Date.parse(g.to), tz)} (${formatCount(g.hours)} h)` : '';
  const where = g.bucket ? ` for bucket ${g.bucket}` : '';
  const src = g.source ? SOURCE_NAMES[g.source] ?? g.source : 'a log source';
  const note = namer.text(g.note);
  if (g.kind === 'logging-change') {
    return { kind: g.kind, short: `logging changed${where}`, text: `Logging was changed${where}${g.action ? ` (${g.action}${g.eventId ? `, CloudTrail event ${g.eventId}` : ''})` : ''}${span}: ${note}` };
  }
  if (g.kind === 'unknown-change') {
    return { kind: g.kind, short: `unknown change${where}`, text: `Access${where} was changed${g.action ? ` (${g.action}${g.eventId ? `, CloudTrail event ${g.eventId}` : ''})` : ''}, but the case does not hold what the change granted: ${note}` };
  }
  if (g.kind === 'source-absent') return { kind: g.kind, short: `no ${src}${where}`, text: `No ${src}${where} are in the case: ${note}` };
  return { kind: g.kind, short: `${src} silent${where}${span}`, text: `${src}${where} silent${span} while other logs show ${formatCount(g.otherEvents)} events: ${note}` };
}

function chartRange(first: number | null, last: number | null, exposures: ExposureWindow[], from: number | null, to: number | null, hours: number[]): ChartRange | null {
  let start = first;
  let end = last;
  const marks: number[] = [];
  for (const w of exposures) {
    // An open end reaches only as far as its bucket's own evidence, never the case's.
    const wFrom = w.fromMs ?? w.bucketEvidence?.fromMs ?? null;
    const wTo = w.toMs ?? w.bucketEvidence?.toMs ?? null;
    if (wFrom !== null) start = start === null ? wFrom : Math.min(start, wFrom);
    if (wTo !== null) end = end === null ? wTo : Math.max(end, wTo);
    marks.push(...[wFrom, wTo].filter((t): t is number => t !== null));
  }
  if (from !== null && start !== null) start = Math.max(start, from);
  if (to !== null && end !== null) end = Math.min(end, to);
  if (start === null || end === null) return null;
  if (end <= start) end = start + 60e3;
  return chartAxis(start, end, hours, marks);
}

function chartModel(agg: Aggregate, range: ChartRange, exposures: ExposureView[], namer: Namer): ChartModel {
  const parties = [...agg.parties.values()];
  const byVolume = [...parties].sort((a, b) => b.downloads - a.downloads || a.first - b.first);
  const shown = new Set((parties.length > MAX_LANES ? byVolume.slice(0, MAX_LANES - 1) : parties).map((p) => p.key));
  const lanes = parties.filter((p) => shown.has(p.key)).sort((a, b) => a.first - b.first).map((p) => ({
    label: partyLabel(namer, p.actor, p.ip), total: p.downloads,
    bins: [...p.bins].sort((a, b) => a[0] - b[0]).map(([bin, v]) => ({ bin, ...v })),
  }));
  const rest = parties.filter((p) => !shown.has(p.key));
  if (rest.length) {
    const bins = new Map<number, { downloads: number; complete: number }>();
    for (const p of rest) for (const [bin, v] of p.bins) {
      const b = bins.get(bin) ?? { downloads: 0, complete: 0 };
      b.downloads += v.downloads;
      b.complete += v.complete;
      bins.set(bin, b);
    }
    lanes.push({ label: `${rest.length} other parties`, total: rest.reduce((n, p) => n + p.downloads, 0), bins: [...bins].sort((a, b) => a[0] - b[0]).map(([bin, v]) => ({ bin, ...v })) });
  }
  const start = range.segments[0].start;
  const end = range.segments[range.segments.length - 1].end;
  return {
    start, end, segments: range.segments, histogram: agg.histogram, lanes, otherParties: rest.length,
    exposures: exposures.map((w) => ({
      from: Math.max(start, w.from ?? w.evidenceFrom ?? start), to: Math.min(end, w.to ?? w.evidenceTo ?? end),
      label: `${w.key === null ? w.bucket : `${w.bucket}/${w.key}`}: readable by ${w.readableBy}`, openStart: w.from === null, openEnd: w.to === null,
    })),
  };
}

function noteAbout(n: NoteRow, namer: Namer): string {
  const t = n.target;
  if (t.type === 'download') return `Download #${t.id}`;
  if (t.type === 'event') return `Event #${t.id}`;
  if (t.type === 'object') return `Object s3://${t.id}`;
  const anon = t.id.startsWith('anonymous@');
  return anon ? partyLabel(namer, 'anonymous', t.id.slice('anonymous@'.length)) : namer.principal(t.id);
}

function originText(origin: string): string {
  try {
    const o = JSON.parse(origin) as Record<string, unknown>;
    if (o && o.type === 'file' && Object.keys(o).length === 1) return 'local file';
  } catch { /* shown as stored */ }
  return origin;
}

/** The units sentence's second half: the total as shown and exact, and what is unknown. */
function bytesMethod(agg: Aggregate): string {
  const sum = agg.all.byteSum();
  if (sum.rows > 0 && sum.unknown >= sum.rows) return 'No download in this report logged the bytes it sent (CloudTrail data events do not record them): bytes sent are unknown, not zero.';
  const exact = `${formatByteSum(sum)} here is ${sum.unknown ? 'at least ' : ''}${formatCount(sum.bytes)} bytes.`;
  return sum.unknown
    ? `${exact} ${formatCount(sum.unknown)} of ${formatCount(sum.rows)} downloads logged no bytes sent (CloudTrail data events do not record them); they are counted as unknown, never as zero, so byte totals are lower bounds marked ≥.`
    : exact;
}

const DERIVATION = [
  'A download is a successful read of an object: an S3 server access log line for REST.GET.OBJECT (or WEBSITE.GET.OBJECT) answered 200 or 206, or a CloudTrail GetObject data event without an error code. The same request seen in both sources (same S3 request ID, bucket and key) is counted once and listed with both sources.',
  'A download is a complete copy when the bytes sent reach the object size and the request was not a partial (206 range) read; when neither figure was logged, completeness is unknown and not counted as complete.',
  'Unauthenticated (anonymous) requests carry no identity; each source IP address is counted as a separate party. Authenticated requests are attributed to the principal in the logs (IAM user, role session, account root).',
  'Exposure windows come from the bucket configuration changes in CloudTrail management events: ACL grants to all users or to any authenticated AWS user, bucket policy statements with a public or foreign principal, and public access block changes. A window opens with the change that granted access and closes with the change that removed it; where the evidence begins or ends inside a window, that edge is marked open and bounded by the evidence of that bucket (its first or last logged event), not by the rest of the case.',
  'The logs record time to the second. A download in the same second as the change that opened or closed a window may have come just before or just after it, so it is counted as at the boundary of the window, apart from the downloads inside and outside exposure, never silently on one side.',
  'Each evidence file is hashed (SHA-256) as stored when it is imported; every record read from it is kept verbatim in the case, and the rows digest (SHA-256 over each record\'s locator and text) lets anyone check the case against the files. Every import, note and export is appended to a hash-chained custody log.',
];

export function buildReportModel(inputs: ReportInputs, options: ReportOptions = {}): ReportModel {
  const timeZone = checkTimeZone(options.timeZone ?? 'UTC');
  const from = parseTime(options.from, 'from');
  const to = parseTime(options.to, 'to');
  const generatedAt = parseTime(options.generatedAt, 'generatedAt');
  const namer = new Namer(options.redact === true);
  const analysis = inputs.analysis;
  const tableLimit = options.tableLimit ?? DEFAULT_TABLE_LIMIT;

  const windows = (analysis?.exposure ?? []).filter((w) =>
    (!options.bucket || w.bucket === options.bucket) && overlaps(w, from, to));
  const backupKeys = new Set((analysis?.objects ?? []).filter((o) => o.isBackup).map((o) => `${o.bucket}/${o.key}`));
  const matcher = inputs.isBackup;
  const isBackup = (b: string, k: string) => (matcher ? matcher(k) : backupKeys.has(`${b}/${k}`));
  const backupsKnown = !!analysis && (analysis.backupPatterns.length > 0 || !!matcher);
  const range = chartRange(inputs.range.first, inputs.range.last, windows, from, to, inputs.hours ?? []);

  const agg = aggregate(inputs.downloads, { exposures: windows, isBackup, tableLimit, chart: range });
  // Name parties in the order they first appear, so pseudonyms read IP-1, IP-2… down the table.
  const parties = [...agg.parties.values()].sort((a, b) => a.first - b.first || (a.key < b.key ? -1 : 1));
  for (const p of parties) {
    namer.principal(p.actor);
    for (const ip of p.ips) namer.ip(ip);
  }
  for (const r of agg.rows) namer.ip(r.sourceIp);

  const exposures = windows.map((w, i) => exposureView(w, agg.perWindow[i], namer, timeZone));
  const identities = new Map((analysis?.actors ?? []).map((a) => [a.actorKey, a.identity]));

  const groups: PartyGroup[] = [];
  const groupOf = new Map<string, PartyGroup>();
  for (const r of agg.rows) {
    const label = partyLabel(namer, r.actor, r.actor === 'anonymous' ? r.sourceIp : null);
    let g = groupOf.get(label);
    if (!g) groupOf.set(label, (g = { party: label, rows: [] })), groups.push(g);
    g.rows.push({
      id: r.id, time: r.timeMs, actor: namer.principal(r.actor), ip: namer.ip(r.sourceIp), userAgent: r.userAgent, bucket: r.bucket, key: r.key,
      bytesSent: r.bytesSent, objectSize: r.objectSize, status: r.status, complete: r.complete, sources: r.sources, exposure: r.exposure,
    });
  }

  const actors: ActorView[] = [...agg.parties.values()]
    .sort((a, b) => b.bytes - a.bytes || b.downloads - a.downloads || a.first - b.first)
    .map((p) => {
      const identity = identities.get(p.key);
      return {
        party: partyLabel(namer, p.actor, p.ip), actor: namer.principal(p.actor), ip: namer.ip(p.ip), anonymous: p.actor === 'anonymous',
        identity: identity ? `${namer.principal(identity.identity)} (via ${identity.via})` : null,
        ips: p.ips.size, userAgents: p.userAgents.size, userAgentSamples: [...p.userAgents].slice(0, 3), downloads: p.downloads, downloadsInExposure: p.inExposure, downloadsAtBoundary: p.atBoundary, objects: p.objects.size,
        backupObjects: p.backupObjects.size, completeCopies: p.complete, completenessUnknown: p.unknownComplete, bytes: p.bytes, bytesUnknown: p.unknownBytes, first: p.first, last: p.last,
        address: p.addressLabel ? namer.text(p.addressLabel) : null,
      };
    });
  const objects: ObjectView[] = [...agg.objects.values()]
    .sort((a, b) => Number(b.isBackup) - Number(a.isBackup) || b.bytes - a.bytes || b.downloads - a.downloads || (a.bucket + a.key < b.bucket + b.key ? -1 : 1))
    .map((o) => ({ bucket: o.bucket, key: o.key, isBackup: o.isBackup, size: o.size, downloads: o.downloads, parties: o.parties.size, completeCopies: o.complete, completenessUnknown: o.unknownComplete, bytes: o.bytes, bytesUnknown: o.unknownBytes, first: o.first, last: o.last }));

  const rejected = inputs.manifest.reduce((n, e) => n + e.rejected, 0);
  const gaps: GapView[] = (analysis?.gaps ?? []).filter((g) => !options.bucket || g.bucket === null || g.bucket === options.bucket)
    .map((g) => gapView(g, timeZone, namer));
  if (!analysis) gaps.push({ kind: 'no-analysis', short: 'no analysis', text: 'No exposure or coverage analysis was available, so exposure windows and silent periods in the logs are not shown.' });
  if (agg.all.unknownCompleteness) gaps.push({ kind: 'completeness', short: 'completeness unknown', text: `${formatCount(agg.all.unknownCompleteness)} downloads logged neither bytes sent nor object size; whether they were complete copies is unknown.` });
  if (rejected) gaps.push({ kind: 'rejects', short: 'unreadable lines', text: `${formatCount(rejected)} lines or records in the evidence could not be read (see Rejected input below); any downloads in them are not counted.` });
  if (agg.all.downloads > agg.rows.length) gaps.push({ kind: 'table-truncated', short: 'table shortened', text: `The downloads table lists the first ${formatCount(agg.rows.length)} of ${formatCount(agg.all.downloads)} downloads; every figure counts them all, and the CSV export lists them all.` });

  const narrowed = narrowingWords(options.filter ?? {}).length > 0;
  const filtered = !!(options.from || options.to || options.bucket) || narrowed;
  // The tallies and assembled copies count the whole case (or bucket): any narrowing but the bucket's would misstate them.
  const backupTallies = !analysis || options.from || options.to || narrowed ? [] : analysis.backups
    .filter((b) => b.listedBackups !== null && (!options.bucket || b.bucket === options.bucket))
    .map((b) => ({ bucket: b.bucket, listed: b.listedBackups!, taken: b.takenBackups, complete: b.completeBackups }));
  // The analysis counts copies assembled from range requests over the whole case; a time filter could split them, so only unfiltered.
  const assembled = new Map((!analysis || options.from || options.to || narrowed ? [] : analysis.objects)
    .filter((o) => o.assembledCopies > 0).map((o) => [`${o.bucket}/${o.key}`, o.size ?? 0] as [string, number]));
  const summary = buildSummary({
    agg, exposures, analysed: !!analysis, backupsKnown, backupTallies, assembled, gaps, rejected, timeZone, namer,
    filtered,
  });

  const sources = new Map<string, { source: string; evidence: number; events: number }>();
  for (const e of inputs.manifest) {
    const s = sources.get(e.format) ?? { source: e.format, evidence: 0, events: 0 };
    s.evidence++;
    s.events += e.events;
    sources.set(e.format, s);
  }
  const fullManifest: ManifestView[] = inputs.manifest.map((e) => ({
    id: e.id, path: namer.text(e.path), origin: namer.text(originText(e.origin)), format: e.format, sha256: e.sha256, size: e.size, acquiredAt: e.acquiredAt,
    examiner: e.examiner, records: e.records, events: e.events, duplicates: e.duplicates, rejected: e.rejected, rowsDigest: e.rowsDigest, complete: e.status === 'complete',
  }));
  const csv = manifestCsv(fullManifest);
  const manifestSummaryOf = manifestSummary(fullManifest, csv);
  const manifest = fullManifest.slice(0, MANIFEST_LISTED);
  const notes: NoteView[] = inputs.notes.filter((n) => n.includeInReport)
    .map((n) => ({ about: noteAbout(n, namer), text: namer.text(n.text), examiner: n.examiner, createdAt: n.createdAt }));

  // After the manifest, so redacted pseudonyms keep the numbering they have without a validation run.
  const integrityCtx = { namer, timeZone, filtered };
  const integrity = integrityView(inputs.integrity, inputs.manifest, integrityCtx);
  const integrityProblem = integrityGap(integrity);
  if (integrityProblem) gaps.push(integrityProblem);
  const integrityItem = integritySentence(inputs.integrity, integrityCtx);
  if (integrityItem) summary.push(integrityItem);

  const periodStart = from ?? inputs.range.first;
  const periodEnd = to ?? inputs.range.last;
  const model: ReportModel = {
    schema: 1,
    reportId: '',
    cover: {
      title: options.title ?? 'S3 data exposure: investigation report',
      caseName: inputs.caseName || 'Unnamed case',
      organisation: options.organisation ?? inputs.organisation,
      examiner: options.examiner ?? inputs.examiner,
      timeZone,
      zoneOffsets: periodStart !== null && periodEnd !== null ? zoneOffsets(timeZone, periodStart, periodEnd) : zoneOffsets(timeZone, 0, 0),
      generatedAt,
      firstDownload: inputs.range.first,
      lastDownload: inputs.range.last,
      filter: {
        from: options.from ?? null, to: options.to ?? null, bucket: options.bucket ?? null,
        // After every table has named its parties, so the redacted pseudonyms keep their numbering.
        narrowing: narrowingWords(options.filter ?? {}, {
          actor: (t, exact) => (!namer.redact ? `"${t}"` : exact ? namer.principal(t) : '(redacted)'),
          ip: (t, exact) => (!namer.redact ? t : exact ? namer.ip(t) : '(redacted)'),
        }),
      },
      redacted: options.redact === true,
      toolVersion: inputs.toolVersion,
      answersDigest: inputs.answersDigest ?? null,
    },
    summary,
    totals: {
      downloads: agg.all.downloads, bytes: agg.all.bytes, bytesUnknown: agg.all.unknownBytes, complete: agg.all.complete, partial: agg.all.partial,
      unknownCompleteness: agg.all.unknownCompleteness, parties: agg.all.parties.size, ips: agg.all.ips.size, objects: agg.all.objects.size,
      backupObjects: agg.all.backupObjects.size, inExposure: agg.inExposure.downloads, atBoundary: agg.atBoundary.downloads,
    },
    buckets: [...agg.all.buckets].sort().slice(0, 50),
    exposures,
    chart: range && (agg.all.downloads || exposures.length) ? chartModel(agg, range, exposures, namer) : null,
    groups,
    tableLimit: agg.all.downloads > agg.rows.length ? { shown: agg.rows.length, total: agg.all.downloads } : null,
    actors: actors.slice(0, MAX_LISTED),
    objects: objects.slice(0, MAX_LISTED),
    gaps,
    notes,
    addresses: inputs.addressData && agg.all.downloads ? addressesView(agg.networks, inputs.addressData, namer) : null,
    patterns: inputs.patterns ? patternsView(inputs.patterns, namer, timeZone, filtered) : null,
    methodology: {
      derivation: [...DERIVATION,
        `All times are shown in ${timeZone}${timeZone === 'UTC' ? '' : ` (the logs record UTC; offsets over the period: ${zoneOffsets(timeZone, periodStart ?? 0, periodEnd ?? 0)})`}. ${BYTE_UNITS_NOTE} ${bytesMethod(agg)}`,
        ...(inputs.addressData ? [`Where an address came from (country, network, AWS range) is looked up offline in data shipped with Trailmark — ${inputs.addressData.dates.join('; ') || 'no addresses looked up'} — and says who held the address then, not who used it: addresses change hands, and a cloud or VPN address hides who rented it. ${inputs.addressData.attribution}.`] : []),
        ...(options.redact ? ['IP addresses and principal names are replaced by pseudonyms (IP-1, Principal-1…), the same value always by the same pseudonym within this report.'] : []),
      ],
      sources: [...sources.values()].sort((a, b) => (a.source < b.source ? -1 : 1)),
      manifest, manifestSummary: manifestSummaryOf,
      rejectReasons: inputs.rejectReasons,
      custody: inputs.custody,
      backupPatterns: analysis?.backupPatterns ?? [],
      integrity,
    },
  };
  model.reportId = reportId(model);
  csvOfModel.set(model, csv);
  return model;
}

/** SHA-256 over the model's data; the print date counts only when it was given. */
// The full manifest CSV of each model built, kept out of the model (and of its ID, which has its digest).
const csvOfModel = new WeakMap<ReportModel, string>();

/** The full evidence manifest of a built report as CSV (its SHA-256 is model.methodology.manifestSummary.sha256). */
export function manifestCsvOf(model: ReportModel): string {
  const csv = csvOfModel.get(model);
  if (csv === undefined) throw new Error('this report model was not built here');
  return csv;
}

export function reportId(model: ReportModel): string {
  return createHash('sha256').update(JSON.stringify({ ...model, reportId: '' })).digest('hex');
}

export const listedLimit = MAX_LISTED;
