// Integrity validation in the case: the evidence it reads, the runs it records, the results it returns.
// Statements only; the validation itself is main/integrity (pure).
import type {
  CoverageHour, DigestResult, IntegrityReport, IntegrityRun, IntegritySummary, MissingDigest, TrailFileResult,
} from '../../shared/integrity';
import type { IntegrityEvidenceRow } from '../integrity/case-inputs';
import { isBackfillDigest } from '../integrity/trail-names';
import { appendCustody } from './custody';
import { all, get, prepared, run, type ReadableDB, type WritableDB } from './db';
import { withRaw, type RawRef } from './raw-records';
import { sql } from './sql';

/** Completed evidence that may take part in CloudTrail validation (digests and trail files; filtered finer in main/integrity). */
export function integrityEvidence(db: ReadableDB): IntegrityEvidenceRow[] {
  return all<IntegrityEvidenceRow>(db, sql`
    SELECT id, path, origin, sha256, format, meta FROM evidence
    WHERE status = 'complete' AND format IN ('cloudtrail-digest', 'cloudtrail-file', 'cloudtrail-array', 'cloudtrail-lines')
    ORDER BY id`);
}

/** Records a run, its digests and files, and a custody entry, in one transaction. */
export function saveIntegrityRun(db: WritableDB, report: IntegrityReport, opts: { examiner: string | null; keysSource: string | null; at?: Date }): IntegrityRun {
  const at = (opts.at ?? new Date()).toISOString();
  return db.transaction(() => {
    const { lastInsertRowid } = run(db, sql`
      INSERT INTO integrity_runs (at, examiner, keys_source, verdict, summary, coverage, missing_digests, problems, limits)
      VALUES (${at}, ${opts.examiner}, ${opts.keysSource}, ${report.verdict}, ${JSON.stringify(report.summary)}, ${JSON.stringify(report.coverage)},
              ${JSON.stringify(report.missingDigests)}, ${JSON.stringify(report.problems)}, ${JSON.stringify(report.limits)})`);
    const id = Number(lastInsertRowid);
    report.digests.forEach((d, seq) => run(db, sql`
      INSERT INTO integrity_digests (run_id, seq, evidence_id, ref, s3_path, account_id, start_time, end_time, log_files, signature, signature_source, key_fingerprint, chain, problems)
      VALUES (${id}, ${seq}, ${d.evidenceId}, ${d.ref}, ${d.s3Path}, ${d.accountId}, ${d.startTime}, ${d.endTime}, ${d.logFiles}, ${d.signature},
              ${d.signatureSource}, ${d.keyFingerprint}, ${d.chain}, ${JSON.stringify(d.problems)})`));
    report.files.forEach((f, seq) => run(db, sql`
      INSERT INTO integrity_files (run_id, seq, evidence_id, ref, s3_path, status, digest, expected_sha256, actual_sha256, reason)
      VALUES (${id}, ${seq}, ${f.evidenceId}, ${f.ref}, ${f.s3Path}, ${f.status}, ${f.digest}, ${f.expectedSha256}, ${f.actualSha256}, ${f.reason})`));
    const s = report.summary;
    appendCustody(db, 'integrity-validate', {
      run: id, verdict: report.verdict, keys: opts.keysSource, digests: s.digests, digestsValid: s.digestsValid, digestsInvalid: s.digestsInvalid,
      chainBreaks: s.chainBreaks, files: s.files, backfillDigests: s.backfillDigests ?? 0, backfillDigestsValid: s.backfillDigestsValid ?? 0,
    }, opts.examiner, new Date(at));
    return { ...report, id, at, examiner: opts.examiner, keysSource: opts.keysSource };
  })();
}

interface RunRow { id: number; at: string; examiner: string | null; keys_source: string | null; verdict: IntegrityReport['verdict']; summary: string; coverage: string; missing_digests: string; problems: string; limits: string }
interface DigestRow {
  evidence_id: number | null; ref: string; s3_path: string; account_id: string; start_time: string; end_time: string; log_files: number;
  signature: DigestResult['signature']; signature_source: DigestResult['signatureSource']; key_fingerprint: string; chain: DigestResult['chain']; problems: string;
}
interface FileRow {
  evidence_id: number | null; ref: string; s3_path: string | null; status: TrailFileResult['status']; digest: string | null;
  expected_sha256: string | null; actual_sha256: string | null; reason: string;
}

