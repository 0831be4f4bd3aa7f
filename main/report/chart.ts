// The timeline chart as inline SVG (vector, so it stays crisp in print): downloads per time bin,
// exposure windows as shaded bands behind everything, and one swimlane per party.
import type { ChartModel } from './model';
import { html, type Html } from './html-tag';
import { TZDate } from '@date-fns/tz';
import { addDays, format, startOfDay } from 'date-fns';

const W = 1000;
const LEFT = 230;
const RIGHT = 16;
const HIST_H = 120;
const LANE_H = 26;
const TOP = 26;
const AXIS_H = 44;

const NAVY = '#1f3a5f';
const LIGHT = '#9db4d0';
const BAND = '#f6d5d1';
const BAND_EDGE = '#c0392b';

function shorten(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.ceil(n / 2) - 1)}…${s.slice(s.length - Math.floor(n / 2))}`;
}

/** The gap drawn between two panels of a broken axis. */
const BREAK_W = 26;

/** A length of silence in words: days, or years past one. */
function silence(ms: number): string {
  const days = ms / 86400e3;
  return days >= 365 ? `${(days / 365.25).toFixed(1)} years` : `${Math.round(days)} days`;
}

export function renderChart(c: ChartModel, timeZone: string): Html {
  const plotW = W - LEFT - RIGHT;
  const segs = c.segments;
  const broken = segs.length > 1;
  const segW = (plotW - BREAK_W * (segs.length - 1)) / segs.length;
  const panels = segs.map((s, i) => ({ ...s, x0: LEFT + i * (segW + BREAK_W), bw: segW / s.bins }));
  const panelOfBin = (bin: number) => panels.find((p) => bin >= p.firstBin && bin < p.firstBin + p.bins) ?? panels[panels.length - 1];
  const binX = (bin: number) => { const p = panelOfBin(bin); return p.x0 + (bin - p.firstBin) * p.bw; };
  const panelOf = (ms: number) => panels.reduce((found, p) => (p.start <= ms ? p : found), panels[0]);
  const x = (ms: number) => { const p = panelOf(ms); return p.x0 + (Math.min(Math.max(ms, p.start), p.end) - p.start) / (p.end - p.start) * segW; };
  const lanesTop = TOP + HIST_H + 14;
  const breakLines = broken ? segs.length - 1 : 0;
  const H = lanesTop + c.lanes.length * LANE_H + AXIS_H + breakLines * 15;
  const axisY = H - AXIS_H - breakLines * 15;
  const max = Math.max(1, ...c.histogram.map((b) => b.downloads));
  const laneMax = Math.max(1, ...c.lanes.flatMap((l) => l.bins.map((b) => b.downloads)));

  // A window is drawn in each panel it overlaps; its edge lines only where the change itself falls.
  const bands = c.exposures.flatMap((e) => panels.flatMap((p) => {
    const from = Math.max(e.from, p.start);
    const to = Math.min(e.to, p.end);
    if (to < from || (to === from && e.to !== e.from)) return [];
    const x0 = x(from);
    const x1 = Math.max(x0 + 1.5, x(to));
    const startsHere = !e.openStart && e.from >= p.start && e.from <= p.end;
    const endsHere = !e.openEnd && e.to >= p.start && e.to <= p.end;
    return [html`<g><title>${e.label}</title>
      <rect x="${x0.toFixed(1)}" y="${TOP - 8}" width="${(x1 - x0).toFixed(1)}" height="${(axisY - TOP + 8).toFixed(1)}" fill="${BAND}"/>
      ${startsHere ? html`<line x1="${x0.toFixed(1)}" x2="${x0.toFixed(1)}" y1="${TOP - 8}" y2="${axisY}" stroke="${BAND_EDGE}" stroke-width="1.2"/>` : ''}
      ${endsHere ? html`<line x1="${x1.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${TOP - 8}" y2="${axisY}" stroke="${BAND_EDGE}" stroke-width="1.2" stroke-dasharray="3 2"/>` : ''}
    </g>`];
  }));

  const bars = c.histogram.map((b, i) => {
    if (!b.downloads) return '';
    const p = panelOfBin(i);
    const h = (b.downloads / max) * HIST_H;
    const hc = (b.complete / max) * HIST_H;
    const bx = (binX(i) + p.bw * 0.1).toFixed(1);
    const w = Math.max(0.8, p.bw * 0.8).toFixed(1);
    return html`<g><title>${b.downloads} downloads, ${b.complete} complete copies</title>
      <rect x="${bx}" y="${(TOP + HIST_H - h).toFixed(1)}" width="${w}" height="${h.toFixed(1)}" fill="${LIGHT}"/>
      ${hc > 0 ? html`<rect x="${bx}" y="${(TOP + HIST_H - hc).toFixed(1)}" width="${w}" height="${hc.toFixed(1)}" fill="${NAVY}"/>` : ''}</g>`;
  });

  const lanes = c.lanes.map((l, i) => {
    const cy = lanesTop + i * LANE_H + LANE_H / 2;
    const dots = l.bins.map((b) => {
      const r = 2.2 + 5.5 * Math.sqrt(b.downloads / laneMax);
      const cx = (binX(b.bin) + panelOfBin(b.bin).bw / 2).toFixed(1);
      return b.complete > 0
        ? html`<circle cx="${cx}" cy="${cy}" r="${r.toFixed(1)}" fill="${NAVY}"/>`
        : html`<circle cx="${cx}" cy="${cy}" r="${r.toFixed(1)}" fill="#fff" stroke="${NAVY}" stroke-width="1.2"/>`;
    });
    return html`<g>
      ${i % 2 === 0 ? html`<rect x="${LEFT}" y="${cy - LANE_H / 2}" width="${plotW}" height="${LANE_H}" fill="#000" fill-opacity="0.035"/>` : ''}
      <text x="${LEFT - 8}" y="${cy + 4.5}" text-anchor="end" font-size="13" fill="#222"><title>${l.label}</title>${shorten(l.label, 32)}</text>
      ${dots}</g>`;
  });

  const most = Math.max(2, Math.floor(8 / segs.length));
  // Panels' ticks meet at a break: a label too close to the one before it is left out (its tick stays).
  let lastLabel = -Infinity;
  const ticks = panels.flatMap((p) => tickTimes(p.start, p.end, timeZone, most)).map(({ ms, label }) => {
    const at = x(ms);
    const tx = at.toFixed(1);
    const room = at - lastLabel >= 7 * label.length + 12;
    if (room) lastLabel = at;
    return html`<line x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 5}" stroke="#555"/>
      <line x1="${tx}" x2="${tx}" y1="${TOP}" y2="${axisY}" stroke="#000" stroke-opacity="0.07"/>
      ${room ? html`<text x="${tx}" y="${axisY + 19}" text-anchor="middle" font-size="12" fill="#333">${label}</text>` : ''}`;
  });
  const day = (ms: number) => format(new TZDate(ms, timeZone), 'd MMM yyyy');
  const stamp = (ms: number) => format(new TZDate(ms, timeZone), 'd MMM yyyy HH:mm');
  // Each panel is named by its dates; each break by the silence it skips, on the chart and in words below it.
  const panelLabels = broken ? panels.map((p) => {
    const a = day(p.start);
    const b = day(p.end - 1);
    return html`<text x="${(p.x0 + segW / 2).toFixed(1)}" y="${TOP - 12}" text-anchor="middle" font-size="12" font-weight="600" fill="#222">${a === b ? a : `${a} – ${b}`}</text>`;
  }) : [];
  const breaks = panels.slice(1).map((p, i) => {
    const prev = panels[i];
    const bx = prev.x0 + segW + BREAK_W / 2;
    const zig = (y: number) => html`<path d="M${(bx - 7).toFixed(1)} ${y + 5} l6 -10 M${(bx + 1).toFixed(1)} ${y + 5} l6 -10" stroke="#555" stroke-width="1.3" fill="none"/>`;
    return html`<g><title>${`axis broken: no downloads for ${silence(p.start - prev.end)}`}</title>
      <rect x="${(prev.x0 + segW + 2).toFixed(1)}" y="${TOP - 8}" width="${BREAK_W - 4}" height="${(axisY - TOP + 8).toFixed(1)}" fill="#fff"/>
      <line x1="${bx.toFixed(1)}" x2="${bx.toFixed(1)}" y1="${TOP}" y2="${axisY}" stroke="#888" stroke-dasharray="2 3"/>
      ${zig(TOP + HIST_H)}${zig(axisY)}</g>`;
  });
  const binWords = broken
    ? `one bar per ${panels.map((p) => `${binLabel(p.binMs)} (${day(p.start)})`).join(', ')}`
    : `one bar per ${binLabel(segs[0].binMs)}`;
  const yearNote = `${stamp(c.start)} to ${stamp(c.end)} (${timeZone}); ${binWords}`;
  const breakNotes = panels.slice(1).map((p, i) => {
    const prev = panels[i];
    return html`<text x="${LEFT}" y="${axisY + 38 + i * 15}" font-size="11" fill="#444">${`Axis broken: no downloads from ${stamp(prev.end)} to ${stamp(p.start)} (${silence(p.start - prev.end)}), not drawn.`}</text>`;
  });

  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Downloads over time" font-family="inherit">
    ${bands}
    ${breaks}
    ${panelLabels}
    <text x="${LEFT - 8}" y="${TOP + 12}" text-anchor="end" font-size="13" font-weight="600" fill="#222">Downloads</text>
    <text x="${LEFT - 8}" y="${TOP + 29}" text-anchor="end" font-size="11.5" fill="#666">tallest bar: ${max}</text>
    ${panels.map((p) => html`<line x1="${p.x0.toFixed(1)}" x2="${(p.x0 + segW).toFixed(1)}" y1="${TOP + HIST_H}" y2="${TOP + HIST_H}" stroke="#999"/>`)}
    ${bars}
    ${lanes}
    ${panels.map((p) => html`<line x1="${p.x0.toFixed(1)}" x2="${(p.x0 + segW).toFixed(1)}" y1="${axisY}" y2="${axisY}" stroke="#555"/>`)}
    ${ticks}
    ${breakNotes}
    <text x="${LEFT}" y="${H - 4}" font-size="11" fill="#666">${yearNote}</text>
  </svg>`;
}

