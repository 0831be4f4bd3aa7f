// CloudTrail integrity results in plain words for the Evidence view: the verdict, what each file and
// digest status means, and the status shown beside each evidence row.
import type { DigestResult, IntegrityRun, TrailFileResult, TrailFileStatus } from '../../shared/integrity';

export const DIGEST_FORMAT = 'cloudtrail-digest';

export const FILE_STATUS_WORDS: Record<TrailFileStatus, string> = {
  valid: 'valid — matches its signed digest',
  modified: 'modified after CloudTrail delivered it',
  missing: 'missing — listed in a digest, not in the case',
  'not-covered': 'not covered — absent from the digest of its period',
  'no-digest': 'no digest for its period',
  unverified: 'hash matches, digest signature not verified',
  unchecked: 'could not be read to check',
};

/** Short word for the evidence table; the full sentence goes in the cell's title and reason line. */
export const FILE_STATUS_SHORT: Record<TrailFileStatus, string> = {
  valid: 'valid', modified: 'modified', missing: 'missing', 'not-covered': 'not covered', 'no-digest': 'no digest', unverified: 'unverified', unchecked: 'unchecked',
};

const n = (k: number, one: string, many = `${one}s`) => `${k.toLocaleString('en-US')} ${k === 1 ? one : many}`;

/** One sentence: the verdict and the reason for it. */
export function verdictWords(run: IntegrityRun): string {
  const f = run.summary.files;
  const s = run.summary;
  if (run.verdict === 'verified') {
    return `Verified: all ${n(f.valid, 'CloudTrail log file')} match what CloudTrail signed when it delivered them, every digest signature checks, and the chain of digests is unbroken.`;
  }
  if (run.verdict === 'failed') {
    const parts: string[] = [];
    if (f.modified) parts.push(`${n(f.modified, 'log file')} changed after delivery`);
    if (f.missing) parts.push(`${n(f.missing, 'log file')} listed by CloudTrail but missing from the case`);
    if (f['not-covered']) parts.push(`${n(f['not-covered'], 'log file')} absent from the digest of its period`);
    if (s.digestsInvalid) parts.push(`${n(s.digestsInvalid, 'digest signature')} that do not verify`);
    if (s.chainBreaks) parts.push(`${n(s.chainBreaks, 'break')} in the chain of digests`);
    if (s.missingDigests) parts.push(`${n(s.missingDigests, 'digest file')} the chain refers to but the case lacks`);
    if (!parts.length) parts.push(n(run.problems.length, 'discrepancy', 'discrepancies'));
    return `Failed: ${parts.join('; ')}. These CloudTrail logs cannot all be relied on as delivered.`;
  }
  const parts: string[] = [];
  if (f['no-digest']) parts.push(`${n(f['no-digest'], 'log file')} outside every digest`);
  if (f.unverified) parts.push(`${n(f.unverified, 'log file')} whose digest signature could not be verified`);
  if (f.unchecked) parts.push(`${n(f.unchecked, 'log file')} that could not be read`);
  if (s.digestsUnknown) parts.push(`${n(s.digestsUnknown, 'digest signature')} that could not be checked`);
  if (!parts.length) parts.push(run.limits.length ? n(run.limits.length, 'limit') : 'nothing to validate');
  return `Incomplete: nothing altered was found, but not everything could be checked (${parts.join('; ')}).`;
}

export function digestWords(d: DigestResult): string {
  const sig = d.signature === 'valid' ? 'signature valid' : d.signature === 'invalid' ? 'signature INVALID' : 'signature not checked';
  const chain = d.chain === 'break' ? 'chain broken' : d.chain === 'linked' ? 'chained' : d.chain === 'start' ? 'chain start' : 'first in case';
  return `${sig}, ${chain}`;
}

/** short: the cell's label; words: its full meaning (title); detail: a line shown under the label, when there is more to say. */
export interface RowIntegrity { kind: 'file' | 'digest'; short: string; words: string; detail: string | null; bad: boolean; warn: boolean }

/** What the run found for each evidence row, by evidence id. */
export function integrityByEvidence(run: IntegrityRun | null | undefined): Map<number, RowIntegrity> {
  const map = new Map<number, RowIntegrity>();
  if (!run) return map;
  for (const f of run.files as TrailFileResult[]) {
    if (f.evidenceId === null) continue;
    const bad = f.status === 'modified' || f.status === 'not-covered';
    const warn = !bad && f.status !== 'valid';
    const words = f.reason || FILE_STATUS_WORDS[f.status];
    map.set(f.evidenceId, { kind: 'file', short: FILE_STATUS_SHORT[f.status], words, detail: bad || warn ? words : null, bad, warn });
  }
  for (const d of run.digests) {
    if (d.evidenceId === null) continue;
    const bad = d.signature === 'invalid' || d.chain === 'break' || d.problems.length > 0;
    const warn = !bad && d.signature === 'unknown';
    // The short label already says signature and chain; the detail line carries only the problems.
    const detail = d.problems.length ? d.problems.join(' ') : null;
    map.set(d.evidenceId, { kind: 'digest', short: `${d.backfill ? 'backfill digest' : 'digest'}: ${digestWords(d)}`, words: detail ?? digestWords(d), detail, bad, warn });
  }
  return map;
}
