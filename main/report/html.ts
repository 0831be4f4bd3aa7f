// The report model as one self-contained HTML page (no scripts, no external resources), printed to
// PDF by Chromium: webContents.printToPDF in the app, playwright-core's Chromium in the CLI.
import { formatByteSum, unknownBytesNote } from '../../shared/bytes';
import { renderChart } from './chart';
import { formatBytes, formatCount, formatStamp, formatWhen } from './format';
import { html, trusted, escapeHtml, type Html } from './html-tag';
import { addressesSection, patternsSection } from './enrich-html';
import { renderIntegrity } from './integrity-html';
import type { ReportModel, TableRow } from './model';
import { REPORT_CSS } from './styles';

export interface RenderOptions {
  /** The date printed on the cover when the model has none (it is then outside the report ID). Default: now. */
  now?: Date;
}

const SOURCE_LABEL: Record<string, string> = { 's3-access-log': 'S3', cloudtrail: 'CT' };
const SOURCE_NAME: Record<string, string> = { 's3-access-log': 'S3 server access logs', cloudtrail: 'CloudTrail data events' };

function completeCell(c: boolean | null): Html {
  return c === true ? html`<span class="yes">yes</span>` : c === false ? html`partial` : html`<span class="muted">unknown</span>`;
}

/** A sum of bytes sent as a table cell: a lower bound, and over how many downloads it is unknown, where some logged none. */
function byteCell(bytes: number, unknown: number, rows: number): Html {
  const sum = { bytes, unknown, rows };
  return unknown ? html`${formatByteSum(sum)}<br><span class="small muted">${unknownBytesNote(sum)}</span>` : html`${formatBytes(bytes)}`;
}

/** Complete copies as a cell, with the downloads whose completeness is unknown beside them. */
function countCell(n: number, unknown: number): Html {
  return unknown ? html`${formatCount(n)}<br><span class="small muted">unknown for ${formatCount(unknown)}</span>` : html`${formatCount(n)}`;
}

function periodText(m: ReportModel): string {
  const tz = m.cover.timeZone;
  const f = m.cover.filter;
  const from = f.from ? formatWhen(Date.parse(f.from), tz) : m.cover.firstDownload !== null ? formatWhen(m.cover.firstDownload, tz) : null;
  const to = f.to ? formatWhen(Date.parse(f.to), tz) : m.cover.lastDownload !== null ? formatWhen(m.cover.lastDownload, tz) : null;
  return from && to ? `${from} to ${to}` : 'no downloads in the evidence';
}

function cover(m: ReportModel, now: Date): Html {
  const c = m.cover;
  const printed = c.generatedAt ?? now.getTime();
  const filter = [c.filter.bucket ? `bucket ${c.filter.bucket}` : '', c.filter.from ? `from ${formatWhen(Date.parse(c.filter.from), c.timeZone)}` : '', c.filter.to ? `to ${formatWhen(Date.parse(c.filter.to), c.timeZone)}` : ''].filter(Boolean).join(', ');
  const narrowing = c.filter.narrowing ?? [];
  return html`<header class="cover">
    <div class="kicker">${c.organisation ?? 'Incident report'} · Confidential</div>
    <h1>${c.title}</h1>
    <div class="case">${c.caseName}</div>
    <dl>
      ${c.organisation ? html`<dt>Organisation</dt><dd>${c.organisation}</dd>` : ''}
      <dt>Examiner</dt><dd>${c.examiner ?? 'not recorded'}</dd>
      <dt>Report date</dt><dd>${formatWhen(printed, c.timeZone)}</dd>
      <dt>Time zone used</dt><dd>${c.timeZone}${c.zoneOffsets === c.timeZone ? '' : ` (${c.zoneOffsets})`}; every time in this report is in this zone</dd>
      <dt>Period covered</dt><dd>${periodText(m)}${filter ? html` <span class="muted">(filtered: ${filter})</span>` : ''}</dd>
      ${narrowing.length ? html`<dt>Filters applied</dt><dd>${narrowing.join('; ')}. Every figure and table counts only the downloads these let through.</dd>` : ''}
      <dt>Report ID</dt><dd class="mono nowrap">${m.reportId}</dd>
      ${c.answersDigest ? html`<dt>Answers digest</dt><dd class="mono nowrap">${c.answersDigest}</dd>` : ''}
    </dl>
  </header>
  ${c.redacted ? html`<div class="banner">Redacted edition: IP addresses and principal names are replaced by pseudonyms (IP-1, Principal-1…).</div>` : ''}`;
}

