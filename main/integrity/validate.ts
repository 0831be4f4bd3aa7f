// Offline CloudTrail log file validation: what `aws cloudtrail validate-logs` establishes, computed from
// digests, trail files and public keys already in hand. Pure: plain inputs in, a report out.
//
// Beyond aws-cli, which only walks S3: a digest's signature is taken from its S3 metadata when the copy
// kept it, else from the next digest's previousDigestSignature (that field is itself covered by the next
// digest's signature); previousDigestHashValue is checked against the previous digest's content; files in
// the case that no digest lists are reported; and coverage is laid out hour by hour.
//
// As current as aws-cli's validate-logs of 2026 (read from its validation.py and tests):
// - backfill digests (`…_backfill.json.gz`, PRs #10058/#10059) are validated like hourly digests —
//   location, format, public key, signature, the files they list — as a chain of their own, and counted
//   apart; their S3 metadata carries backfill-generation-timestamp, when they were signed;
// - a log file with data after its first gzip member is rejected even when that member hashes as listed
//   (PRs #10324/#10326): here it is 'modified', and the reason says what the import did with the data;
// - the public-key query reaches two hours past the period (PR #10073), so that a digest signed just after
//   a key rotation still finds its key: here a key is taken by fingerprint, and its validity window is
//   read with the same two hours' slack around the time the digest was signed.
import type {
  ChainStatus, DigestResult, IntegrityReport, IntegritySummary, MissingDigest, SignatureStatus, TrailFileResult, TrailFileStatus,
} from '../../shared/integrity';
import { TRAIL_FILE_STATUSES } from '../../shared/integrity';
import { computeCoverage, type CoverageItem } from './coverage';
import { digestS3Path, previousS3Path, type Digest } from './digest';
import type { PublicKey } from './public-keys';
import { SIGNATURE_ALGORITHM, verifyDigestSignature } from './signature';
import { awsLogsSuffix, digestChainKey, digestRegion, isBackfillDigest, matchName, parseTrailFileName } from './trail-names';

export interface DigestInput {
  /** Evidence path or file name, for the report. */
  ref: string;
  evidenceId?: number | null;
  digest: Digest;
  /** Hex SHA-256 of the uncompressed digest file. */
  contentSha256: string;
  /** Hex signature from the object's S3 metadata (x-amz-meta-signature), when the copy kept it. */
  signature?: string | null;
  /** A backfill digest's backfill-generation-timestamp from its S3 metadata: when it was signed. */
  backfillGeneratedAt?: string | null;
}

export interface TrailFileInput {
  ref: string;
  evidenceId?: number | null;
  /** Local path, S3 key or s3:// URI: matched to digest entries by file name. */
  path: string;
  /** Hex SHA-256 of the uncompressed content; null when it could not be read. */
  contentSha256: string | null;
  /** Why the content could not be read, when contentSha256 is null. */
  unreadable?: string;
  /** Stored bytes after the first gzip member (contentSha256 is then of the first member); null or absent when not checked. */
  appendedBytes?: number | null;
}

export interface ValidationInput {
  digests: DigestInput[];
  trailFiles: TrailFileInput[];
  /** null when no keys were supplied at all. */
  publicKeys: PublicKey[] | null;
  /** Digest files the case holds but that could not be read (s3 path, local path or file name): a chain link to one is not a break. */
  unreadableDigests?: string[];
  /** Found while gathering the inputs (an unreadable digest, a file altered since acquisition). */
  problems?: string[];
  limits?: string[];
}

/** How many files without a digest are named one by one among the limits. */
const MAX_LISTED = 20;

/**
 * Slack around a key's validity window: aws-cli asks ListPublicKeys for two hours past its range
 * (PR #10073) because a digest is signed when it is delivered, after its period, possibly by the key that
 * rotation has just brought in.
 */
export const KEY_ROTATION_SLACK_MS = 2 * 3_600_000;

/** Files delivered this close to a digest period's end may be listed by the next digest instead. */
const EDGE_MS = 2 * 60_000;

interface DigestState {
  input: DigestInput;
  path: string;
  chain: string;
  start: number;
  end: number;
  result: DigestResult;
}