/** A recorded run in full; the latest when no id is given; null when validation never ran. */
export function getIntegrityRun(db: ReadableDB, id?: number): IntegrityRun | null {
  const r = id === undefined
    ? get<RunRow>(db, sql`SELECT * FROM integrity_runs ORDER BY id DESC LIMIT 1`)
    : get<RunRow>(db, sql`SELECT * FROM integrity_runs WHERE id = ${id}`);
  if (!r) return null;
  const digests = all<DigestRow>(db, sql`SELECT * FROM integrity_digests WHERE run_id = ${r.id} ORDER BY seq`).map((d): DigestResult => ({
    ref: d.ref, evidenceId: d.evidence_id, s3Path: d.s3_path, accountId: d.account_id, startTime: d.start_time, endTime: d.end_time, logFiles: d.log_files,
    signature: d.signature, signatureSource: d.signature_source, keyFingerprint: d.key_fingerprint, chain: d.chain, problems: JSON.parse(d.problems) as string[],
    // Not a column: a backfill digest is one by its name, in runs saved before this was told too.
    backfill: isBackfillDigest(d.s3_path),
  }));
  const files = all<FileRow>(db, sql`SELECT * FROM integrity_files WHERE run_id = ${r.id} ORDER BY seq`).map((f): TrailFileResult => ({
    ref: f.ref, evidenceId: f.evidence_id, s3Path: f.s3_path, status: f.status, digest: f.digest, expectedSha256: f.expected_sha256, actualSha256: f.actual_sha256, reason: f.reason,
  }));
  return {
    id: r.id, at: r.at, examiner: r.examiner, keysSource: r.keys_source, verdict: r.verdict,
    summary: JSON.parse(r.summary) as IntegritySummary, coverage: JSON.parse(r.coverage) as CoverageHour[],
    missingDigests: JSON.parse(r.missing_digests) as MissingDigest[], problems: JSON.parse(r.problems) as string[], limits: JSON.parse(r.limits) as string[],
    digests, files,
  };
}

// ---- what `trailmark verify` reads

export interface EvidenceForVerify extends IntegrityEvidenceRow {
  status: 'importing' | 'complete';
  events: number;
  duplicates: number;
  rejected: number;
  rows_digest: string | null;
}

export function evidenceForVerify(db: ReadableDB): EvidenceForVerify[] {
  return all<EvidenceForVerify>(db, sql`
    SELECT id, path, origin, sha256, format, meta, status, events, duplicates, rejected, rows_digest FROM evidence ORDER BY id`);
}

export interface StoredEventRow { evidence_id: number; locator: number; raw: string }
type StoredEventRef = Omit<StoredEventRow, 'raw'> & RawRef;

/**
 * Every event in storage order, streamed: one file's events are stored together and in locator order,
 * so one pass computes every file's row digest without sorting the table.
 */
export function eventsInStorageOrder(db: ReadableDB, missing?: (blockId: number) => string): Iterable<StoredEventRow> {
  return withRaw(db, prepared(db, 'SELECT evidence_id, locator, raw_block, raw_at, raw_len FROM events ORDER BY id').iterate() as IterableIterator<StoredEventRef>, missing);
}

/** One file's events in locator order: the slow path, for files whose rows were not stored together. */
export function eventsOfEvidence(db: ReadableDB, evidenceId: number, missing?: (blockId: number) => string): Iterable<StoredEventRow> {
  return withRaw(db, prepared(db, 'SELECT evidence_id, locator, raw_block, raw_at, raw_len FROM events WHERE evidence_id = ? ORDER BY locator')
    .iterate(evidenceId) as IterableIterator<StoredEventRef>, missing);
}

/** The raw blocks that are evidence files kept as delivered (gzip), streamed. */
export function filesKept(db: ReadableDB): Iterable<{ id: number; evidence_id: number; bytes: Buffer }> {
  return prepared(db, 'SELECT id, evidence_id, bytes FROM raw_blocks WHERE gzip = 1 ORDER BY id').iterate() as IterableIterator<{ id: number; evidence_id: number; bytes: Buffer }>;
}

/** Rows per evidence file in rejects and duplicates, to compare with the counts the evidence row recorded. */
export function sideCounts(db: ReadableDB): { rejects: Map<number, number>; duplicates: Map<number, number> } {
  const toMap = (rows: { evidence_id: number; n: number }[]) => new Map(rows.map((r) => [r.evidence_id, r.n]));
  return {
    rejects: toMap(all(db, sql`SELECT evidence_id, count(*) AS n FROM rejects GROUP BY evidence_id`)),
    duplicates: toMap(all(db, sql`SELECT evidence_id, count(*) AS n FROM duplicates GROUP BY evidence_id`)),
  };
}

/** Recorded run ids; none for a case written before schema 3 and opened read-only (so never migrated). */
export function integrityRunIds(db: ReadableDB): number[] {
  if (!get(db, sql`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'integrity_runs'`)) return [];
  return all<{ id: number }>(db, sql`SELECT id FROM integrity_runs ORDER BY id`).map((r) => r.id);
}