function figures(m: ReportModel): Html {
  const t = m.totals;
  const fig = (n: string, l: string, alert = false) => html`<div class="figure${alert ? ' alert' : ''}"><div class="n">${n}</div><div class="l">${l}</div></div>`;
  return html`<div class="figures">
    ${fig(formatCount(t.downloads), 'successful downloads')}
    ${fig(m.exposures.length ? formatCount(t.inExposure) : '—', t.atBoundary ? `of them while exposed, ${formatCount(t.atBoundary)} more at the boundary` : 'of them while exposed', t.inExposure > 0)}
    ${fig(formatCount(t.parties), `parties, ${formatCount(t.ips)} IP addresses`)}
    ${fig(formatByteSum({ bytes: t.bytes, unknown: t.bytesUnknown, rows: t.downloads }), t.bytesUnknown ? `sent in total; ${unknownBytesNote({ bytes: t.bytes, unknown: t.bytesUnknown, rows: t.downloads })}` : 'sent in total')}
    ${fig(formatCount(t.objects), 'different files')}
    ${fig(m.methodology.backupPatterns.length ? formatCount(t.backupObjects) : '—', 'backup files among them', t.backupObjects > 0)}
    ${fig(formatCount(t.complete), 'complete copies', t.complete > 0)}
    ${fig(formatCount(t.partial + t.unknownCompleteness), 'partial or unknown')}
  </div>`;
}

function summary(m: ReportModel): Html {
  return html`<section><h2>Executive summary</h2>
    ${figures(m)}
    <ol class="summary">${m.summary.map((s) => html`<li><div class="sentence">${s.text}</div>
      <ul class="basis">${s.basis.map((b) => html`<li>${b}</li>`)}</ul></li>`)}</ol>
  </section>`;
}

function timeline(m: ReportModel): Html {
  const tz = m.cover.timeZone;
  const exposureTable = m.exposures.length ? html`<table>
      <caption>Exposure windows</caption>
      <colgroup><col style="width:32mm"><col style="width:25mm"><col style="width:25mm"><col style="width:18mm"><col><col style="width:19mm"></colgroup>
      <thead><tr><th>Bucket / object</th><th>From (${tz})</th><th>To (${tz})</th><th>Readable by</th><th>How it is known</th><th class="num">Downloads</th></tr></thead>
      <tbody>${m.exposures.map((w) => html`<tr>
        <td class="wrap">${w.key === null ? w.bucket : `${w.bucket}/${w.key}`}</td>
        <td class="small">${w.from !== null ? formatStamp(w.from, tz) : w.evidenceFrom !== null ? `open before the bucket's evidence starts at ${formatStamp(w.evidenceFrom, tz)}` : 'before the evidence begins'}</td>
        <td class="small">${w.to !== null ? formatStamp(w.to, tz) : w.evidenceTo !== null ? `still open when the bucket's evidence ends at ${formatStamp(w.evidenceTo, tz)}` : 'after the evidence ends'}</td>
        <td>${w.readableBy}</td>
        <td class="small wrap">${w.how}${w.caveats.map((c) => html`<br><span class="muted">Caveat: ${c}</span>`)}</td>
        <td class="num">${formatCount(w.downloads)}${w.atBoundary ? html`<br><span class="small muted">+${formatCount(w.atBoundary)} at the boundary</span>` : ''}</td></tr>`)}</tbody></table>` : '';
  // Only the chart is kept in one piece: keeping the exposure table with it pushed the whole block to
  // the next page whenever it did not fit below the summary, leaving that page mostly blank.
  return html`<section><div class="keep"><h2>Timeline</h2>
    ${m.chart ? html`
      <p class="small muted">Top: downloads per time interval (dark: complete copies). Below: one lane per party; a filled dot marks an interval with a complete copy, an open dot only partial or unknown reads; larger dots mean more downloads.${m.chart.otherParties ? ` The last lane gathers ${m.chart.otherParties} further parties.` : ''}</p>
      ${renderChart(m.chart, tz)}
      <div class="legend">${m.exposures.length ? html`<span class="l-band">exposure window</span>` : ''}<span class="l-all">downloads</span><span class="l-complete">complete copies</span><span class="l-full">interval with a complete copy</span><span class="l-open">partial reads only</span></div>`
      : html`<p class="empty">No downloads or exposure windows to chart.</p>`}</div>
    ${exposureTable}
  </section>`;
}