function checkSignature(st: DigestState, nexts: DigestState[], keys: Map<string, PublicKey> | null, limits: string[]): void {
  const { digest, contentSha256, signature } = st.input;
  const r = st.result;
  const name = `digest s3://${st.path}`;
  if (digest.digestSignatureAlgorithm !== SIGNATURE_ALGORITHM) {
    limits.push(`${name}: signature algorithm ${digest.digestSignatureAlgorithm} is not supported`);
    return;
  }
  const key = keys?.get(digest.digestPublicKeyFingerprint.toLowerCase());
  if (!key) {
    limits.push(keys
      ? `${name}: no public key with fingerprint ${digest.digestPublicKeyFingerprint} among the keys supplied`
      : `${name}: signature not checked, no public keys were supplied`);
    return;
  }
  checkKeyWindow(st, key, limits);
  const fromNext = [...new Set(nexts.map((n) => n.input.digest.previousDigestSignature).filter((s): s is string => !!s).map((s) => s.toLowerCase()))];
  if (signature) {
    if (verifyDigestSignature(digest, contentSha256, signature, key.key)) {
      r.signature = 'valid';
      r.signatureSource = 'metadata';
      return;
    }
    const good = fromNext.find((s) => verifyDigestSignature(digest, contentSha256, s, key.key));
    if (good) {
      r.signature = 'valid';
      r.signatureSource = 'next-digest';
      r.problems.push('its S3 metadata signature does not verify, though the signature the next digest recorded does');
      return;
    }
    r.signature = 'invalid';
    r.signatureSource = 'metadata';
    r.problems.push('signature verification failed');
    return;
  }
  if (!fromNext.length) {
    limits.push(`${name}: signature not checked, the copy has no S3 metadata and no later digest in the case records it`);
    return;
  }
  r.signatureSource = 'next-digest';
  if (fromNext.some((s) => verifyDigestSignature(digest, contentSha256, s, key.key))) {
    r.signature = 'valid';
  } else {
    r.signature = 'invalid';
    r.problems.push('signature verification failed (signature as recorded by the next digest)');
  }
}

/**
 * The key must have been CloudTrail's when the digest was signed: at its end time (delivery follows it by
 * minutes), or for a backfill digest at its backfill-generation-timestamp — without it, a backfill digest
 * may be signed long after its period, and the window says nothing. Two hours' slack either side.
 */
function checkKeyWindow(st: DigestState, key: PublicKey, limits: string[]): void {
  const { digest, backfillGeneratedAt } = st.input;
  const backfill = isBackfillDigest(digest.digestS3Object);
  const at = backfill ? Date.parse(backfillGeneratedAt ?? '') : st.end;
  if (!Number.isFinite(at)) return;
  const from = key.validFrom ?? -Infinity;
  const to = key.validTo ?? Infinity;
  if (at >= from - KEY_ROTATION_SLACK_MS && at <= to + KEY_ROTATION_SLACK_MS) return;
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : 'open');
  limits.push(`digest s3://${st.path}: signed at ${new Date(at).toISOString()}${backfill ? ' (backfill generation)' : ''} with key ${key.fingerprint}, `
    + `whose validity (${iso(from)} to ${iso(to)}) is more than two hours away; aws-cli would not find that key for this digest`);
}

function checkChain(st: DigestState, byPath: Map<string, DigestState>, chains: Map<string, DigestState[]>, missing: MissingDigest[], unreadable: Set<string>, limits: string[]): ChainStatus {
  const d = st.input.digest;
  const prev = previousS3Path(d);
  if (!prev) return 'start';
  const p = byPath.get(prev);
  if (p) {
    let status: ChainStatus = 'linked';
    if (d.previousDigestHashValue !== p.input.contentSha256) {
      st.result.problems.push(`the previous digest s3://${prev} does not match the hash recorded here (recorded ${d.previousDigestHashValue ?? 'none'}, found ${p.input.contentSha256})`);
      status = 'break';
    }
    const metaSig = p.input.signature?.toLowerCase();
    if (metaSig && d.previousDigestSignature && metaSig !== d.previousDigestSignature.toLowerCase()) {
      st.result.problems.push(`the previous digest's S3 metadata signature differs from the previousDigestSignature recorded here`);
      status = 'break';
    }
    return status;
  }
  if (unreadable.has(matchName(prev))) {
    limits.push(`digest s3://${st.path}: its link to the previous digest s3://${prev} was not checked, that file could not be read`);
    return 'first-in-case';
  }
  // Backfill digests are a chain of their own (digestChainKey): an older one of the same chain makes a missing link a break.
  const older = (chains.get(st.chain) ?? []).filter((o) => o !== st && o.end < st.end);
  if (!older.length) return 'first-in-case';
  missing.push({ s3Path: prev, referencedBy: st.path, expectedSha256: d.previousDigestHashValue });
  st.result.problems.push(`the previous digest s3://${prev} is not in the case, though older digests of this trail are (chain break)`);
  return 'break';
}

