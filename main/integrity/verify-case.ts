// `trailmark verify`: does this case still say what it said when it was built?
// - every evidence file that can be found again hashes to the SHA-256 recorded at acquisition;
// - the custody log is whole (each entry chained to the one before) and names every import;
// - the events stored from each file are the ones read from it (count and row digest per evidence row),
//   and a trail file the case keeps as delivered is still that file;
// - where the case holds CloudTrail digests, the trail files validate against them;
// - everything the timeline, the summaries, the exports and the report read is what the raw records
//   give: events normalized again, downloads and every summary derived again, and compared (rederive.ts);
// - with --report, a report or an export still matches the case (answers-digest.ts, report-check.ts).
// Opens the case read-only: verifying changes nothing. Exit status: 0 verified, 1 discrepancies,
// 2 usage error or unreadable case, 3 nothing wrong found but something could not be checked.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IntegrityReport, IntegrityRun, IntegrityVerdict } from '../../shared/integrity';
import { printable } from '../../shared/printable';
import { checkCustodyChain, listCustody } from '../case/custody';
import { listRefusedFiles } from '../case/refused';
import { openReadable, type ReadableDB, type WritableDB } from '../case/db';
import { answersDigest } from './answers-digest';
import { rederiveCase, type RederiveReport } from './rederive';
import { checkReport, type ReportCheck } from './report-check';
import {
  evidenceForVerify, eventsInStorageOrder, eventsOfEvidence, filesKept, integrityEvidence, integrityRunIds, saveIntegrityRun, sideCounts, type EvidenceForVerify,
} from '../case/integrity';
import { RowsDigest, rowsDigestOf } from '../ingest/rows-digest';
import { buildCaseValidationInput } from './case-inputs';
import { EvidenceLocator } from './locate';
import { parsePublicKeys } from './public-keys';
import { validateLogIntegrity } from './validate';

export interface IntegrityOptions { keysPath?: string; evidenceDir?: string }
export interface VerifyOptions extends IntegrityOptions {
  /** A report ID, an output's SHA-256 or an answers digest: say whether that report or export still matches the case. */
  report?: string;
}

/** CloudTrail digest validation over the case's evidence; reads files, writes nothing. */
export async function validateCaseIntegrity(db: ReadableDB, casePath: string, opts: IntegrityOptions = {}, locator = new EvidenceLocator(casePath, opts.evidenceDir)): Promise<IntegrityReport> {
  const keys = opts.keysPath ? parsePublicKeys(readFileSync(opts.keysPath, 'utf8'), opts.keysPath) : null;
  return validateLogIntegrity(await buildCaseValidationInput(integrityEvidence(db), locator, keys));
}

/** Validation recorded in the case as a run (and a custody entry): what the app's Evidence view shows. */
export async function runIntegrityValidation(db: WritableDB, casePath: string, opts: IntegrityOptions & { examiner?: string | null } = {}): Promise<IntegrityRun> {
  const report = await validateCaseIntegrity(db, casePath, opts);
  return saveIntegrityRun(db, report, { examiner: opts.examiner ?? null, keysSource: opts.keysPath ? resolve(opts.keysPath) : null });
}

export interface VerifyReport {
  casePath: string;
  verdict: IntegrityVerdict;
  evidence: { total: number; matching: number; altered: number; unavailable: number };
  custody: { entries: number };
  events: { checked: number; files: number };
  /** What was re-derived from the raw records and compared; null when the stored events could not be read. */
  rederived: Omit<RederiveReport, 'problems' | 'limits'> | null;
  /** The answers digest of the case as re-derived (of its tables when re-derivation was not possible). */
  answersDigest: string | null;
  report: ReportCheck | { ref: string; error: string } | null;
  integrity: IntegrityReport | null;
  /** Discrepancies: the case does not verify. */
  problems: string[];
  /** What could not be checked. */
  limits: string[];
}

