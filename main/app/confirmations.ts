// What the user confirms before a pull sends anything, dropped files are imported, or a case of an
// earlier schema is upgraded: for a pull or a drop, every choice in the page's request that decides
// whose credentials are used, where requests (and Athena's results) go, which files are read; for an
// upgrade, which schema to which and what each answer leaves of the file. The page only proposes a
// pull or a drop (an upgrade is main's own question); main shows them in a native dialog and acts only
// on the user's answer. Pure, so the wording is tested under Node, and the app's dialog and the e2e
// stand-in show the same lines.
import { basename, dirname, extname, join } from 'node:path';
import type { z } from 'zod';
import type { AwsPullRequest, CaseNeedsUpgrade } from '../../shared/api';

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

/** The three answers to an upgrade question, in the order the dialog shows them. */
export const UPGRADE_CHOICES = ['Upgrade in place', 'Upgrade a copy…', 'Cancel'] as const;
export type UpgradeChoice = 'in-place' | 'copy' | null;

/** A question with the three upgrade answers rather than yes/no. */
export interface UpgradeQuestion { title: string; lines: string[] }

/**
 * What the investigator is told before a case of an earlier schema is upgraded: which file, which
 * schema to which, what each answer does. Nothing has been written when this is asked.
 */
export function describeUpgrade(u: CaseNeedsUpgrade['needsUpgrade']): UpgradeQuestion {
  const shown = u.changes.slice(0, 8);
  const more = u.changes.length - shown.length;
  return {
    title: `Upgrade “${u.name || basename(u.path)}” to open it?`,
    lines: [
      u.path,
      `It was written by an earlier Trailmark: case schema ${u.fromSchema}; this version works on schema ${u.toSchema} and opens it only upgraded.`,
      `Changes: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      'The upgrade is logged in the case\'s custody.',
      `${UPGRADE_CHOICES[0]}: this file is changed.`,
      `${UPGRADE_CHOICES[1]}: you choose a new file; the copy is upgraded and opened, and this file is only read — left exactly as it is.`,
      `${UPGRADE_CHOICES[2]}: nothing is opened or written.`,
    ],
  };
}

/** Where the upgraded copy is first offered: beside the original, named after it. */
export function upgradeCopyName(path: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}-upgraded${ext || '.trailmark'}`);
}