function downloadRows(rows: TableRow[], tz: string, oneBucket: boolean, showSources: boolean): Html {
  // Built as one string: the 10k-row table is the report's hot path.
  let out = '';
  for (const r of rows) {
    out += `<tr${r.exposure === 'inside' ? ' class="x"' : r.exposure === 'boundary' ? ' class="b"' : ''}><td>${formatStamp(r.time, tz)}${r.exposure === 'boundary' ? '<br><span class="small">at the boundary</span>' : ''}</td><td>${escapeHtml(r.ip ?? '—')}</td>`
      + `<td class="wrap">${escapeHtml(oneBucket ? r.key : `${r.bucket}/${r.key}`)}</td><td class="num">${r.bytesSent === null ? 'unknown' : formatCount(r.bytesSent)}</td>`
      + `<td class="num">${r.objectSize === null ? 'unknown' : formatCount(r.objectSize)}</td><td>${completeCell(r.complete).text}</td>`
      + (showSources ? `<td>${r.sources.map((s) => SOURCE_LABEL[s] ?? s).join(' + ')}</td></tr>` : '</tr>');
  }
  return trusted(out);
}

function downloads(m: ReportModel): Html {
  const tz = m.cover.timeZone;
  const oneBucket = m.buckets.length === 1;
  // A column that says the same on every row is said once above the table instead (and 10k rows lay out faster).
  const sourceSets = new Set(m.groups.flatMap((g) => g.rows.map((r) => r.sources.join('+'))));
  const showSources = sourceSets.size > 1;
  const onlySource = !showSources && sourceSets.size === 1 ? [...sourceSets][0].split('+').map((s) => SOURCE_NAME[s] ?? s).join(' and ') : null;
  // The body's sections flow on from one another: a forced page break here left the page of a short
  // timeline (or a short table) mostly blank. Only the methodology appendix starts a page of its own.
  return html`<section><h2>Downloads by party</h2>
    <p class="small muted intro">Every successful download${m.tableLimit ? html` (the first ${formatCount(m.tableLimit.shown)} of ${formatCount(m.tableLimit.total)}; the export lists them all)` : ''}, grouped by the party that made it, in time order.
      Times in ${tz}.${oneBucket ? ` Objects are in bucket ${m.buckets[0]}.` : ''}${onlySource ? ` Every download was seen in the ${onlySource}.` : ' Sources: S3 = S3 server access log, CT = CloudTrail data event.'} Shaded rows fall inside an exposure window; hatched rows, marked at the boundary, fall in the same second as the change that opened or closed one (the order within the second is unknown). Bytes and sizes are exact byte counts; unknown where the logs did not record them.</p>
    ${m.groups.length ? m.groups.map((g) => html`<table class="dl">
      <caption class="wrap">${g.party} — ${formatCount(g.rows.length)} ${g.rows.length === 1 ? 'download' : 'downloads'}</caption>
      <colgroup><col style="width:27mm"><col style="width:24mm"><col><col style="width:19mm"><col style="width:19mm"><col style="width:14mm">${showSources ? html`<col style="width:14mm">` : ''}</colgroup>
      <thead><tr><th>Time</th><th>IP address</th><th>Object</th><th class="num">Bytes sent</th><th class="num">Object size</th><th>Complete</th>${showSources ? html`<th>Sources</th>` : ''}</tr></thead>
      <tbody>${downloadRows(g.rows, tz, oneBucket, showSources)}</tbody></table>`) : html`<p class="empty">No downloads.</p>`}
  </section>`;
}

