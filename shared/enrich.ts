// Address context (main/enrich) and exfiltration patterns (main/analysis/patterns): result types used
// by the renderer, the report, exports and the CLI. Figures are facts observed in the evidence; a
// pattern says what was seen, never why. Unknown bytes stay null, never 0.

/** What a source address is: a routable IP, or a value AWS writes instead of one. */
export type AddressKind =
  | 'ip'            // a public IPv4/IPv6 address, looked up in the shipped databases
  | 'private-ip'    // RFC 1918 / ULA / loopback: inside a network (a VPC), not geolocated
  | 'reserved'      // documentation, benchmark and future ranges (192.0.2.0/24, 2001:db8::/32…)
  | 'aws-service'   // e.g. s3.amazonaws.com: a request AWS made on a principal's behalf
  | 'aws-internal'  // CloudTrail's "AWS Internal"
  | 'vpc-endpoint'  // vpce-…: the request came through a VPC endpoint
  | 'unknown';      // empty or unparseable

export interface AddressContext {
  /** The source value as logged (an IP, a service name, "AWS Internal", a vpce id). */
  ip: string;
  kind: AddressKind;
  /** ISO 3166 alpha-2, null when the database has none. */
  country: string | null;
  asn: number | null;
  /** Network name registered for the ASN. */
  org: string | null;
  /** Inside AWS's published ranges: the most specific service (EC2, S3, CLOUDFRONT…, AMAZON otherwise) and region. */
  awsService: string | null;
  awsRegion: string | null;
  /** One line for people: "AWS EC2 us-east-1", "AWS service s3.amazonaws.com", "Google LLC (US)". */
  label: string;
  /** The dates of the data that gave this answer, e.g. "IP data as of 2026-06-17; AWS ranges as of 2018-02-06". */
  sourceDate: string;
}

/** The data behind address context, with their dates, stated wherever answers appear. */
export interface AddressDataInfo {
  ipDataDate: string;
  awsRangesDate: string;
  awsRangesSyncToken: string;
  /** "shipped" or "refreshed" (a newer copy in the user's data folder). */
  awsRangesSource: 'shipped' | 'refreshed';
  attribution: string;
}

// ---------- exfiltration patterns ----------
export interface BurstSettings { backupFiles: number; bytes: number; minutes: number }
export interface BulkTool { label: string; /** case-insensitive substring of the user agent */ match: string }
export interface PatternSettings { burst: BurstSettings; tools: BulkTool[] }

export interface Burst {
  actorKey: string;
  from: string; fromMs: number; to: string; toMs: number;
  downloads: number;
  backupFiles: number;
  /** Sum of the known bytes sent in the window. */
  bytes: number;
  /** Downloads in the window whose bytes are not known (not counted in bytes). */
  unknownBytes: number;
  /** Which threshold the window passed: files, bytes or both. */
  over: Array<'files' | 'bytes'>;
}

export interface FirstSeenInExposure {
  actorKey: string;
  firstSeen: string; firstSeenMs: number;
  bucket: string;
  windowFrom: string; windowTo: string | null;
  downloads: number;
}

export interface ToolUse {
  actorKey: string;
  tool: string;
  downloads: number;
  bytes: number;
  unknownBytes: number;
  userAgent: string;
  first: string; last: string;
}

export interface EnumerationBeforeDownload {
  actorKey: string;
  /** Listing requests at or before the actor's last download. */
  listings: number;
  /** Of those, how many were refused (an attempt still). */
  failedListings: number;
  firstListing: string;
  firstDownload: string;
  /** Downloads at or after the first listing. */
  downloadsAfter: number;
  buckets: string[];
}

export interface ExfilPatterns {
  settings: PatternSettings;
  bursts: Burst[];
  firstSeen: FirstSeenInExposure[];
  tools: ToolUse[];
  enumeration: EnumerationBeforeDownload[];
}

/** Downloads grouped by where they came from (the report's "by country and network"). */
export interface NetworkTally {
  country: string | null;
  asn: number | null;
  org: string | null;
  /** AWS service and region when the addresses lie in AWS's ranges; kind for labelled non-addresses. */
  awsService: string | null;
  awsRegion: string | null;
  kind: AddressKind | null;
  label: string;
  addresses: number;
  downloads: number;
  bytes: number;
  unknownBytes: number;
}

/** The address context of a case: the tallies and the dates of the data behind them. */
export interface AddressSummary {
  networks: NetworkTally[];
  /** Distinct data dates the case's answers came from ("IP data as of …; AWS ranges as of …"). */
  sourceDates: string[];
  attribution: string;
}

/** The timeline's pattern filter (TimelineFilter.pattern): which downloads each observed pattern covers, in words. */
export const PATTERN_FILTERS = {
  burst: 'in an observed burst',
  'bulk-tool': 'made with a bulk tool',
  'first-seen': 'by an actor first seen during an exposure',
  'listed-first': 'after the actor listed the bucket',
} as const;
export type PatternFilter = keyof typeof PATTERN_FILTERS;
