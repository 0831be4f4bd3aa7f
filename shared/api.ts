// The one contract between renderer and main: channel → request schema → response type.
// Requests are validated in main (main/app/ipc.ts) with these schemas before reaching main/service.
import { z } from 'zod';
import type { ActorSummary, AnalysisSummary, Corroboration, ExposureWindow, Gap, Histogram, ObjectSummary, SourceCoverage } from './analysis';
import { FORMATS, type Format, type NormalizedEvent, type Source } from './events';
import type { IntegrityRun } from './integrity';
import type { AddressSummary, ExfilPatterns, PatternSettings } from './enrich';

// ---------- shared shapes ----------
export const isoTime = z.string().datetime({ offset: true });

export const TimelineFilter = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: z.string().max(255).optional(),
  keyPrefix: z.string().max(1024).optional(),
  /** One object, exactly (the Objects view's click-through). */
  key: z.string().max(1024).optional(),
  actor: z.string().max(2048).optional(),
  /** How `actor` matches: exactly (the default), as a prefix (through the actor index), or anywhere in it (ASCII case ignored). */
  actorMatch: z.enum(['exact', 'prefix', 'contains']).optional(),
  sourceIp: z.string().max(64).optional(),
  /** How `sourceIp` matches: exactly (the default), prefix, contains, or an IPv4 CIDR block (`sourceIp` is then a.b.c.d/n). */
  sourceIpMatch: z.enum(['exact', 'prefix', 'contains', 'cidr']).optional(),
  /** How `keyPrefix` matches the key: as a prefix (the default) or anywhere in it (ASCII case ignored). */
  keyMatch: z.enum(['prefix', 'contains']).optional(),
  /** Only downloads that carry a note or a tag. */
  annotated: z.boolean().optional(),
  backupsOnly: z.boolean().optional(),
  /** Downloads inside an exposure window, at its boundary (same second as the change), or outside: shared/exposure-rule. */
  exposure: z.enum(['inside', 'boundary', 'outside']).optional(),
  source: z.enum(['s3-access-log', 'cloudtrail']).optional(),
  /** Address context (shared/enrich.ts): ISO country code of the source address, or its ASN. */
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  asn: z.number().int().min(0).max(4294967295).optional(),
  /** Downloads an observed exfiltration pattern covers (shared/enrich.ts PATTERN_FILTERS), computed on read. */
  pattern: z.enum(['burst', 'bulk-tool', 'first-seen', 'listed-first']).optional(),
}).strict();
export type TimelineFilter = z.infer<typeof TimelineFilter>;

/** Keyset cursor: the (time, id) of the last row of the previous page. */
export const Cursor = z.object({ time: z.number().int(), id: z.number().int() }).strict();
export type Cursor = z.infer<typeof Cursor>;

export interface DownloadRow {
  id: number;
  time: string; // ISO UTC
  timeMs: number;
  actor: string; // principal ARN, 'anonymous' or canonical ID
  sourceIp: string | null;
  userAgent: string | null;
  bucket: string;
  key: string;
  bytesSent: number | null;
  objectSize: number | null;
  status: number | null;
  complete: boolean | null;
  requestId: string | null;
  sources: Source[];
  /** Address context of sourceIp (ip_context); null when unknown, absent where not looked up. */
  country?: string | null;
  asn?: number | null;
  org?: string | null;
  /** "EC2 us-east-1" inside AWS's published ranges. */
  aws?: string | null;
  /** One line: the network, the AWS range, or what a non-address is (an AWS service, a VPC endpoint). */
  addressLabel?: string | null;
}

/** The investigator's annotations on one download: how many notes, which tags. */
export interface DownloadMarks { notes: number; tags: string[] }

/** marks: the rows of the page that carry notes or tags, by download id (the table's marker). */
export interface TimelinePage { rows: DownloadRow[]; next: Cursor | null; marks?: Record<number, DownloadMarks> }
/** A place in the whole timeline result: a row by position, the first row at or after a time (epoch ms), or the last `last` rows. */
export const TimelinePositionAt = z.union([
  z.object({ index: z.number().int().min(0) }).strict(),
  z.object({ time: z.number().int() }).strict(),
  z.object({ last: z.number().int().min(1).max(1000) }).strict(),
]);
export type TimelinePositionAt = z.infer<typeof TimelinePositionAt>;
/** total: the filter's downloads; index: the row `at` named; start: the keyset cursor whose next page begins there (null: the first row). */
export interface TimelinePosition { total: number; index: number; start: Cursor | null }

