// The report chart's broken axis, as data: where it breaks, how each panel is binned, which bin a
// time falls in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binOf, chartAxis } from '../../../main/report/chart-range';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hourOf = (iso: string) => Math.floor(Date.parse(iso) / HOUR);

test('one burst, or bursts close together, keep one unbroken axis binned as before', () => {
  const start = Date.parse('2017-08-11T09:15:00Z');
  const end = Date.parse('2017-08-17T20:41:00Z');
  const hours = [hourOf('2017-08-11T09:15:00Z'), hourOf('2017-08-13T10:00:00Z'), hourOf('2017-08-17T20:00:00Z')];
  const r = chartAxis(start, end, hours);
  assert.equal(r.segments.length, 1, 'a two-day silence in a week is not worth a break');
  assert.equal(r.segments[0].binMs, 2 * HOUR);
  assert.equal(r.bins, r.segments[0].bins);
  assert.deepEqual(chartAxis(start, end, []).segments.map((s) => s.binMs), [2 * HOUR], 'no hours: one panel');
});

test('bursts years apart get one panel each, binned for their own span; times find their panel\'s bins', () => {
  const a = Date.parse('2013-03-24T10:22:56Z');
  const b = Date.parse('2020-09-14T01:13:20Z');
  const r = chartAxis(a, b, [hourOf('2013-03-24T10:22:56Z'), hourOf('2020-09-14T01:02:34Z'), hourOf('2020-09-14T01:13:20Z')]);
  assert.equal(r.segments.length, 2);
  const [first, second] = r.segments;
  assert.ok(first.binMs <= HOUR && second.binMs <= HOUR, `${first.binMs} / ${second.binMs}`);
  assert.ok(first.start <= a && first.end > a && first.end < Date.parse('2013-03-25T00:00:00Z'));
  assert.ok(second.start <= Date.parse('2020-09-14T01:00:00Z') && second.end > b);
  assert.equal(second.firstBin, first.bins);
  assert.equal(r.bins, first.bins + second.bins);
  assert.equal(binOf(r, a), 0);
  assert.equal(binOf(r, b), r.bins - 1);
  assert.ok(binOf(r, Date.parse('2020-09-14T01:02:34Z')) >= second.firstBin);
  // A time in the silence is drawn at the end of the panel before it.
  assert.equal(binOf(r, Date.parse('2016-01-01T00:00:00Z')), first.bins - 1);
});

test('at most four panels, cut at the longest silences; an exposure window\'s edge holds a panel open', () => {
  const months = Array.from({ length: 120 }, (_, i) => Date.UTC(2010, i, 1));
  const r = chartAxis(months[0], months[119] + HOUR, months.map((t) => Math.floor(t / HOUR)));
  assert.equal(r.segments.length, 1, 'monthly activity over ten years: no silence takes a fifth of the axis');
  const uneven = [Date.UTC(2010, 0, 1), Date.UTC(2010, 0, 2), Date.UTC(2015, 0, 1), Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1), Date.UTC(2030, 0, 1)];
  const many = chartAxis(uneven[0], uneven[5] + HOUR, uneven.map((t) => Math.floor(t / HOUR)));
  assert.equal(many.segments.length, 4);
  // A window closing mid-silence: its edge is a mark, so the break falls after it.
  const open = Date.UTC(2013, 0, 1);
  const close = Date.UTC(2013, 0, 20);
  const marked = chartAxis(open, Date.UTC(2019, 0, 1) + HOUR, [Math.floor(open / HOUR), Math.floor(Date.UTC(2019, 0, 1) / HOUR)], [open, close]);
  assert.equal(marked.segments.length, 2);
  assert.ok(marked.segments[0].end >= close, 'the first panel reaches the window\'s close');
  assert.ok(marked.segments[0].end < close + 2 * DAY);
});