function checkCustody(db: ReadableDB, evidence: EvidenceForVerify[], problems: string[]): number {
  const entries = listCustody(db);
  problems.push(...checkCustodyChain(db).map((p) => `custody: ${p}`));
  // The chain cannot show its own truncation; every import and every validation run must still be named in it.
  const imported = new Map<number, { sha256: string; path: string }>();
  const runs = new Set<number>();
  const refusals = new Map<number, { path: string; sha256: string | null }>();
  for (const e of entries) {
    let d: Record<string, unknown>;
    try {
      d = JSON.parse(e.details) as Record<string, unknown>;
    } catch {
      problems.push(`custody: entry ${e.seq} has unreadable details`);
      continue;
    }
    if (e.action === 'import' && typeof d.evidence === 'number') imported.set(d.evidence, { sha256: String(d.sha256 ?? ''), path: String(d.path ?? '') });
    if (e.action === 'integrity-validate' && typeof d.run === 'number') runs.add(d.run);
    if (e.action === 'refuse' && typeof d.refused === 'number') refusals.set(d.refused, { path: String(d.path ?? ''), sha256: (d.sha256 as string | null) ?? null });
  }
  problems.push(...checkRefusals(db, refusals));
  for (const ev of evidence) {
    if (ev.status !== 'complete') continue;
    const logged = imported.get(ev.id);
    if (logged === undefined) problems.push(`custody: the import of evidence ${ev.id} (${ev.path}) is not in the custody log`);
    else {
      if (logged.sha256 !== ev.sha256) problems.push(`custody: evidence ${ev.id} (${ev.path}) has SHA-256 ${ev.sha256}, its import was logged with ${logged.sha256}`);
      if (logged.path !== ev.path) problems.push(`custody: evidence ${ev.id} records the path ${ev.path}, its import was logged from ${logged.path}`);
    }
  }
  for (const id of integrityRunIds(db)) if (!runs.has(id)) problems.push(`custody: integrity validation run ${id} is not in the custody log`);
  return entries.length;
}

/** Every file refused is named in custody as recorded, and every refusal custody names is still recorded. */
function checkRefusals(db: ReadableDB, logged: Map<number, { path: string; sha256: string | null }>): string[] {
  const problems: string[] = [];
  const rows = listRefusedFiles(db);
  const ids = new Set(rows.map((r) => r.id));
  for (const r of rows) {
    const c = logged.get(r.id);
    if (!c) problems.push(`custody: the refusal of ${r.path} (refused file ${r.id}) is not in the custody log`);
    else if (c.path !== r.path || c.sha256 !== r.sha256) problems.push(`custody: refused file ${r.id} records ${r.path} (SHA-256 ${r.sha256 ?? 'none'}), its refusal was logged as ${c.path} (${c.sha256 ?? 'none'})`);
  }
  for (const [id, c] of logged) if (!ids.has(id)) problems.push(`refused files: ${c.path} (refused file ${id}) was logged as refused but is no longer recorded in the case`);
  return problems;
}

/** Recomputes each file's event count and row digest (SHA-256 over `${locator}\t${raw}\n` in locator order). */
function checkEvents(db: ReadableDB, evidence: EvidenceForVerify[], problems: string[]): number {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  const found = new Map<number, { n: number; digest: string }>();
  const scattered = new Set<number>();
  let current: { id: number; n: number; last: number; hash: RowsDigest } | null = null;
  const close = () => {
    if (current && !scattered.has(current.id)) found.set(current.id, { n: current.n, digest: current.hash.hex() });
  };
  let checked = 0;
  // A missing block of raw records reads as empty: the digests of its events then fail, and it is named.
  const gone = new Set<number>();
  const missing = (block: number) => {
    if (!gone.has(block)) problems.push(`events: raw record block ${block} is missing from the case`);
    gone.add(block);
    return '';
  };
  for (const row of eventsInStorageOrder(db, missing)) {
    checked++;
    if (!current || current.id !== row.evidence_id) {
      close();
      if (found.has(row.evidence_id)) {
        // This file's rows are not stored together: recompute it on its own afterwards.
        scattered.add(row.evidence_id);
        found.delete(row.evidence_id);
      }
      current = { id: row.evidence_id, n: 0, last: -Infinity, hash: new RowsDigest() };
    }
    if (row.locator < current.last) scattered.add(current.id);
    current.last = row.locator;
    current.n++;
    current.hash.add(row.locator, row.raw);
  }
  close();
  for (const id of scattered) found.set(id, rowsDigestOf(eventsOfEvidence(db, id, missing)));
  for (const [id] of found) if (!byId.has(id)) problems.push(`events: ${found.get(id)!.n} events belong to evidence ${id}, which is not in the case`);
  const empty = new RowsDigest().hex();
  const { rejects, duplicates } = sideCounts(db);
  for (const ev of evidence) {
    if (ev.status !== 'complete') continue;
    const f = found.get(ev.id) ?? { n: 0, digest: empty };
    const name = `evidence ${ev.id} (${ev.path})`;
    if (f.n !== ev.events) problems.push(`events: ${name} recorded ${ev.events} events, the case holds ${f.n}`);
    if (ev.rows_digest === null) problems.push(`events: ${name} has no row digest`);
    else if (f.digest !== ev.rows_digest) problems.push(`events: the events stored from ${name} were altered (row digest ${f.digest}, recorded ${ev.rows_digest})`);
    if ((rejects.get(ev.id) ?? 0) !== ev.rejected) problems.push(`rejects: ${name} recorded ${ev.rejected} rejected records, the case holds ${rejects.get(ev.id) ?? 0}`);
    if ((duplicates.get(ev.id) ?? 0) !== ev.duplicates) problems.push(`duplicates: ${name} recorded ${ev.duplicates} duplicate records, the case holds ${duplicates.get(ev.id) ?? 0}`);
  }
  return checked;
}