function actors(m: ReportModel): Html {
  const tz = m.cover.timeZone;
  return html`<section><h2>Parties</h2>
    <p class="small muted intro">Who downloaded: each principal, and each IP address of unauthenticated (anonymous) callers. User agents are shown as logged and can be forged.</p>
    ${m.actors.length ? html`<table>
      <colgroup><col style="width:56mm"><col><col><col><col><col><col><col style="width:32mm"></colgroup>
      <thead><tr><th>Party</th><th class="num">Downloads</th><th class="num">While exposed</th><th class="num">Files</th><th class="num">Backups</th><th class="num">Complete copies</th><th class="num">Bytes sent</th><th>First / last (${tz})</th></tr></thead>
      <tbody>${m.actors.map((a) => html`<tr>
        <td class="wrap"><strong>${a.party}</strong>${a.identity ? html`<br><span class="small">identity: ${a.identity}</span>` : ''}
          ${a.userAgentSamples.length ? html`<br><span class="small muted">user agent${a.userAgents > 1 ? 's' : ''}: ${a.userAgentSamples.map((u, i) => html`${i ? ' · ' : ''}<span class="mono">${u}</span>`)}${a.userAgents > a.userAgentSamples.length ? ` (+${a.userAgents - a.userAgentSamples.length} more)` : ''}</span>` : ''}
          ${a.address ? html`<br><span class="small">network: ${a.address}</span>` : ''}
          ${!a.anonymous && a.ips ? html`<br><span class="small muted">${formatCount(a.ips)} IP address${a.ips === 1 ? '' : 'es'}</span>` : ''}</td>
        <td class="num">${formatCount(a.downloads)}</td><td class="num">${formatCount(a.downloadsInExposure)}${a.downloadsAtBoundary ? html`<br><span class="small muted">+${formatCount(a.downloadsAtBoundary)} at the boundary</span>` : ''}</td><td class="num">${formatCount(a.objects)}</td>
        <td class="num">${formatCount(a.backupObjects)}</td><td class="num">${countCell(a.completeCopies, a.completenessUnknown)}</td>
        <td class="num">${byteCell(a.bytes, a.bytesUnknown, a.downloads)}</td><td class="time small">${formatStamp(a.first, tz)}<br>${formatStamp(a.last, tz)}</td></tr>`)}</tbody></table>
      ${m.totals.parties > m.actors.length ? html`<p class="small muted">The ${formatCount(m.actors.length)} parties with the most data are listed; ${formatCount(m.totals.parties - m.actors.length)} more are in the downloads table and the export.</p>` : ''}`
      : html`<p class="empty">No parties downloaded anything.</p>`}
  </section>
  <section><h2>Files</h2>
    ${m.buckets.length === 1 ? html`<p class="small muted">Every file downloaded from bucket ${m.buckets[0]}, backups first.</p>` : ''}
    ${m.objects.length ? html`<table>
      <colgroup><col style="width:62mm"><col><col><col><col><col><col style="width:32mm"></colgroup>
      <thead><tr><th>Object</th><th class="num">Size</th><th class="num">Downloads</th><th class="num">Parties</th><th class="num">Complete copies</th><th class="num">Bytes sent</th><th>First / last (${tz})</th></tr></thead>
      <tbody>${m.objects.map((o) => html`<tr>
        <td class="wrap">${m.buckets.length === 1 ? o.key : `${o.bucket}/${o.key}`} ${o.isBackup ? html`<span class="tag">backup</span>` : ''}</td>
        <td class="num">${formatBytes(o.size)}</td><td class="num">${formatCount(o.downloads)}</td><td class="num">${formatCount(o.parties)}</td>
        <td class="num">${countCell(o.completeCopies, o.completenessUnknown)}</td><td class="num">${byteCell(o.bytes, o.bytesUnknown, o.downloads)}</td>
        <td class="time small">${formatStamp(o.first, tz)}<br>${formatStamp(o.last, tz)}</td></tr>`)}</tbody></table>
      ${m.totals.objects > m.objects.length ? html`<p class="small muted">${formatCount(m.objects.length)} of ${formatCount(m.totals.objects)} files listed (backups first, then by data sent).</p>` : ''}`
      : html`<p class="empty">No files were downloaded.</p>`}
  </section>`;
}

