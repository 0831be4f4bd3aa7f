// The report's account of CloudTrail log integrity: the latest validation run stored in the case, read
// as it was recorded (a report never validates), put into plain words for the methodology page and,
// when log files were altered or are missing, one sentence for the board.
import { TRAIL_FILE_STATUSES, type IntegrityRun, type TrailFileStatus } from '../../shared/integrity';
import type { ManifestRow } from '../case/report';
import { formatCount, formatWhen, plural } from './format';
import type { GapView, IntegrityView, SummaryItem } from './model';
import type { Namer } from './redact';

export const DIGEST_FORMAT = 'cloudtrail-digest';
const CLOUDTRAIL_FORMATS = new Set([DIGEST_FORMAT, 'cloudtrail-file', 'cloudtrail-array', 'cloudtrail-lines']);

export const FILE_STATUS_LABEL: Record<TrailFileStatus, string> = {
  valid: 'valid: matches its signed digest',
  modified: 'modified after delivery',
  missing: 'missing: listed in a digest, not in the case',
  'not-covered': 'not covered: absent from the digest of its period',
  'no-digest': 'no digest available for its period',
  unverified: 'hash matches, digest signature not verified',
  unchecked: 'could not be read to check',
};

function joinWords(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const wasWere = (n: number) => (n === 1 ? 'was' : 'were');
const isAre = (n: number) => (n === 1 ? 'is' : 'are');

function headline(run: IntegrityRun): string {
  const s = run.summary;
  const f = s.files;
  if (run.verdict === 'verified') {
    return `Verified. ${f.valid === 1 ? 'The one CloudTrail log file' : `All ${formatCount(f.valid)} CloudTrail log files`} in the case ${f.valid === 1 ? 'matches' : 'match'} the SHA-256 CloudTrail recorded in its signed digest files when it delivered them, `
      + `${s.digests === 1 ? 'the digest\'s signature checks' : `all ${formatCount(s.digests)} digest signatures check`} with CloudTrail's public key${s.digests === 1 ? '' : 's'}, and the chain of digests is unbroken: `
      + 'the CloudTrail logs have not been altered since delivery.';
  }
  if (run.verdict === 'failed') {
    const parts: string[] = [];
    if (f.modified) parts.push(`${plural(f.modified, 'log file')} ${wasWere(f.modified)} changed after CloudTrail delivered ${f.modified === 1 ? 'it' : 'them'}`);
    if (f.missing) parts.push(`${plural(f.missing, 'log file')} that CloudTrail's digests list ${isAre(f.missing)} missing from the case`);
    if (f['not-covered']) parts.push(`${plural(f['not-covered'], 'log file')} ${isAre(f['not-covered'])} absent from the digest of ${f['not-covered'] === 1 ? 'its' : 'their'} period`);
    if (s.digestsInvalid) parts.push(`${plural(s.digestsInvalid, 'digest signature')} ${s.digestsInvalid === 1 ? 'does' : 'do'} not verify`);
    if (s.chainBreaks) parts.push(`the chain of digests breaks ${plural(s.chainBreaks, 'time')}`);
    if (s.missingDigests) parts.push(`${plural(s.missingDigests, 'digest file')} the chain refers to ${isAre(s.missingDigests)} not in the case`);
    if (!parts.length) parts.push(plural(run.problems.length, 'discrepancy', 'discrepancies') + ' were found');
    return `Failed. ${capitalise(joinWords(parts))}. The CloudTrail logs in the case cannot all be relied on as CloudTrail delivered them; every problem is listed below.`;
  }
  const parts: string[] = [];
  if (f['no-digest']) parts.push(`${plural(f['no-digest'], 'log file')} ${f['no-digest'] === 1 ? 'falls' : 'fall'} outside every digest in the case`);
  if (f.unverified) parts.push(`${plural(f.unverified, 'log file')} ${f.unverified === 1 ? 'matches a digest whose' : 'match digests whose'} signature could not be verified`);
  if (f.unchecked) parts.push(`${plural(f.unchecked, 'log file')} could not be read`);
  if (s.digestsUnknown) parts.push(`${plural(s.digestsUnknown, 'digest signature')} could not be checked`);
  if (!parts.length) parts.push(run.limits.length ? `${plural(run.limits.length, 'limit')} ${run.limits.length === 1 ? 'applies' : 'apply'}` : 'there was nothing to validate');
  return `Incomplete. Nothing altered was found, but not everything could be checked: ${joinWords(parts)}. Where it could not be checked, the case cannot show that the CloudTrail logs are as delivered.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface IntegrityContext { namer: Namer; timeZone: string; filtered: boolean }

export function integrityView(run: IntegrityRun | null, manifest: ManifestRow[], ctx: IntegrityContext): IntegrityView {
  const complete = manifest.filter((e) => e.status === 'complete');
  const digestFilesInCase = complete.filter((e) => e.format === DIGEST_FORMAT).length;
  const noDigests = 'The case holds no CloudTrail digest files (the hourly CloudTrail-Digest files CloudTrail signs), so its CloudTrail log files cannot be checked against what CloudTrail recorded of them.';
  if (!run) {
    return {
      run: null, verdict: null, headline: 'CloudTrail log integrity was not validated for this report.',
      notes: [digestFilesInCase
        ? `The case holds ${plural(digestFilesInCase, 'CloudTrail digest file')}; validating the log files against ${digestFilesInCase === 1 ? 'it' : 'them'} (Evidence view, Validate) would show whether any was altered or is missing.`
        : noDigests],
      digestFilesInCase, files: [], digests: { total: 0, valid: 0, invalid: 0, unknown: 0, chainBreaks: 0, missing: 0 }, problems: [], limits: [], coverage: [],
    };
  }
  const s = run.summary;
  const notes: string[] = [];
  if (s.digests === 0) notes.push(digestFilesInCase ? 'No CloudTrail digest file was in the case when validation ran, so no log file could be checked against one.' : noDigests);
  const ranAt = Date.parse(run.at);
  const later = complete.filter((e) => CLOUDTRAIL_FORMATS.has(e.format) && Date.parse(e.acquiredAt) > ranAt).length;
  if (later) notes.push(`${plural(later, 'CloudTrail evidence file')} ${wasWere(later)} imported after this validation ran and ${isAre(later)} not covered by it.`);
  if (ctx.filtered) notes.push('Validation covers every CloudTrail log file in the case, not only the part of the case this report is filtered to.');
  return {
    run: { id: run.id, at: run.at, examiner: run.examiner, keysSource: run.keysSource === null ? null : ctx.namer.text(run.keysSource) },
    verdict: run.verdict,
    headline: ctx.namer.text(headline(run)),
    notes,
    digestFilesInCase,
    files: TRAIL_FILE_STATUSES.filter((st) => s.files[st] > 0).map((st) => ({ status: st, label: FILE_STATUS_LABEL[st], count: s.files[st] })),
    digests: { total: s.digests, valid: s.digestsValid, invalid: s.digestsInvalid, unknown: s.digestsUnknown, chainBreaks: s.chainBreaks, missing: s.missingDigests },
    problems: run.problems.map((p) => ctx.namer.text(p)),
    limits: run.limits.map((l) => ctx.namer.text(l)),
    coverage: run.coverage.map((h) => ({ start: Date.parse(h.hour), status: h.status, files: h.files })),
  };
}

/** Altered or missing CloudTrail log files are material to a board: one sentence, with what it rests on. */
export function integritySentence(run: IntegrityRun | null, ctx: IntegrityContext): SummaryItem | null {
  if (!run) return null;
  const { modified, missing } = run.summary.files;
  if (!modified && !missing) return null;
  const what = joinWords([
    modified ? `${plural(modified, 'CloudTrail log file')} ${wasWere(modified)} altered after CloudTrail delivered ${modified === 1 ? 'it' : 'them'}` : '',
    missing ? `${plural(missing, modified ? 'log file' : 'CloudTrail log file')} that CloudTrail's signed digests list ${isAre(missing)} missing from the case` : '',
  ].filter(Boolean));
  const checked = TRAIL_FILE_STATUSES.reduce((n, st) => n + run.summary.files[st], 0);
  const affected = run.files.filter((f) => f.status === 'modified' || f.status === 'missing');
  return {
    text: `Integrity check: ${what}; activity recorded in ${modified + missing === 1 ? 'that file' : 'those files'} may be misstated or absent from this report.`,
    basis: [
      `CloudTrail log integrity validation of ${formatWhen(Date.parse(run.at), ctx.timeZone)}${run.examiner ? ` by ${run.examiner}` : ''}: verdict ${run.verdict}`,
      `${formatCount(modified)} modified and ${formatCount(missing)} missing of ${formatCount(checked)} log files, checked against ${plural(run.summary.digests, 'digest file')}`,
      ...affected.slice(0, 6).map((f) => `${f.status}: ${ctx.namer.text(f.ref)}`),
      ...(affected.length > 6 ? [`and ${formatCount(affected.length - 6)} more, listed under Integrity of the CloudTrail logs`] : []),
    ],
  };
}

/** A failed validation among the evidence gaps too, so the limitations section is complete on its own. */
export function integrityGap(view: IntegrityView): GapView | null {
  if (view.verdict !== 'failed') return null;
  return {
    kind: 'integrity', short: 'CloudTrail logs fail integrity validation',
    text: `CloudTrail log integrity validation failed with ${plural(view.problems.length, 'problem')}, listed under Integrity of the CloudTrail logs in the methodology.`,
  };
}
