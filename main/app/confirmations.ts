// What the user confirms before a pull sends anything, or dropped files are imported: every choice in
// the page's request that decides whose credentials are used, where requests (and Athena's results)
// go, which files are read. The page only proposes these; main shows them in a native dialog and acts
// only on the user's yes. Pure, so the wording is tested under Node, and the app's dialog and the e2e
// stand-in show the same lines.
import type { z } from 'zod';
import type { AwsPullRequest } from '../../shared/api';

type Pull = z.infer<typeof AwsPullRequest>;

/** A yes/no question main asks in a native dialog; `action` labels the yes button. */
export interface Confirmation { title: string; lines: string[]; action: string }

const ROUTE: Record<Pull['source']['type'], string> = {
  lookup: 'CloudTrail event history (LookupEvents)',
  lake: 'CloudTrail Lake query',
  athena: 'Athena query',
  logs: 'download of a log bucket',
  listing: 'listing of a bucket',
};

export function describePull(req: Pull): Confirmation {
  const s = req.source;
  const lines = [
    `AWS profile: ${req.profile ?? 'the default credential chain'}`,
    `Region: ${req.regions?.length ? req.regions.join(', ') : req.region ?? "the profile's"}`,
    `Time range: ${req.from} to ${req.to}`,
  ];
  if (s.type === 'lookup') {
    for (const a of s.attributes ?? []) lines.push(`Lookup attribute: ${a.key} = ${a.value}`);
  } else if (s.type === 'lake') {
    lines.push(`Event data store: ${s.eventDataStore}`);
    if (s.bucket || s.keyPrefix) lines.push(`Bucket (filter): ${s.bucket ?? 'any'}${s.keyPrefix ? `/${s.keyPrefix}` : ''}`);
    if (s.eventNames?.length) lines.push(`Event names: ${s.eventNames.join(', ')}`);
  } else if (s.type === 'athena') {
    lines.push(`Athena table: ${s.table}`);
    if (s.workgroup) lines.push(`Workgroup: ${s.workgroup}`);
    lines.push(`Query results written to: ${s.outputLocation ?? "the workgroup's output location"}`);
    if (s.create) lines.push(`Table created over: ${s.create.location} (${s.create.kind})`);
    if (s.bucket || s.keyPrefix) lines.push(`Bucket (filter): ${s.bucket ?? 'any'}${s.keyPrefix ? `/${s.keyPrefix}` : ''}`);
    if (s.operations?.length) lines.push(`Operations: ${s.operations.join(', ')}`);
  } else {
    lines.push(`${s.type === 'logs' ? 'Log location' : 'Bucket'}: ${s.uri}`);
  }
  return { title: `Pull from AWS: ${ROUTE[s.type]}`, lines, action: 'Pull' };
}

/** The confirmation for files dropped on the window: what would be imported, and into which case. */
export function describeDrop(paths: string[], caseName: string): Confirmation {
  const shown = paths.slice(0, 20);
  const more = paths.length - shown.length;
  return { title: `Import ${paths.length === 1 ? 'this item' : `these ${paths.length} items`} into “${caseName}”?`, lines: [...shown, ...(more > 0 ? [`…and ${more} more`] : [])], action: 'Import' };
}
