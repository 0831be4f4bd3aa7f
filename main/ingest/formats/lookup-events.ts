// `aws cloudtrail lookup-events` results: {"Events":[…]} as the CLI prints them, or one Event per line
// as exporters write them. Each Event carries the full record as a JSON string in CloudTrailEvent;
// the Event object itself (with its EventTime, which may carry a UTC offset) is what is stored raw, and
// the inner record (with that EventTime when it has no eventTime of its own) is its canonical record.
import type { CloudTrailRecord } from '../canonical-record';
import { excerpt } from '../text';
import { normalizeReading } from './cloudtrail-record';
import { parseJson, reject, type DocumentFormat, type LineFormat, type RecordReading, type RecordResult } from './types';

/** An Event's canonical record: its parsed CloudTrailEvent. */
export function lookupEventRecord(text: string): RecordReading {
  if (!/\S/.test(text)) return null; // blank (without copying a long record to trim it)
  const outer = parseJson(text);
  if ('reject' in outer) return outer;
  const event = outer.json as Record<string, unknown>;
  if (!event || typeof event !== 'object' || typeof event.CloudTrailEvent !== 'string') {
    return reject('no CloudTrailEvent string: not a LookupEvents result');
  }
  const inner = parseJson(event.CloudTrailEvent, 'CloudTrailEvent is not valid JSON');
  if ('reject' in inner) return inner;
  let record = inner.json as CloudTrailRecord;
  if (!record || typeof record !== 'object' || Array.isArray(record)) return reject('CloudTrailEvent is not a JSON object');
  if (!record.eventTime && typeof event.EventTime === 'string') {
    // EventTime is "2022-02-08 09:23:37+11:00" (CLI) or ISO; either way the offset is honoured.
    const t = Date.parse(event.EventTime.replace(' ', 'T'));
    if (Number.isNaN(t)) return reject(`EventTime "${excerpt(event.EventTime, 40)}" is not a date`);
    record = { ...record, eventTime: new Date(t).toISOString() };
  }
  return { record };
}

export function parseLookupEvent(text: string, locator: number): RecordResult {
  return normalizeReading(lookupEventRecord(text), text, locator);
}

export const lookupEvents: DocumentFormat = {
  name: 'lookup-events',
  description: 'aws cloudtrail lookup-events output ({"Events":[…]})',
  kind: 'document',
  arrayKey: 'Events',
  sniff: (head) => /^\s*\{\s*"Events"\s*:\s*\[/.test(head.replace(/^\uFEFF/, '')),
  parseRecord: parseLookupEvent,
  canonical: lookupEventRecord,
};

export const lookupEventsLines: LineFormat = {
  name: 'lookup-events-lines',
  description: 'LookupEvents results as JSON-lines (one Event per line)',
  kind: 'lines',
  sniff: (head) => {
    const line = head.replace(/^\uFEFF/, '').split('\n', 1)[0];
    return line.trim().startsWith('{') && /"CloudTrailEvent"\s*:/.test(line) && /"EventId"\s*:/.test(line);
  },
  parseLine: parseLookupEvent,
  canonical: lookupEventRecord,
};
