// Result types of the leak analysis (main/analysis, main/case/analysis*.ts), used by the renderer,
// the report and the CLI. Times are ISO 8601 UTC strings plus epoch milliseconds; display code
// formats them in a chosen time zone with formatInZone() and always states the zone.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { AddressContext } from './enrich';

/** An hour in milliseconds: the summaries, the histogram and the position count by UTC hour. */
export const HOUR = 3_600_000;

// ---------- exposure ----------
/** Who could read: anyone; any AWS account holder; or named other accounts. */
export type ExposureScope = 'public' | 'authenticated-users' | 'cross-account';

/** How the exposure was granted: an ACL grant, a bucket policy statement, or only seen in downloads. */
export type ExposureVia = 'acl' | 'policy' | 'observed';

export interface ExposureWindow {
  bucket: string;
  /** null: the whole bucket; a key: one object whose ACL was changed. */
  key: string | null;
  /** null: the evidence starts with the bucket already exposed (see note); never a guess. */
  from: string | null;
  fromMs: number | null;
  /** null: still open at the end of the evidence. */
  to: string | null;
  toMs: number | null;
  scope: ExposureScope;
  /** Other account IDs named by a cross-account grant; empty otherwise. */
  accounts: string[];
  via: ExposureVia;
  /** A policy Condition restricts the grant (IP ranges, VPC endpoints…); the window may be narrower in fact. */
  conditional: boolean;
  /** The Condition blocks, as JSON text, when conditional. */
  conditions: string[];
  /** CloudTrail eventID of the change that opened the window; null when from is null. */
  openedBy: string | null;
  /** events.id of that change. */
  openedByEvent: number | null;
  closedBy: string | null;
  closedByEvent: number | null;
  /** Why the window starts or ends where it does when no change event explains it. */
  note: string | null;
  /** A public access block was in force over part of it (the grant existed but was blocked). */
  blockedBy: string | null;
  /**
   * The span of this bucket's own evidence (its first and last logged event), which bounds an open
   * start or end: "already exposed when the evidence starts" means when this bucket's evidence starts,
   * not the case's. Set by the case for windows with an open end; absent or null when unknown.
   */
  bucketEvidence?: { fromMs: number; toMs: number } | null;
}

// ---------- actors ----------
export type IdentityVia =
  | 'AssumeRole' | 'AssumeRoleWithSAML' | 'AssumeRoleWithWebIdentity' | 'GetSessionToken'
  | 'GetFederationToken' | 'ConsoleLogin' | 'IdentityCenter';

/** The person or principal behind an access key or a role session, as the case's STS events show. */
export interface ResolvedIdentity {
  /** The IAM user ARN, SSO user name, SAML subject or web identity behind the session. */
  identity: string;
  via: IdentityVia;
  /** CloudTrail eventID of the event that shows the link. */
  eventId: string | null;
  time: string | null;
}

export interface ActorSummary {
  /** Stable key: the principal, or `anonymous@<ip>` for anonymous requests (one per source IP). */
  actorKey: string;
  /** Principal ARN, `anonymous`, or a canonical user ID, as logged. */
  actor: string;
  /** Set for anonymous actors, which are split by source IP. */
  sourceIp: string | null;
  identity: ResolvedIdentity | null;
  firstSeen: string;
  lastSeen: string;
  userAgents: string[];
  /** Distinct objects downloaded. */
  objects: number;
  downloads: number;
  /** Bytes sent over the downloads that logged them; a lower bound when bytesUnknown > 0. */
  bytes: number;
  /** Downloads whose bytes sent were not logged (CloudTrail data events carry none): never counted as 0. */
  bytesUnknown: number;
  /** Whole-object reads plus copies assembled from range requests. */
  completeCopies: number;
  /** Downloads whose completeness the logs cannot tell (bytes sent or object size not logged): not counted as copies. */
  completenessUnknown: number;
  backupObjects: number;
  /** Downloads made inside an exposure window of the bucket (shared/exposure-rule), boundary ones excluded. */
  downloadsInExposure: number;
  /** Downloads in the same second as a change that opened or closed a window: order unknown, counted apart. */
  downloadsAtBoundary: number;
  inExposure: boolean;
  /** An anonymous actor's address context (ip_context: country, network, AWS range or label); absent for principals. */
  address?: AddressContext | null;
}