/** What the verdict says of data appended after a trail file's first gzip member, and what the import did with it (parse-file.ts). */
export function appendedReason(bytes: number): string {
  return `${bytes} bytes were appended after its first gzip member (CloudTrail delivers one); the import read only the first member's records as events `
    + 'and kept the appended records as rejects, with their text and this reason, out of every answer';
}

const COVERAGE_OF: Record<TrailFileStatus, CoverageItem['status']> = {
  valid: 'validated', modified: 'modified', missing: 'missing', 'not-covered': 'no-digest', 'no-digest': 'no-digest', unverified: 'unverified', unchecked: 'unverified',
};
const SIGNATURE_COVERAGE: Record<SignatureStatus, CoverageItem['status']> = { valid: 'validated', invalid: 'modified', unknown: 'unverified' };

export function validateLogIntegrity(input: ValidationInput): IntegrityReport {
  const problems: string[] = [...(input.problems ?? [])];
  const limits: string[] = [...(input.limits ?? [])];
  const keys = input.publicKeys ? new Map(input.publicKeys.map((k) => [k.fingerprint.toLowerCase(), k])) : null;

  // ---- digests: one state per distinct S3 path
  const byPath = new Map<string, DigestState>();
  for (const di of input.digests) {
    const d = di.digest;
    const path = digestS3Path(d);
    const seen = byPath.get(path);
    if (seen) {
      if (seen.input.contentSha256 !== di.contentSha256) problems.push(`two different files claim to be digest s3://${path}: ${seen.input.ref} and ${di.ref}`);
      continue;
    }
    const result: DigestResult = {
      ref: di.ref, evidenceId: di.evidenceId ?? null, s3Path: path, accountId: d.awsAccountId, startTime: d.digestStartTime, endTime: d.digestEndTime,
      logFiles: d.logFiles.length, signature: 'unknown', signatureSource: null, keyFingerprint: d.digestPublicKeyFingerprint, chain: 'start', problems: [],
      backfill: isBackfillDigest(d.digestS3Object),
    };
    if (result.backfill) {
      // aws-cli refuses a backfill digest whose metadata lacks the generation time (invalid format).
      if (di.signature && !di.backfillGeneratedAt) result.problems.push('its S3 metadata has a signature but no backfill-generation-timestamp, which every backfill digest carries (aws-cli: invalid format)');
    }
    const refSuffix = awsLogsSuffix(di.ref);
    const keySuffix = awsLogsSuffix(d.digestS3Object);
    if (refSuffix && keySuffix && refSuffix !== keySuffix && matchName(refSuffix) !== matchName(keySuffix)) {
      result.problems.push(`its file ${di.ref} is not where the digest says it was delivered (${d.digestS3Object})`);
    }
    byPath.set(path, { input: di, path, chain: digestChainKey(d.digestS3Bucket, d.digestS3Object), start: Date.parse(d.digestStartTime), end: Date.parse(d.digestEndTime), result });
  }
  const states = [...byPath.values()].sort((a, b) => a.chain.localeCompare(b.chain) || a.end - b.end);
  const chains = new Map<string, DigestState[]>();
  const nextOf = new Map<string, DigestState[]>();
  for (const st of states) {
    chains.set(st.chain, [...(chains.get(st.chain) ?? []), st]);
    const prev = previousS3Path(st.input.digest);
    if (prev) nextOf.set(prev, [...(nextOf.get(prev) ?? []), st]);
  }
  const missingDigests: MissingDigest[] = [];
  const unreadable = new Set((input.unreadableDigests ?? []).map(matchName));
  const coverage: CoverageItem[] = [];
  for (const st of states) {
    checkSignature(st, nextOf.get(st.path) ?? [], keys, limits);
    st.result.chain = checkChain(st, byPath, chains, missingDigests, unreadable, limits);
    coverage.push({ from: st.start, to: st.end, status: SIGNATURE_COVERAGE[st.result.signature], files: 0 });
  }
  for (const m of missingDigests) {
    const next = byPath.get(m.referencedBy)!;
    const before = (chains.get(next.chain) ?? []).filter((o) => o.end <= next.start).at(-1);
    if (before) coverage.push({ from: before.end, to: next.start, status: 'missing', files: 0 });
  }

  // ---- trail files listed in digests
  const filesByName = new Map<string, TrailFileInput[]>();
  for (const f of input.trailFiles) {
    const k = matchName(f.path);
    filesByName.set(k, [...(filesByName.get(k) ?? []), f]);
  }
  const matched = new Set<TrailFileInput>();
  const listed = new Map<string, { hash: string; digest: string }>();
  const files: TrailFileResult[] = [];
  for (const st of states) {
    const trusted = st.result.signature === 'valid';
    for (const e of st.input.digest.logFiles) {
      const s3Path = `${e.s3Bucket}/${e.s3Object}`;
      // A backfill digest may list a file again: once is enough, unless the two listings disagree.
      const before = listed.get(s3Path);
      if (before !== undefined) {
        if (before.hash !== e.hashValue) st.result.problems.push(`it lists s3://${s3Path} with hash ${e.hashValue}, digest s3://${before.digest} with ${before.hash}`);
        continue;
      }
      listed.set(s3Path, { hash: e.hashValue, digest: st.path });
      const from = Date.parse(e.oldestEventTime ?? '') || parseTrailFileName(e.s3Object)?.deliveredAt || st.start;
      const to = Date.parse(e.newestEventTime ?? '') || from;
      const candidates = (filesByName.get(matchName(e.s3Object)) ?? []).filter((f) => {
        const suffix = awsLogsSuffix(f.path);
        return !suffix || suffix.replace(/\.gz$/i, '') === (awsLogsSuffix(e.s3Object) ?? e.s3Object).replace(/\.gz$/i, '');
      });
      const base = { s3Path, digest: st.path, expectedSha256: e.hashValue };
      if (!candidates.length) {
        files.push({ ...base, ref: `s3://${s3Path}`, evidenceId: null, status: 'missing', actualSha256: null, reason: `listed in digest s3://${st.path} but not in the case` });
        coverage.push({ from, to, status: 'missing', files: 1 });
        continue;
      }
      for (const f of candidates) {
        matched.add(f);
        let status: TrailFileStatus;
        let reason: string;
        if (e.hashAlgorithm.toUpperCase().replace('-', '') !== 'SHA256') {
          status = 'unchecked'; reason = `hash algorithm ${e.hashAlgorithm} is not supported`;
        } else if (f.contentSha256 === null) {
          status = 'unchecked'; reason = f.unreadable ?? 'its content could not be read to hash it';
        } else if (f.appendedBytes) {
          status = 'modified';
          reason = `${appendedReason(f.appendedBytes)}; ${f.contentSha256.toLowerCase() === e.hashValue
            ? `its first member hashes as digest s3://${st.path} lists, which aws-cli's validate-logs no longer accepts`
            : `even its first member hashes to ${f.contentSha256}, the digest lists ${e.hashValue}`}`;
        } else if (f.contentSha256.toLowerCase() !== e.hashValue) {
          status = 'modified'; reason = `its content hashes to ${f.contentSha256}, the digest lists ${e.hashValue}`;
        } else if (trusted) {
          status = 'valid'; reason = `matches digest s3://${st.path}`;
        } else {
          status = 'unverified'; reason = `matches digest s3://${st.path}, whose signature is ${st.result.signature}`;
        }
        files.push({ ...base, ref: f.ref, evidenceId: f.evidenceId ?? null, status, actualSha256: f.contentSha256, reason });
        coverage.push({ from, to, status: COVERAGE_OF[status], files: 1 });
      }
    }
  }

  // ---- trail files no digest lists
  for (const f of input.trailFiles) {
    if (matched.has(f)) continue;
    const name = parseTrailFileName(f.path);
    const base = { ref: f.ref, evidenceId: f.evidenceId ?? null, s3Path: null, digest: null, expectedSha256: null, actualSha256: f.contentSha256 };
    // No digest to hold it against, yet a second member is never CloudTrail's: a discrepancy all the same.
    if (f.appendedBytes) problems.push(`log file ${f.ref}: ${appendedReason(f.appendedBytes)}`);
    if (!name) {
      files.push({ ...base, status: 'no-digest', reason: 'not named as CloudTrail names its log files, so no digest can list it' });
      continue;
    }
    const t = name.deliveredAt;
    const gap = missingDigests.find((m) => {
      const next = byPath.get(m.referencedBy)!;
      const before = (chains.get(next.chain) ?? []).filter((o) => o.end <= next.start).at(-1);
      return digestRegion(next.input.digest.digestS3Object) === name.region && next.input.digest.awsAccountId === name.accountId
        && (before?.end ?? -Infinity) <= t && t < next.start;
    });
    const vouching = states.find((st) => st.input.digest.awsAccountId === name.accountId && digestRegion(st.input.digest.digestS3Object) === name.region
      && st.start <= t && t + EDGE_MS <= st.end);
    const status: TrailFileStatus = vouching ? 'not-covered' : 'no-digest';
    files.push({
      ...base, status,
      reason: vouching
        ? `delivered during the period of digest s3://${vouching.path}, which does not list it`
        : gap ? `delivered during the period of digest s3://${gap.s3Path}, which is missing from the case`
          : 'no digest in the case covers the time it was delivered',
    });
    coverage.push({ from: t, to: t, status: COVERAGE_OF[status], files: 1 });
  }

  // ---- verdict
  const digests = states.map((s) => s.result);
  for (const d of digests) for (const p of d.problems) problems.push(`digest s3://${d.s3Path}: ${p}`);
  for (const f of files) {
    if (f.status === 'modified' || f.status === 'missing' || f.status === 'not-covered') problems.push(`log file ${f.ref}: ${f.status}, ${f.reason}`);
    else if (f.status === 'unchecked') limits.push(`log file ${f.ref}: unchecked, ${f.reason}`);
  }
  // Files outside every digest are listed one by one up to a point; a case of un-digested logs would
  // otherwise bury the verdict under thousands of identical lines (the per-file results keep them all).
  const undigested = files.filter((f) => f.status === 'no-digest');
  for (const f of undigested.slice(0, MAX_LISTED)) limits.push(`log file ${f.ref}: ${f.reason}`);
  if (undigested.length > MAX_LISTED) limits.push(`… and ${undigested.length - MAX_LISTED} more log files that no digest in the case covers`);
  const counts = Object.fromEntries(TRAIL_FILE_STATUSES.map((s) => [s, 0])) as Record<TrailFileStatus, number>;
  for (const f of files) counts[f.status]++;
  const summary: IntegritySummary = {
    digests: digests.length,
    digestsValid: digests.filter((d) => d.signature === 'valid').length,
    digestsInvalid: digests.filter((d) => d.signature === 'invalid').length,
    digestsUnknown: digests.filter((d) => d.signature === 'unknown').length,
    chainBreaks: digests.filter((d) => d.chain === 'break').length,
    missingDigests: missingDigests.length,
    files: counts,
    backfillDigests: digests.filter((d) => d.backfill).length,
    backfillDigestsValid: digests.filter((d) => d.backfill && d.signature === 'valid').length,
  };
  const cov = computeCoverage(coverage);
  if (cov.truncated) limits.push(`coverage shown for the first ${cov.hours.length} hours only`);
  const verdict = problems.length ? 'failed' : limits.length || (!digests.length && !files.length) ? 'incomplete' : 'verified';
  if (!digests.length && !files.length) limits.push('no CloudTrail digests or log files to validate');
  return { verdict, summary, digests, files, missingDigests, coverage: cov.hours, problems, limits };
}
