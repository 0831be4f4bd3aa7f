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

export function renderChart(c: ChartModel, timeZone: string): Html {
  const plotW = W - LEFT - RIGHT;
  const bins = c.histogram.length;
  const x = (ms: number) => LEFT + ((ms - c.start) / (c.end - c.start)) * plotW;
  const bw = plotW / bins;
  const lanesTop = TOP + HIST_H + 14;
  const H = lanesTop + c.lanes.length * LANE_H + AXIS_H;
  const max = Math.max(1, ...c.histogram.map((b) => b.downloads));
  const laneMax = Math.max(1, ...c.lanes.flatMap((l) => l.bins.map((b) => b.downloads)));

  const bands = c.exposures.map((e) => {
    const x0 = x(e.from);
    const x1 = Math.max(x0 + 1.5, x(e.to));
    return html`<g><title>${e.label}</title>
      <rect x="${x0.toFixed(1)}" y="${TOP - 8}" width="${(x1 - x0).toFixed(1)}" height="${(H - AXIS_H - TOP + 8).toFixed(1)}" fill="${BAND}"/>
      ${e.openStart ? '' : html`<line x1="${x0.toFixed(1)}" x2="${x0.toFixed(1)}" y1="${TOP - 8}" y2="${H - AXIS_H}" stroke="${BAND_EDGE}" stroke-width="1.2"/>`}
      ${e.openEnd ? '' : html`<line x1="${x1.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${TOP - 8}" y2="${H - AXIS_H}" stroke="${BAND_EDGE}" stroke-width="1.2" stroke-dasharray="3 2"/>`}
    </g>`;
  });

  const bars = c.histogram.map((b, i) => {
    if (!b.downloads) return '';
    const h = (b.downloads / max) * HIST_H;
    const hc = (b.complete / max) * HIST_H;
    const bx = (LEFT + i * bw + bw * 0.1).toFixed(1);
    const w = Math.max(0.8, bw * 0.8).toFixed(1);
    return html`<g><title>${b.downloads} downloads, ${b.complete} complete copies</title>
      <rect x="${bx}" y="${(TOP + HIST_H - h).toFixed(1)}" width="${w}" height="${h.toFixed(1)}" fill="${LIGHT}"/>
      ${hc > 0 ? html`<rect x="${bx}" y="${(TOP + HIST_H - hc).toFixed(1)}" width="${w}" height="${hc.toFixed(1)}" fill="${NAVY}"/>` : ''}</g>`;
  });

  const lanes = c.lanes.map((l, i) => {
    const cy = lanesTop + i * LANE_H + LANE_H / 2;
    const dots = l.bins.map((b) => {
      const r = 2.2 + 5.5 * Math.sqrt(b.downloads / laneMax);
      const cx = (LEFT + (b.bin + 0.5) * bw).toFixed(1);
      return b.complete > 0
        ? html`<circle cx="${cx}" cy="${cy}" r="${r.toFixed(1)}" fill="${NAVY}"/>`
        : html`<circle cx="${cx}" cy="${cy}" r="${r.toFixed(1)}" fill="#fff" stroke="${NAVY}" stroke-width="1.2"/>`;
    });
    return html`<g>
      ${i % 2 === 0 ? html`<rect x="${LEFT}" y="${cy - LANE_H / 2}" width="${plotW}" height="${LANE_H}" fill="#000" fill-opacity="0.035"/>` : ''}
      <text x="${LEFT - 8}" y="${cy + 4.5}" text-anchor="end" font-size="13" fill="#222"><title>${l.label}</title>${shorten(l.label, 32)}</text>
      ${dots}</g>`;
  });

  const ticks = tickTimes(c.start, c.end, timeZone).map(({ ms, label }) => {
    const tx = x(ms).toFixed(1);
    return html`<line x1="${tx}" x2="${tx}" y1="${H - AXIS_H}" y2="${H - AXIS_H + 5}" stroke="#555"/>
      <line x1="${tx}" x2="${tx}" y1="${TOP}" y2="${H - AXIS_H}" stroke="#000" stroke-opacity="0.07"/>
      <text x="${tx}" y="${H - AXIS_H + 19}" text-anchor="middle" font-size="12" fill="#333">${label}</text>`;
  });
  const yearNote = `${format(new TZDate(c.start, timeZone), 'd MMM yyyy HH:mm')} to ${format(new TZDate(c.end, timeZone), 'd MMM yyyy HH:mm')} (${timeZone}); one bar per ${binLabel(c.binMs)}`;

  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Downloads over time" font-family="inherit">
    ${bands}
    <text x="${LEFT - 8}" y="${TOP + 12}" text-anchor="end" font-size="13" font-weight="600" fill="#222">Downloads</text>
    <text x="${LEFT - 8}" y="${TOP + 29}" text-anchor="end" font-size="11.5" fill="#666">tallest bar: ${max}</text>
    <line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + HIST_H}" y2="${TOP + HIST_H}" stroke="#999"/>
    ${bars}
    ${lanes}
    <line x1="${LEFT}" x2="${W - RIGHT}" y1="${H - AXIS_H}" y2="${H - AXIS_H}" stroke="#555"/>
    ${ticks}
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

/** Up to about eight ticks on round local times (midnights, or whole hours) in the report's zone. */
export function tickTimes(start: number, end: number, timeZone: string): Array<{ ms: number; label: string }> {
  const span = end - start;
  const out: Array<{ ms: number; label: string }> = [];
  const hours = HOUR_STEPS.find((h) => span / (h * 3600e3) <= 8);
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
  const days = DAY_STEPS.find((n) => span / (n * 86400e3) <= 8) ?? Math.ceil(span / (8 * 86400e3));
  let d = startOfDay(new TZDate(start, timeZone));
  if (d.getTime() < start) d = addDays(d, 1);
  for (; d.getTime() <= end; d = addDays(d, days)) out.push({ ms: d.getTime(), label: format(d, days >= 28 ? 'MMM yyyy' : 'd MMM') });
  return out;
}
