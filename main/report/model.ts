// The board report as data: everything the HTML shows, already redacted, with times as epoch ms
// (formatted at render time in `cover.timeZone`). The report ID is the SHA-256 of this model
// without the ID itself and without the print date unless one was given.
import type { ExposureWindow, Gap } from '../../shared/analysis';
import type { ChartSegment } from './chart-range';
import type { Source } from '../../shared/events';
import type { ExposureClass } from '../../shared/exposure-rule';
import type { CoverageStatus, IntegrityVerdict, TrailFileStatus } from '../../shared/integrity';
import type { AddressesView, PatternsView } from './enrich-views';

export interface ReportFilterView {
  from: string | null; to: string | null; bucket: string | null;
  /** The timeline's other filters applied, in words (shared/filter-words); empty when none. */
  narrowing: string[];
}

export interface Cover {
  title: string;
  caseName: string;
  organisation: string | null;
  examiner: string | null;
  /** IANA zone every time in the report is shown in. */
  timeZone: string;
  /** The offsets that zone had over the period, e.g. "UTC+01:00 / UTC+02:00". */
  zoneOffsets: string;
  /** The date printed on the cover; null means "the day it was rendered" (and is then not part of the ID). */
  generatedAt: number | null;
  firstDownload: number | null;
  lastDownload: number | null;
  filter: ReportFilterView;
  redacted: boolean;
  toolVersion: string;
  /** SHA-256 of the answers the report was built from (main/integrity/answers-digest.ts); `trailmark verify --report` checks it. Null when not computed. */
  answersDigest: string | null;
}

/** One plain-language sentence and the figures it rests on. */
export interface SummaryItem { text: string; basis: string[] }

export interface ExposureView {
  bucket: string;
  key: string | null;
  from: number | null;
  to: number | null;
  /** The bucket's own evidence span, which bounds an open start or end (null when unknown or both ends are closed). */
  evidenceFrom: number | null;
  evidenceTo: number | null;
  /** "anyone", "any AWS account holder", "accounts Account-1, Account-2" */
  readableBy: string;
  via: ExposureWindow['via'];
  how: string;
  caveats: string[];
  /** A policy condition or a public access block narrowed the grant for part of the window. */
  restricted: boolean;
  /** Downloads inside the window, and in the same second as its opening or closing change (order unknown). */
  downloads: number;
  atBoundary: number;
}

export interface TableRow {
  id: number;
  time: number;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  bucket: string;
  key: string;
  bytesSent: number | null;
  objectSize: number | null;
  status: number | null;
  complete: boolean | null;
  sources: Source[];
  exposure: ExposureClass;
}

export interface PartyGroup { party: string; rows: TableRow[] }

export interface ActorView {
  party: string;
  actor: string;
  ip: string | null;
  anonymous: boolean;
  identity: string | null;
  ips: number;
  userAgents: number;
  /** The first few user agents, as logged (untrusted text). */
  userAgentSamples: string[];
  downloads: number;
  downloadsInExposure: number;
  downloadsAtBoundary: number;
  objects: number;
  backupObjects: number;
  completeCopies: number;
  /** Downloads whose completeness the logs cannot tell (not counted as complete copies). */
  completenessUnknown: number;
  bytes: number;
  /** Downloads whose bytes sent were not logged: bytes is then a lower bound. */
  bytesUnknown: number;
  first: number;
  last: number;
  /** An anonymous party's address context ("Google LLC (AS15169, US)", "AWS EC2 us-east-1"); null otherwise or unknown. */
  address: string | null;
}

export interface ObjectView {
  bucket: string;
  key: string;
  isBackup: boolean;
  size: number | null;
  downloads: number;
  parties: number;
  completeCopies: number;
  completenessUnknown: number;
  bytes: number;
  bytesUnknown: number;
  first: number;
  last: number;
}

export interface ChartLane { label: string; total: number; bins: Array<{ bin: number; downloads: number; complete: number }> }

