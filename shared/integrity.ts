// Results of CloudTrail log file integrity validation, as the service returns them and the case stores them.
// Pure types: the evidence view and the report render these; main/integrity produces them.

/**
 * One trail file's standing:
 * - valid: listed in a digest whose signature verifies, and its content hashes to the listed value
 * - modified: listed in a digest, but its content hashes to something else
 * - missing: listed in a digest, but not in the case
 * - not-covered: in the case, inside a period the case's digests vouch for, yet listed in none of them
 * - no-digest: in the case, outside every period the case's digests cover (nothing to check it against)
 * - unverified: hash matches, but the listing digest's signature is invalid or could not be checked
 * - unchecked: listed in a digest and in the case, but its content could not be read to hash it
 */
export const TRAIL_FILE_STATUSES = ['valid', 'modified', 'missing', 'not-covered', 'no-digest', 'unverified', 'unchecked'] as const;
export type TrailFileStatus = (typeof TRAIL_FILE_STATUSES)[number];

export type SignatureStatus = 'valid' | 'invalid' | 'unknown';

/**
 * Where a digest stands in its chain:
 * - start: the digest names no predecessor (log validation was just turned on, or restarted)
 * - linked: its predecessor is in the case and matches the recorded hash and signature
 * - first-in-case: its predecessor is not in the case, and nothing older of this trail is either (the case's range begins here);
 *   also when the predecessor is in the case but its file could not be read (then a limit says so)
 * - break: its predecessor is missing from the middle of the chain, or does not match what this digest recorded
 */
export type ChainStatus = 'start' | 'linked' | 'first-in-case' | 'break';

export interface DigestResult {
  /** Where the digest came from (evidence path or file name). */
  ref: string;
  evidenceId: number | null;
  /** bucket/key the digest says it was delivered to. */
  s3Path: string;
  accountId: string;
  startTime: string;
  endTime: string;
  logFiles: number;
  signature: SignatureStatus;
  /** Which copy of the signature was checked: S3 object metadata, or the next digest's previousDigestSignature. */
  signatureSource: 'metadata' | 'next-digest' | null;
  keyFingerprint: string;
  chain: ChainStatus;
  /** Every discrepancy found on this digest, in words. */
  problems: string[];
  /**
   * A backfill digest (`…_backfill.json.gz`): CloudTrail's late listing of files the hourly digest missed.
   * It forms a chain of its own, apart from the hourly one (absent in runs saved before it was told).
   */
  backfill?: boolean;
}

export interface TrailFileResult {
  /** Evidence path, or the S3 path for files the case lacks. */
  ref: string;
  evidenceId: number | null;
  /** bucket/key as the digest lists it; null when no digest lists the file. */
  s3Path: string | null;
  status: TrailFileStatus;
  /** s3 path of the digest listing this file. */
  digest: string | null;
  expectedSha256: string | null;
  actualSha256: string | null;
  reason: string;
}

/** A digest the chain says existed but the case does not hold. */
export interface MissingDigest { s3Path: string; referencedBy: string; expectedSha256: string | null }

export const COVERAGE_STATUSES = ['validated', 'modified', 'missing', 'no-digest', 'unverified'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** One UTC hour: the worst status of anything that falls in it. */
export interface CoverageHour { hour: string; status: CoverageStatus; files: number }

export interface IntegritySummary {
  digests: number;
  digestsValid: number;
  digestsInvalid: number;
  digestsUnknown: number;
  chainBreaks: number;
  missingDigests: number;
  files: Record<TrailFileStatus, number>;
  /** Of the digests, how many are backfill digests, and how many of those verify (as aws-cli counts them apart). */
  backfillDigests?: number;
  backfillDigestsValid?: number;
}

/**
 * verified: every digest's signature verifies, the chain is whole, and every trail file checks;
 * failed: at least one discrepancy; incomplete: nothing wrong found, but something could not be checked.
 */
export type IntegrityVerdict = 'verified' | 'failed' | 'incomplete';

export interface IntegrityReport {
  verdict: IntegrityVerdict;
  summary: IntegritySummary;
  digests: DigestResult[];
  files: TrailFileResult[];
  missingDigests: MissingDigest[];
  coverage: CoverageHour[];
  /** Discrepancies (lead to failed) and limits (lead to incomplete), in words, for the verdict. */
  problems: string[];
  limits: string[];
}

export interface IntegrityRun extends IntegrityReport {
  id: number;
  at: string;
  examiner: string | null;
  /** The public-key file used, or null when none was given. */
  keysSource: string | null;
}
