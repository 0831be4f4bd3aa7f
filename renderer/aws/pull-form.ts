// The "Pull from AWS" form: its fields, and the request they make, checked with the same schema main
// applies (shared/api AwsPullRequest) plus what the schema cannot know (times in order, LookupEvents'
// 90 days), so mistakes are named beside their field before anything is sent.
import { AwsPullRequest } from '../../shared/api';
import type { z } from 'zod';
import { fromIsoInput } from '../common/zoned-input';

export type Route = 'lookup' | 'lake' | 'athena' | 'logs' | 'listing';
export const LOOKUP_KEYS = ['EventSource', 'ResourceName', 'EventName', 'Username', 'ResourceType', 'AccessKeyId', 'ReadOnly', 'EventId'] as const;

export interface PullForm {
  route: Route;
  profile: string;
  region: string;
  regions: string;
  from: string;
  to: string;
  examiner: string;
  lookupKey: (typeof LOOKUP_KEYS)[number] | '';
  lookupValue: string;
  eventDataStore: string;
  table: string;
  bucket: string;
  keyPrefix: string;
  names: string;
  workgroup: string;
  outputLocation: string;
  createKind: '' | 'access-log' | 'cloudtrail';
  createLocation: string;
  uri: string;
  concurrency: string;
}

export type Field = keyof PullForm;
export type FieldErrors = Partial<Record<Field | 'form', string>>;
export type PullRequestBody = z.infer<typeof AwsPullRequest>;

const LOOKUP_DAYS = 90;
const list = (s: string) => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

function source(f: PullForm): PullRequestBody['source'] {
  switch (f.route) {
    case 'lookup':
      return { type: 'lookup', attributes: f.lookupKey && f.lookupValue.trim() ? [{ key: f.lookupKey, value: f.lookupValue.trim() }] : undefined };
    case 'lake':
      return { type: 'lake', eventDataStore: f.eventDataStore.trim(), bucket: opt(f.bucket), keyPrefix: opt(f.keyPrefix), eventNames: list(f.names).length ? list(f.names) : undefined };
    case 'athena':
      return {
        type: 'athena', table: f.table.trim(), bucket: opt(f.bucket), keyPrefix: opt(f.keyPrefix), operations: list(f.names).length ? list(f.names) : undefined,
        workgroup: opt(f.workgroup), outputLocation: opt(f.outputLocation),
        create: f.createKind ? { kind: f.createKind, location: f.createLocation.trim() } : undefined,
      };
    case 'logs':
      return { type: 'logs', uri: f.uri.trim(), concurrency: f.concurrency.trim() ? Number(f.concurrency) : undefined };
    case 'listing':
      return { type: 'listing', uri: f.uri.trim() };
  }
}

/** Which form field a schema issue belongs to. */
function fieldOf(path: readonly PropertyKey[]): Field | 'form' {
  const [head, second, third] = path.map(String);
  if (head === 'source') {
    const map: Record<string, Field> = {
      attributes: 'lookupValue', eventDataStore: 'eventDataStore', table: 'table', bucket: 'bucket', keyPrefix: 'keyPrefix', eventNames: 'names',
      operations: 'names', workgroup: 'workgroup', outputLocation: 'outputLocation', uri: 'uri', concurrency: 'concurrency',
    };
    if (second === 'create') return third === 'location' ? 'createLocation' : 'createKind';
    return map[second] ?? 'form';
  }
  return (['profile', 'region', 'regions', 'from', 'to', 'examiner'] as const).find((f) => f === head) ?? 'form';
}

export function buildPullRequest(f: PullForm, zone: string, now = Date.now()): { ok: true; req: PullRequestBody } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const from = fromIsoInput(f.from, zone);
  const to = fromIsoInput(f.to, zone);
  if (!from) errors.from = `a date and time (${zone}): yyyy-mm-dd hh:mm:ss`;
  if (!to) errors.to = `a date and time (${zone}): yyyy-mm-dd hh:mm:ss`;
  if (from && to && Date.parse(from) >= Date.parse(to)) errors.to = 'must be after From';
  if (f.route === 'lookup' && from && Date.parse(from) < now - LOOKUP_DAYS * 86400e3) {
    errors.from = `LookupEvents only reaches back ${LOOKUP_DAYS} days; for older events use CloudTrail Lake, Athena or the trail's log bucket`;
  }
  if (f.route === 'lookup' && f.lookupKey && !f.lookupValue.trim()) errors.lookupValue = `a value for ${f.lookupKey}`;
  if (f.profile.trim() && !/^[\w.@+=,-]+$/.test(f.profile.trim())) errors.profile = 'a profile name from ~/.aws/config (letters, digits and . @ + = , - _)';
  if (f.route === 'lake' && !f.eventDataStore.trim()) errors.eventDataStore = 'the event data store ID or ARN';
  if (f.route === 'athena' && !/^[\w-]+\.[\w-]+$/.test(f.table.trim())) errors.table = 'the Athena table as DATABASE.TABLE';
  if (f.route === 'athena' && f.createKind && !f.createLocation.trim()) errors.createLocation = 'the s3:// location of the logs the table reads';
  if ((f.route === 'logs' || f.route === 'listing') && !f.uri.trim()) errors.uri = 'an s3://bucket/prefix URI';
  if (f.route === 'logs' && f.concurrency.trim() && !/^\d+$/.test(f.concurrency.trim())) errors.concurrency = 'a whole number from 1 to 32';
  const body = {
    profile: opt(f.profile), region: opt(f.region), regions: list(f.regions).length ? list(f.regions) : undefined,
    from: from ?? f.from, to: to ?? f.to, examiner: opt(f.examiner), source: source(f),
  };
  const parsed = AwsPullRequest.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      if (!errors[field]) errors[field] = field === 'form' ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, req: parsed.data! };
}