// ---------- objects ----------
export interface ObjectSummary {
  bucket: string;
  key: string;
  /** Largest object size logged; null when no source logged it. */
  size: number | null;
  downloads: number;
  actors: number;
  /** Bytes sent over the downloads that logged them; a lower bound when bytesUnknown > 0. */
  bytesOut: number;
  /** Downloads of the object whose bytes sent were not logged. */
  bytesUnknown: number;
  /** Whole-object reads plus assembled copies. */
  completeCopies: number;
  /** Downloads whose completeness the logs cannot tell: not counted as copies. */
  completenessUnknown: number;
  /** Of which assembled from several 206 range requests by one actor that together cover the object. */
  assembledCopies: number;
  isBackup: boolean;
  firstDownload: string | null;
  lastDownload: string | null;
  /** true/false when a bucket listing in the case covers the bucket; null when none does. */
  listed: boolean | null;
}

/** "X of Y backup files taken", per bucket. */
export interface BackupTally {
  bucket: string;
  /** Backup objects in the bucket listing; null without a listing (then only downloaded ones are known). */
  listedBackups: number | null;
  /** Backup objects downloaded at least once (any byte). */
  takenBackups: number;
  /** Of which at least one complete copy went out. */
  completeBackups: number;
  /** Backups in the listing never downloaded, up to 100, by key. */
  notTaken: string[];
  listingEvidence: number[];
}

// ---------- corroboration and gaps ----------
export type CoverageSource = 's3-access-log' | 'cloudtrail-data' | 'cloudtrail-management';

export interface SourceCoverage {
  bucket: string;
  source: CoverageSource;
  /** Hours (UTC) with at least one event from this source for this bucket. */
  hours: number;
  first: string | null;
  last: string | null;
  events: number;
}

/** unknown-change: an access change whose record does not tell what it granted (a Lake or Athena row). */
export type GapKind = 'source-silent' | 'source-absent' | 'logging-change' | 'unknown-change';

export interface Gap {
  bucket: string | null;
  kind: GapKind;
  /** The source that is silent (for source-silent / source-absent), or the one reconfigured. */
  source: CoverageSource | null;
  from: string | null;
  to: string | null;
  hours: number;
  /** The other source showed this many events over the gap. */
  otherEvents: number;
  /** For logging-change and unknown-change: the CloudTrail eventName and eventID. */
  action: string | null;
  eventId: string | null;
  note: string;
}

/** Per download: which sources saw it (downloads.sources bitmask: 1 = s3-access-log, 2 = cloudtrail). */
export interface Corroboration { both: number; accessLogOnly: number; cloudTrailOnly: number }

// ---------- summary and histogram ----------
export interface AnalysisSummary {
  /** The zone `display` strings use, always stated (IANA name, e.g. "UTC", "Europe/Paris"). */
  timeZone: string;
  exposure: ExposureWindow[];
  actors: ActorSummary[];
  objects: ObjectSummary[];
  backups: BackupTally[];
  coverage: SourceCoverage[];
  gaps: Gap[];
  corroboration: Corroboration;
  backupPatterns: string[];
}

export interface HistogramBin { time: string; timeMs: number; downloads: number; bytes: number; backupDownloads: number }
export interface Histogram { binMs: number; bins: HistogramBin[] }

// ---------- time display ----------
/** `2024-03-01 14:05:09 CET`-style text in the given IANA zone; the zone is always part of the text. */
export function formatInZone(ms: number, timeZone = 'UTC', withMs = false): string {
  const d = new TZDate(ms, timeZone);
  const zone = timeZone === 'UTC' ? 'UTC' : `${format(d, 'xxx')} ${timeZone}`;
  return `${format(d, withMs ? 'yyyy-MM-dd HH:mm:ss.SSS' : 'yyyy-MM-dd HH:mm:ss')} ${zone}`;
}

/** ISO 8601 with the zone's offset (`2024-03-01T15:05:09+01:00`), for exports that must be machine-readable. */
export function isoInZone(ms: number, timeZone = 'UTC'): string {
  if (timeZone === 'UTC') return new Date(ms).toISOString();
  return format(new TZDate(ms, timeZone), "yyyy-MM-dd'T'HH:mm:ss.SSSxxx");
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