function gapsAndNotes(m: ReportModel): Html {
  return html`<section><h2>Evidence gaps and limitations</h2>
    ${m.gaps.length ? html`<ul class="gaps">${m.gaps.map((g) => html`<li>${g.text}</li>`)}</ul>` : html`<p>No gaps in the evidence were found.</p>`}
  </section>
  <section><h2>Investigator notes</h2>
    ${m.notes.length ? m.notes.map((n) => html`<div class="note"><div class="small muted">${n.about} · ${n.examiner ?? 'examiner not recorded'} · ${formatWhen(Date.parse(n.createdAt), m.cover.timeZone)}</div><div class="text">${n.text}</div></div>`)
      : html`<p class="empty">No notes were marked for inclusion in the report.</p>`}
  </section>`;
}

function methodology(m: ReportModel): Html {
  const me = m.methodology;
  const tz = m.cover.timeZone;
  return html`<section class="newpage"><h2>Methodology and evidence</h2>
    <h3>How the figures were derived</h3>
    <ul class="derivation">${me.derivation.map((d) => html`<li>${d}</li>`)}</ul>
    ${me.backupPatterns.length ? html`<p class="small">Backup files are objects whose keys match: <span class="mono">${me.backupPatterns.join('  ')}</span></p>` : ''}
    <h3>Sources</h3>
    ${me.sources.length ? html`<table><thead><tr><th>Format</th><th class="num">Evidence files</th><th class="num">Events stored</th></tr></thead>
      <tbody>${me.sources.map((s) => html`<tr><td>${s.source}</td><td class="num">${formatCount(s.evidence)}</td><td class="num">${formatCount(s.events)}</td></tr>`)}</tbody></table>`
      : html`<p class="empty">No evidence has been imported.</p>`}
    ${renderIntegrity(me.integrity, tz)}
    <h3>Evidence manifest</h3>
    <p>${formatCount(me.manifestSummary.files)} evidence file${me.manifestSummary.files === 1 ? '' : 's'} (${formatCount(me.manifestSummary.complete)} imported completely), ${formatBytes(me.manifestSummary.totalBytes)} in all:
      ${formatCount(me.manifestSummary.records)} records read, ${formatCount(me.manifestSummary.events)} events stored, ${formatCount(me.manifestSummary.rejected)} rejected.
      The full manifest${me.manifestSummary.listed < me.manifestSummary.files ? html`, of which the first ${formatCount(me.manifestSummary.listed)} files are listed below,` : ''} is the CSV file written beside this report; its SHA-256 is <span class="mono nowrap">${me.manifestSummary.sha256}</span>.</p>
    <table class="manifest">
      <colgroup><col style="width:9mm"><col><col style="width:18mm"><col style="width:16mm"><col style="width:18mm"></colgroup>
      <thead><tr><th>#</th><th>File or origin, and its SHA-256 as acquired</th><th class="num">Records</th><th class="num">Events</th><th class="num">Rejected</th></tr></thead>
      <tbody>${me.manifest.map((e) => html`<tr>
        <td class="num">${e.id}</td>
        <td><div class="wrap">${e.path}</div>
          <div class="small muted">${e.format} · ${formatBytes(e.size)} · ${e.origin} · acquired ${formatWhen(Date.parse(e.acquiredAt), tz)}${e.examiner ? ` by ${e.examiner}` : ''}${e.complete ? '' : ' · IMPORT INCOMPLETE'}${e.duplicates ? ` · ${formatCount(e.duplicates)} records already in the case` : ''}</div>
          <div class="hash">SHA-256 <span class="mono">${e.sha256}</span></div>
          ${e.rowsDigest ? html`<div class="hash muted">rows digest <span class="mono">${e.rowsDigest}</span></div>` : ''}</td>
        <td class="num">${formatCount(e.records)}</td><td class="num">${formatCount(e.events)}</td><td class="num">${formatCount(e.rejected)}</td></tr>`)}</tbody>
    </table>
    ${me.rejectReasons.length ? html`<h3>Rejected input</h3><table><colgroup><col><col style="width:25mm"></colgroup><thead><tr><th>Reason a line or record was refused</th><th class="num">Count</th></tr></thead>
      <tbody>${me.rejectReasons.map((r) => html`<tr><td class="wrap">${r.reason}</td><td class="num">${formatCount(r.count)}</td></tr>`)}</tbody></table>` : ''}
    <h3>Chain of custody</h3>
    <p>The case's custody log holds ${formatCount(me.custody.entries)} entries describing its evidence and annotations${me.custody.lastSeq !== null ? html`; the last (entry ${me.custody.lastSeq}) has the hash <span class="mono nowrap">${me.custody.lastHash}</span>` : ''}.
      ${me.custody.problems.length ? html`<strong class="yes">The chain does not verify:</strong> ${me.custody.problems.join('; ')}.` : 'Every entry links to the one before it and hashes to itself.'}
      Reports and exports are logged too but are not counted here, so an unchanged case gives the same report ID.</p>
    <h3>This report</h3>
    <p class="small">Produced by Trailmark ${m.cover.toolVersion}. Report ID: <span class="mono nowrap">${m.reportId}</span> — the SHA-256 of the report's data (every figure, row, name and option shown; the print date only when one was set), so two reports with the same ID say the same thing.${m.cover.answersDigest ? html` Answers digest: <span class="mono nowrap">${m.cover.answersDigest}</span> — the SHA-256 of the downloads, summaries, exposure windows and gaps it was built from; <span class="mono">trailmark verify --report</span> with either says whether the case, re-derived from its raw records, still gives them.` : ''}</p>
  </section>`;
}