/**
 * A trail file kept as delivered (a gzip raw block, rows.ts FileRecords) must be that file byte for byte.
 * Its records' text is checked by the row digests; this also catches a block compressed again.
 */
function checkFilesKept(db: ReadableDB, evidence: EvidenceForVerify[], problems: string[]): void {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  for (const b of filesKept(db)) {
    const ev = byId.get(b.evidence_id);
    const sha256 = createHash('sha256').update(b.bytes).digest('hex');
    if (ev && sha256 !== ev.sha256) problems.push(`events: raw record block ${b.id} keeps evidence ${ev.id} (${ev.path}) as delivered, but hashes to ${sha256}, not ${ev.sha256}`);
  }
}

export async function verifyCase(casePath: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const db = openReadable(casePath);
  try {
    const problems: string[] = [];
    const limits: string[] = [];
    const evidence = evidenceForVerify(db);
    const locator = new EvidenceLocator(casePath, opts.evidenceDir);
    const counts = { total: evidence.length, matching: 0, altered: 0, unavailable: 0 };
    for (const ev of evidence) {
      if (ev.status !== 'complete') limits.push(`evidence ${ev.id} (${ev.path}): its import never completed`);
      const c = await locator.check(ev);
      if (c.status === 'ok') counts.matching++;
      else if (c.status === 'altered') {
        counts.altered++;
        problems.push(`evidence ${ev.id} (${ev.path}): the file at ${c.path} hashes to ${c.foundSha256}, not ${ev.sha256} as acquired`);
      } else {
        counts.unavailable++;
        limits.push(`evidence ${ev.id} (${ev.path}): not re-hashed, ${c.reason}`);
      }
    }
    const entries = checkCustody(db, evidence, problems);
    const checked = checkEvents(db, evidence, problems);
    checkFilesKept(db, evidence, problems);
    const { rederived, answers } = rederive(db, casePath, opts.report !== undefined, problems, limits);
    let report: VerifyReport['report'] = null;
    if (opts.report !== undefined) {
      report = answers === null ? { ref: opts.report, error: 'the answers could not be re-derived from the case' } : checkReport(opts.report, listCustody(db), answers);
      if ('error' in report) problems.push(`report ${opts.report}: ${report.error}`);
      else if (!report.matches) {
        problems.push(`report ${opts.report}: built from answers ${report.recorded}, the case now gives ${report.current}` +
          (report.since.length ? ` (changed since by ${report.since.join('; ')})` : ''));
      }
    }
    let integrity: IntegrityReport | null = null;
    if (evidence.some((e) => e.format === 'cloudtrail-digest')) {
      integrity = await validateCaseIntegrity(db, casePath, opts, locator);
      // Evidence-level findings (altered, unavailable) are already listed above.
      problems.push(...integrity.problems.filter((p) => !p.startsWith('digest ') || !/SHA-256 recorded at acquisition/.test(p)).map((p) => `cloudtrail: ${p}`));
      limits.push(...integrity.limits.filter((l) => !/not available|not re-hashed|no copy found/.test(l)).map((l) => `cloudtrail: ${l}`));
    }
    const verdict: IntegrityVerdict = problems.length ? 'failed' : limits.length ? 'incomplete' : 'verified';
    return {
      casePath, verdict, evidence: counts, custody: { entries }, events: { checked, files: evidence.length }, rederived, answersDigest: answers, report, integrity, problems, limits,
    };
  } finally {
    db.close();
  }
}

