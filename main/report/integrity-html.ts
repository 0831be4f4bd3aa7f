// "Integrity of the CloudTrail logs" on the methodology page: the verdict in plain words, counts per
// file status and per digest, the coverage strip, and every problem the validation recorded.
import { renderCoverageStrip } from './coverage-strip';
import { formatCount, formatWhen } from './format';
import { html, type Html } from './html-tag';
import type { IntegrityView } from './model';

const VERDICT_CLASS = { verified: 'ok', failed: 'bad', incomplete: 'warn' } as const;

export function renderIntegrity(v: IntegrityView, timeZone: string): Html {
  const run = v.run;
  const verdict = html`<div class="verdict ${v.verdict ? VERDICT_CLASS[v.verdict] : 'none'}">${v.headline}</div>`;
  const notes = v.notes.length ? html`<ul class="derivation">${v.notes.map((n) => html`<li>${n}</li>`)}</ul>` : '';
  if (!run) return html`<h3>Integrity of the CloudTrail logs</h3>${verdict}${notes}`;
  const d = v.digests;
  const digestRows: Array<[string, number]> = [
    ['digest files checked', d.total], ['signature valid', d.valid], ['signature invalid', d.invalid], ['signature not checked (unknown)', d.unknown],
    ['breaks in the digest chain', d.chainBreaks], ['digest files the chain refers to that are not in the case', d.missing],
  ];
  return html`<h3>Integrity of the CloudTrail logs</h3>
    <p class="small">Each CloudTrail log file was hashed and compared with the SHA-256 listed in CloudTrail's hourly digest files; each digest's RSA signature was checked with CloudTrail's public keys and each digest's link to the one before it was followed, as <span class="mono">aws cloudtrail validate-logs</span> does, on the copies in the case.
      Validation ${formatWhen(Date.parse(run.at), timeZone)}${run.examiner ? ` by ${run.examiner}` : ''} (run ${run.id})${run.keysSource ? html`, public keys from <span class="mono wrap">${run.keysSource}</span>` : ''}.</p>
    ${verdict}${notes}
    <div class="two-tables">
      <table><caption>Log files</caption><colgroup><col><col style="width:18mm"></colgroup>
        <thead><tr><th>Status</th><th class="num">Files</th></tr></thead>
        <tbody>${v.files.length ? v.files.map((f) => html`<tr class="st-${f.status}"><td>${f.label}</td><td class="num">${formatCount(f.count)}</td></tr>`)
          : html`<tr><td colspan="2" class="muted">no CloudTrail log files</td></tr>`}</tbody></table>
      <table><caption>Digest files</caption><colgroup><col><col style="width:18mm"></colgroup>
        <thead><tr><th>Finding</th><th class="num">Digests</th></tr></thead>
        <tbody>${digestRows.map(([label, n]) => html`<tr><td>${label}</td><td class="num">${formatCount(n)}</td></tr>`)}</tbody></table>
    </div>
    <div class="keep"><h3>Coverage hour by hour</h3>${renderCoverageStrip(v.coverage, timeZone)}</div>
    ${v.problems.length ? html`<h3>Problems found (${formatCount(v.problems.length)})</h3><ol class="problems">${v.problems.map((p) => html`<li class="wrap">${p}</li>`)}</ol>` : html`<p class="small">No problems were found.</p>`}
    ${v.limits.length ? html`<h3>Not checked (${formatCount(v.limits.length)})</h3><ol class="problems">${v.limits.map((p) => html`<li class="wrap">${p}</li>`)}</ol>` : ''}`;
}