/** An event as the detail pane shows it: the normalized event, with its row id, an ISO time and its evidence file. */
export interface EventDetail extends Omit<NormalizedEvent, 'time' | 'actorType'> {
  id: number;
  time: string;
  actorType: string;
  evidenceId: number;
  evidencePath: string;
}

export interface DownloadDetail { download: DownloadRow; events: EventDetail[] }

export interface EvidenceRow {
  id: number;
  path: string;
  origin: string; // 'file' | API call description
  sha256: string;
  size: number;
  format: Format;
  status: 'importing' | 'complete';
  acquiredAt: string;
  examiner: string | null;
  records: number;
  events: number;
  duplicates: number;
  rejected: number;
}

/** A file offered to an import and not taken, as the case records it (main/case/refused.ts). */
export interface RefusedFileRow {
  id: number;
  path: string;
  size: number | null;
  sha256: string | null;
  status: 'refused' | 'failed';
  reason: string;
  examiner: string | null;
  at: string;
}

export interface RejectRow { evidenceId: number; path: string; locator: number; reason: string; text: string }

export interface CustodyRow { seq: number; at: string; examiner: string | null; action: string; details: string; prevHash: string; hash: string }

export interface CaseInfo { path: string; name: string; examiner: string | null; createdAt: string; events: number; downloads: number; evidence: number; rejected: number }

/** case:open's answer for a case written by an earlier Trailmark: nothing was opened or written. */
export interface CaseNeedsUpgrade {
  needsUpgrade: { path: string; name: string | null; fromSchema: number; toSchema: number; changes: string[] };
}

// ---------- annotations (notes & tags) ----------
export const AnnotationTarget = z.object({
  type: z.enum(['event', 'download', 'actor', 'object']),
  /** event or download id as text, an actor, or `bucket/key` for an object. */
  id: z.string().min(1).max(4096),
}).strict();
export type AnnotationTarget = z.infer<typeof AnnotationTarget>;

export interface NoteRow { id: number; target: AnnotationTarget; text: string; includeInReport: boolean; examiner: string | null; createdAt: string }
export interface TagRow { target: AnnotationTarget; tag: string; createdAt: string }

// ---------- import progress ----------
export interface ImportProgress {
  jobId: string;
  phase: 'scanning' | 'hashing' | 'importing' | 'done' | 'cancelled' | 'failed';
  filesTotal: number;
  filesDone: number;
  currentFile: string | null;
  events: number;
  rejected: number;
  bytesDone: number;
  bytesTotal: number;
  /** events per second over the import so far */
  rate: number;
  etaSeconds: number | null;
  message?: string;
  /** Present once phase is done, cancelled or failed. */
  summary?: ImportSummary;
}

export interface FileOutcome {
  path: string;
  format: Format | null;
  status: 'imported' | 'already-in-case' | 'refused' | 'failed' | 'cancelled';
  events: number;
  duplicates: number;
  rejected: number;
  reason?: string;
  firstRejects?: { locator: number; reason: string }[];
  /** Of a file refused or failed: its size and SHA-256 where it could be read (it is recorded in the case). */
  size?: number;
  sha256?: string;
}

export interface ImportSummary {
  files: FileOutcome[];
  events: number;
  duplicates: number;
  /** Lines or records rejected inside files that were imported. */
  rejected: number;
  /** Whole files not taken (refused or failed), each recorded in the case (refused_files) and in custody. */
  refused: number;
  seconds: number;
}

// ---------- AWS pulls (main/aws) ----------
const s3Uri = z.string().max(2048).regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an s3://bucket/prefix URI');
const awsRegion = z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region such as eu-west-1');
const optionalText = (max: number) => z.string().max(max).optional();
export const AwsPullSource = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('lookup'),
    attributes: z.array(z.object({ key: z.enum(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']), value: z.string().min(1).max(2000) }).strict()).max(10).optional(),
  }).strict(),
  z.object({ type: z.literal('lake'), eventDataStore: z.string().min(1).max(256), bucket: optionalText(63), keyPrefix: optionalText(1024), eventNames: z.array(z.string().max(128)).max(50).optional() }).strict(),
  z.object({
    type: z.literal('athena'), table: z.string().min(3).max(257), bucket: optionalText(63), keyPrefix: optionalText(1024),
    operations: z.array(z.string().max(128)).max(50).optional(), workgroup: optionalText(128), outputLocation: s3Uri.optional(),
    create: z.object({ kind: z.enum(['access-log', 'cloudtrail']), location: s3Uri }).strict().optional(),
  }).strict(),
  z.object({ type: z.literal('logs'), uri: s3Uri, concurrency: z.number().int().min(1).max(32).optional() }).strict(),
  z.object({ type: z.literal('listing'), uri: s3Uri }).strict(),
]);
/** A pull from AWS into the open case. Credentials come from the profile's chain and are never stored. */
export const AwsPullRequest = z.object({
  profile: z.string().max(200).regex(/^[\w.@+=,-]+$/).optional(),
  region: awsRegion.optional(),
  regions: z.array(awsRegion).max(40).optional(),
  from: isoTime,
  to: isoTime,
  examiner: optionalText(200),
  source: AwsPullSource,
}).strict();