/**
 * Re-derives the case and compares (rederive.ts); with `wantAnswers`, also the answers digest of the
 * rebuild (of the case's own tables when they could not be re-derived).
 */
function rederive(db: ReadableDB, casePath: string, wantAnswers: boolean, problems: string[], limits: string[]): { rederived: VerifyReport['rederived']; answers: string | null } {
  let answers: string | null = null;
  let result: RederiveReport;
  try {
    result = rederiveCase(db, () => openReadable(casePath), wantAnswers ? (rebuild) => { answers = answersDigest(rebuild, 'temp'); } : undefined);
  } catch (err) {
    problems.push(`derived tables: could not be re-derived from the raw records: ${(err as Error).message}`);
    return { rederived: null, answers: null };
  }
  problems.push(...result.problems);
  limits.push(...result.limits);
  if (wantAnswers && answers === null) answers = answersDigest(db, 'main');
  const { problems: _p, limits: _l, ...rest } = result;
  return { rederived: rest, answers };
}

export function formatVerifyReport(r: VerifyReport): string {
  const lines = [`Trailmark verify: ${printable(r.casePath)}`, ''];
  const e = r.evidence;
  lines.push(`Evidence files   ${e.total} in the case: ${e.matching} re-hashed and matching, ${e.altered} altered, ${e.unavailable} not available`);
  lines.push(`Custody log      ${r.custody.entries} entries`);
  lines.push(`Stored events    ${r.events.checked} events of ${r.events.files} evidence files checked against their row digests`);
  if (r.rederived) {
    lines.push(`Re-derived       ${r.rederived.events} events normalized again from their raw records; compared: ${r.rederived.tables.join(', ')} (${r.rederived.seconds.toFixed(1)} s)`);
  }
  if (r.report && !('error' in r.report)) {
    const c = r.report;
    const what = c.output ? `${c.output.action} ${c.output.reportId ?? c.output.sha256 ?? ''} (custody entry ${c.output.seq}${c.output.out ? `, ${printable(c.output.out)}` : ''})` : `answers digest ${c.ref}`;
    lines.push(`Report           ${printable(what)}: ${c.matches ? 'matches the case' : 'NO LONGER MATCHES the case'} (answers ${c.current})`);
  }
  if (r.integrity) {
    const s = r.integrity.summary;
    lines.push(`CloudTrail       ${s.digests} digests (${s.digestsValid} signatures valid, ${s.digestsInvalid} invalid, ${s.digestsUnknown} unknown; ${s.chainBreaks} chain breaks); ` +
      `log files: ${Object.entries(s.files).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
    const bad = r.integrity.coverage.filter((h) => h.status !== 'validated');
    if (r.integrity.coverage.length) lines.push(`                 ${r.integrity.coverage.length - bad.length} of ${r.integrity.coverage.length} hours validated`);
  }
  lines.push('');
  for (const p of r.problems) lines.push(`DISCREPANCY  ${printable(p)}`);
  for (const l of r.limits) lines.push(`NOT CHECKED  ${printable(l)}`);
  if (r.problems.length || r.limits.length) lines.push('');
  lines.push(r.verdict === 'verified' ? 'VERDICT: VERIFIED — every check passed.'
    : r.verdict === 'failed' ? `VERDICT: FAILED — ${r.problems.length} discrepanc${r.problems.length === 1 ? 'y' : 'ies'}.`
      : `VERDICT: INCOMPLETE — no discrepancy found, but ${r.limits.length} check${r.limits.length === 1 ? '' : 's'} could not be made.`);
  return lines.join('\n') + '\n';
}