export interface ChartModel {
  start: number;
  end: number;
  /** The axis's panels, one per burst when long silences break it (report/chart-range); bins are numbered across them. */
  segments: ChartSegment[];
  /** Downloads per bin, and of those complete copies. */
  histogram: Array<{ downloads: number; complete: number }>;
  lanes: ChartLane[];
  /** Parties folded into the last lane when there are too many to draw one each. */
  otherParties: number;
  exposures: Array<{ from: number; to: number; label: string; openStart: boolean; openEnd: boolean }>;
}

export interface GapView {
  kind: Gap['kind'] | 'rejects' | 'completeness' | 'no-analysis' | 'table-truncated' | 'integrity';
  text: string;
  /** A few words for the summary ("no CloudTrail data events for bucket X"). */
  short: string;
}

export interface NoteView { about: string; text: string; examiner: string | null; createdAt: string }

import type { ManifestSummary } from './manifest';

export interface ManifestView {
  id: number; path: string; origin: string; format: string; sha256: string; size: number; acquiredAt: string;
  examiner: string | null; records: number; events: number; duplicates: number; rejected: number; rowsDigest: string | null; complete: boolean;
}

/** The latest CloudTrail log integrity validation stored in the case, as the report states it. */
export interface IntegrityView {
  /** Null when validation was never run on this case. */
  run: { id: number; at: string; examiner: string | null; keysSource: string | null } | null;
  verdict: IntegrityVerdict | null;
  /** The verdict in plain words, or that validation was not run. */
  headline: string;
  /** What qualifies it: no digest files, evidence imported after the run, a filtered report. */
  notes: string[];
  /** Digest files among the case's complete evidence now (the run may predate some). */
  digestFilesInCase: number;
  /** Per file status, in the order of TRAIL_FILE_STATUSES; only statuses that occur. */
  files: Array<{ status: TrailFileStatus; label: string; count: number }>;
  digests: { total: number; valid: number; invalid: number; unknown: number; chainBreaks: number; missing: number };
  /** Discrepancies (each one makes the verdict "failed"), in words. */
  problems: string[];
  /** What could not be checked (each makes it "incomplete"), in words. */
  limits: string[];
  /** One entry per UTC hour from the first to the last the run touched. */
  coverage: Array<{ start: number; status: CoverageStatus; files: number }>;
}

export interface Methodology {
  derivation: string[];
  sources: Array<{ source: string; evidence: number; events: number }>;
  /** The first MANIFEST_LISTED files; the full list is the manifest CSV beside the report (manifest.ts). */
  manifest: ManifestView[];
  manifestSummary: ManifestSummary;
  rejectReasons: Array<{ reason: string; count: number }>;
  custody: { entries: number; lastSeq: number | null; lastHash: string | null; problems: string[] };
  backupPatterns: string[];
  integrity: IntegrityView;
}

export interface Totals {
  downloads: number; bytes: number; bytesUnknown: number; complete: number; partial: number; unknownCompleteness: number;
  parties: number; ips: number; objects: number; backupObjects: number; inExposure: number; atBoundary: number;
}

export interface ReportModel {
  schema: 1;
  reportId: string;
  cover: Cover;
  summary: SummaryItem[];
  totals: Totals;
  /** Buckets the downloads came from, sorted (up to 50). */
  buckets: string[];
  exposures: ExposureView[];
  chart: ChartModel | null;
  groups: PartyGroup[];
  /** Set when the downloads table stops short of every download; the export has them all. */
  tableLimit: { shown: number; total: number } | null;
  actors: ActorView[];
  objects: ObjectView[];
  gaps: GapView[];
  notes: NoteView[];
  /** Downloads by country and network; null when the case has no address context (an older case, no addresses). */
  addresses: AddressesView | null;
  /** The exfiltration patterns with their figures; null without analysis. */
  patterns: PatternsView | null;
  methodology: Methodology;
}