export interface AwsPullSummary {
  api: string;
  account: string;
  principal: string;
  region: string;
  evidenceDir: string;
  records: number;
  files: number;
  resumed: boolean;
  /** Files kept beside the evidence that hold no events (CloudTrail public keys). */
  kept: { path: string; what: string; sha256: string; bytes: number }[];
  import: ImportSummary | null;
}

// ---------- channels ----------
// The case service's contract (main/service.ts), called by the CLI, the tests and the desktop shell.
// The page reaches only the subset shared/page-api.ts lists: no channel taking a path or an AWS destination.
export const channels = {
  'case:info': { req: z.object({}).strict() },
  /**
   * A case of an earlier schema is answered with CaseNeedsUpgrade and left untouched; it opens only
   * with `upgrade`: migrated in place, or copied (SQLite backup) to copyTo, a new file, and the copy
   * migrated and opened, the original only read.
   */
  'case:open': {
    req: z.object({
      path: z.string().min(1).max(4096),
      upgrade: z.union([z.literal('in-place'), z.object({ copyTo: z.string().min(1).max(4096) }).strict()]).optional(),
    }).strict(),
  },
  'case:create': { req: z.object({ path: z.string().min(1).max(4096), name: z.string().max(200).optional(), examiner: z.string().max(200).optional() }).strict() },
  /** copyEvidence: also copy each file into the case's read-only evidence store (`trailmark import --copy-evidence`). */
  'import:start': { req: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10000), examiner: z.string().max(200).optional(), copyEvidence: z.boolean().optional() }).strict() },
  'import:cancel': { req: z.object({ jobId: z.string().max(100) }).strict() },
  'timeline:page': { req: z.object({ filter: TimelineFilter, after: Cursor.nullable().optional(), limit: z.number().int().min(1).max(1000) }).strict() },
  /** The filter's total and, with `at`, the keyset start of a row anywhere in it (a scrollbar over the whole result). */
  'timeline:position': { req: z.object({ filter: TimelineFilter, at: TimelinePositionAt.optional() }).strict() },
  'download:detail': { req: z.object({ id: z.number().int().positive() }).strict() },
  /** Keyset pages (afterId, limit) of ~10⁵ files; without limit, every row. format: only files of that format. */
  'evidence:list': { req: z.object({ afterId: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional(), format: z.enum(FORMATS).optional() }).strict() },
  'rejects:list': { req: z.object({ evidenceId: z.number().int().positive().optional(), offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000) }).strict() },
  /** Keyset pages (afterSeq, limit); without limit, every entry. */
  'custody:list': { req: z.object({ afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict() },
  /** Files offered to imports and not taken, with the reason. */
  'refused:list': { req: z.object({ afterId: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict() },
  'aws:pull': { req: AwsPullRequest },
  /** jobId: the one carried by the pull's progress messages. */
  'aws:cancel': { req: z.object({ jobId: z.string().max(100) }).strict() },
  'notes:add': { req: z.object({ target: AnnotationTarget, text: z.string().min(1).max(20000), includeInReport: z.boolean().optional(), examiner: z.string().max(200).optional() }).strict() },
  'notes:list': { req: z.object({ target: AnnotationTarget.optional() }).strict() },
  'tags:add': { req: z.object({ target: AnnotationTarget, tag: z.string().min(1).max(100), examiner: z.string().max(200).optional() }).strict() },
  'tags:remove': { req: z.object({ target: AnnotationTarget, tag: z.string().min(1).max(100), examiner: z.string().max(200).optional() }).strict() },
  'tags:list': { req: z.object({ target: AnnotationTarget.optional() }).strict() },
  /** CloudTrail digest validation over the case's evidence, recorded as a run. keysPath: a ListPublicKeys result saved as JSON. */
  'integrity:validate': { req: z.object({ keysPath: z.string().min(1).max(4096).optional(), evidenceDir: z.string().min(1).max(4096).optional(), examiner: z.string().max(200).optional() }).strict() },
  /** A recorded run (the latest when runId is absent); null when validation never ran. */
  'integrity:results': { req: z.object({ runId: z.number().int().positive().optional() }).strict() },
  // Leak analysis (types in shared/analysis.ts). timeZone is an IANA name; the answer states it.
  'analysis:summary': { req: z.object({ timeZone: z.string().max(64).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict() },
  'analysis:exposure': { req: z.object({}).strict() },
  'analysis:actors': { req: z.object({ limit: z.number().int().min(1).max(5000).optional(), offset: z.number().int().min(0).optional() }).strict() },
  'analysis:objects': { req: z.object({ limit: z.number().int().min(1).max(5000).optional(), offset: z.number().int().min(0).optional(), backupsOnly: z.boolean().optional() }).strict() },
  'analysis:gaps': { req: z.object({}).strict() },
  'analysis:histogram': { req: z.object({ filter: TimelineFilter, bins: z.number().int().min(1).max(2000).optional() }).strict() },
  'analysis:patterns': { req: z.object({}).strict() },
  'analysis:set-patterns': { req: z.object({ extensions: z.array(z.string().max(20)).max(200), globs: z.array(z.string().min(1).max(300)).max(200), examiner: z.string().max(200).optional() }).strict() },
  /** Exfiltration patterns with their figures (shared/enrich.ts), and downloads by country and network with the data's dates. */
  'analysis:exfil': { req: z.object({}).strict() },
  /**
   * The pattern thresholds and the labelled bulk-tool list (case settings, logged in custody). The shape
   * is checked here; the values' sense (a window longer than a week, a tool matching nothing) in
   * main/case/analysis-settings.ts, which refuses them with the reasons.
   */
  'analysis:set-exfil-settings': { req: z.object({
    burst: z.object({ backupFiles: z.number(), bytes: z.number(), minutes: z.number() }).strict(),
    tools: z.array(z.object({ label: z.string().max(100), match: z.string().max(200) }).strict()).max(200),
    examiner: z.string().max(200).optional(),
  }).strict() },
  'analysis:addresses': { req: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict() },
  // Board report and timeline exports (main/report). report:render without a path returns the HTML (preview); with one it prints the PDF there.
  'report:render': { req: z.object({ timeZone: z.string().max(64).optional(), redact: z.boolean().optional(), from: isoTime.optional(), to: isoTime.optional(), bucket: z.string().max(255).optional(), date: isoTime.optional(), organisation: z.string().max(200).optional(), path: z.string().min(1).max(4096).optional(), filter: TimelineFilter.optional() }).strict() },
  'export:timeline': { req: z.object({ format: z.enum(['csv', 'jsonl', 'timesketch']), path: z.string().min(1).max(4096), filter: TimelineFilter, redact: z.boolean().optional() }).strict() },
} as const;

export type Channel = keyof typeof channels;
export type Req<C extends Channel> = z.infer<(typeof channels)[C]['req']>;

/** Response type per channel. */
export interface Responses {
  'case:info': CaseInfo | null;
  'case:open': CaseInfo | CaseNeedsUpgrade;
  'case:create': CaseInfo;
  'import:start': { jobId: string };
  'import:cancel': { cancelled: boolean };
  'timeline:page': TimelinePage;
  'timeline:position': TimelinePosition;
  'download:detail': DownloadDetail;
  'evidence:list': EvidenceRow[];
  'rejects:list': RejectRow[];
  'custody:list': CustodyRow[];
  'refused:list': RefusedFileRow[];
  'aws:pull': AwsPullSummary;
  'aws:cancel': { cancelled: boolean };
  'notes:add': NoteRow;
  'notes:list': NoteRow[];
  'tags:add': TagRow;
  'tags:remove': { removed: boolean };
  'tags:list': TagRow[];
  'integrity:validate': IntegrityRun;
  'integrity:results': IntegrityRun | null;
  'analysis:summary': AnalysisSummary;
  'analysis:exposure': ExposureWindow[];
  'analysis:actors': ActorSummary[];
  'analysis:objects': ObjectSummary[];
  'analysis:gaps': { coverage: SourceCoverage[]; gaps: Gap[]; corroboration: Corroboration };
  'analysis:histogram': Histogram;
  'analysis:patterns': { extensions: string[]; globs: string[] };
  'analysis:set-patterns': { extensions: string[]; globs: string[] };
  'analysis:exfil': ExfilPatterns;
  'analysis:set-exfil-settings': PatternSettings;
  'analysis:addresses': AddressSummary;
  'report:render': ReportRendered;
  'export:timeline': { rows: number; bytes: number; sha256: string; path: string };
}

/** report:render: the report's ID and either its HTML (no path given) or where the PDF went and its SHA-256. */
export interface ReportRendered { reportId: string; title: string; suggestedName: string; downloads: number; html: string | null; path: string | null; sha256: string | null }