export function renderReportHtml(model: ReportModel, options: RenderOptions = {}): string {
  const now = options.now ?? new Date();
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${model.cover.title} — ${model.cover.caseName}</title>
<style>${trusted(REPORT_CSS)}
${trusted(pageBoxes(model))}</style></head>
<body>
${cover(model, now)}
${summary(model)}
${timeline(model)}
${downloads(model)}
${actors(model)}
${addressesSection(model)}
${patternsSection(model)}
${gapsAndNotes(model)}
${methodology(model)}
</body></html>`.text;
}

/** A CSS string literal for any text: everything but plain characters becomes a CSS escape. */
export function cssString(text: string): string {
  return `"${[...text].map((c) => (/[A-Za-z0-9 _.,:;()\-]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

/**
 * Running header and footer as CSS page-margin boxes, "Page X of Y" from counter(page) and
 * counter(pages). Part of the HTML itself, so printToPDF in the app and page.pdf in the CLI
 * print the same pages, and Chromium need not lay out a header and footer document per page.
 */
function pageBoxes(m: ReportModel): string {
  const box = 'font: 7.5pt Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #5b6570;';
  const id = `${m.reportId.slice(0, 16)}\u2026`;
  return `@page {
  @top-left { content: ${cssString(m.cover.title)}; ${box} }
  @top-right { content: ${cssString(m.cover.redacted ? 'Confidential \u00b7 redacted edition' : 'Confidential')}; ${box} }
  @bottom-left { content: ${cssString(`Case: ${m.cover.caseName} \u00b7 Report ID ${id}`)}; ${box} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} }
}`;
}

/**
 * What to pass to Chromium's print: page.pdf (playwright) in the CLI, webContents.printToPDF in the
 * app. Page size, margins, header and footer all come from the HTML's own CSS.
 */
export const REPORT_PDF_OPTIONS = { printBackground: true, preferCSSPageSize: true } as const;