function binLabel(ms: number): string {
  if (ms % 86400e3 === 0) return ms === 86400e3 ? 'day' : `${ms / 86400e3} days`;
  if (ms % 3600e3 === 0) return ms === 3600e3 ? 'hour' : `${ms / 3600e3} hours`;
  return `${ms / 60e3} min`;
}

const HOUR_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14, 28, 56, 91, 182, 364];

/** Up to about `most` ticks on round local times (midnights, or whole hours) in the report's zone. */
export function tickTimes(start: number, end: number, timeZone: string, most = 8): Array<{ ms: number; label: string }> {
  const span = end - start;
  const out: Array<{ ms: number; label: string }> = [];
  const hours = HOUR_STEPS.find((h) => span / (h * 3600e3) <= most);
  if (hours !== undefined) {
    // Whole local hours that are multiples of the step; zones with half-hour offsets still get round local labels.
    let t = Math.ceil(start / 3600e3) * 3600e3;
    for (; t <= end && out.length < 200; t += 900e3) {
      const d = new TZDate(t, timeZone);
      if (d.getMinutes() === 0 && d.getHours() % hours === 0) {
        out.push({ ms: t, label: format(d, d.getHours() === 0 || out.length === 0 ? 'd MMM HH:mm' : 'HH:mm') });
        t += hours * 3600e3 - 900e3;
      }
    }
    return out;
  }
  const days = DAY_STEPS.find((n) => span / (n * 86400e3) <= most) ?? Math.ceil(span / (most * 86400e3));
  let d = startOfDay(new TZDate(start, timeZone));
  if (d.getTime() < start) d = addDays(d, 1);
  for (; d.getTime() <= end; d = addDays(d, days)) out.push({ ms: d.getTime(), label: format(d, days >= 28 ? 'MMM yyyy' : 'd MMM') });
  return out;
}
