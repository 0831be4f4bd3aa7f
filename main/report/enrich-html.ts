// "Where the downloads came from" and "Patterns observed" in the board report's HTML.
import { formatByteSum, unknownBytesNote } from '../../shared/bytes';
import { formatCount } from './format';
import { html, type Html } from './html-tag';
import type { ReportModel } from './model';

export function addressesSection(m: ReportModel): Html {
  const a = m.addresses;
  if (!a) return html``;
  return html`<section><h2>Where the downloads came from</h2>
    <p class="small muted">By country and network of the source address, as registered in the data of ${a.dates.join('; ') || 'no date'}: who held the address then, not who used it.</p>
    <table class="networks">
      <colgroup><col style="width:14mm"><col><col style="width:20mm"><col style="width:22mm"><col style="width:40mm"></colgroup>
      <thead><tr><th>Country</th><th>Network</th><th class="num">Addresses</th><th class="num">Downloads</th><th class="num">Bytes sent</th></tr></thead>
      <tbody>${a.networks.map((n) => html`<tr><td>${n.country ?? '—'}</td><td class="wrap">${n.network}</td><td class="num">${formatCount(n.addresses)}</td>
        <td class="num">${formatCount(n.downloads)}</td><td class="num">${formatByteSum({ bytes: n.bytes, unknown: n.unknownBytes, rows: n.downloads })}${n.unknownBytes ? html`<br><span class="small muted">${unknownBytesNote({ bytes: n.bytes, unknown: n.unknownBytes, rows: n.downloads })}</span>` : ''}</td></tr>`)}</tbody></table>
    ${a.otherNetworks ? html`<p class="small muted">${formatCount(a.otherNetworks)} more networks with fewer downloads are in the export.</p>` : ''}
  </section>`;
}

export function patternsSection(m: ReportModel): Html {
  const p = m.patterns;
  if (!p) return html``;
  return html`<section><h2>Patterns observed</h2>
    <p class="small muted">What the logs show, with its figures; a pattern is an observation, not a finding of intent. ${p.scope}</p>
    ${p.sections.map((s) => html`<h3>${s.title}</h3><p class="small">${s.rule}</p>
      ${s.facts.length ? html`<ul class="patterns">${s.facts.map((f) => html`<li>${f}</li>`)}</ul>` : html`<p class="empty">Not observed.</p>`}`)}
  </section>`;
}
