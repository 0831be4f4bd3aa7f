// `trailmark summary`: the leak analysis in text or JSON — exposure windows, backups taken, actors,
// corroboration, gaps. Reads the case read-only; out-of-date summaries are warned about on stderr.
import { formatInZone, isValidTimeZone, type ExposureWindow } from '../../../shared/analysis';
import { bytesSentPhrase } from '../../../shared/bytes';
import { openEndText, openStartText } from '../../../shared/exposure-rule';
import { analysisSummary } from '../../case/analysis';
import { addressSummary } from '../../case/enrich-summary';
import { addressLines, patternLines } from '../enrich-text';
import { exfilPatterns } from '../../case/patterns';
import { caseOption, requireExistingCase, UsageError, type Command } from '../kit';
import { printable } from '../output';
import { readCase } from '../reading';

function windowLine(w: ExposureWindow, tz: string): string {
  const at = (ms: number) => formatInZone(ms, tz);
  const from = w.fromMs === null ? `(${openStartText(w, at)})` : at(w.fromMs);
  const to = w.toMs === null ? `(${openEndText(w, at)})` : at(w.toMs);
  const who = w.scope === 'cross-account' ? `accounts ${w.accounts.join(', ')}` : w.scope === 'public' ? 'anyone' : 'any AWS account holder';
  return `  s3://${printable(w.bucket)}${w.key ? `/${printable(w.key)}` : ''}: readable by ${who}${w.conditional ? ' (conditional)' : ''} from ${from} to ${to}${w.note ? `\n    note: ${printable(w.note)}` : ''}`;
}

export const summaryCommand: Command = {
  summary: 'leak analysis: exposure windows, actors, objects, backups taken, coverage and gaps',
  usage: 'trailmark summary --case CASE.sqlite [--json] [--tz ZONE] [--limit N]',
  help: 'Opens the case read-only. Out-of-date summaries are named on stderr.',
  options: { ...caseOption, json: { type: 'boolean' }, tz: { type: 'string' }, limit: { type: 'string' } },
  async run(values, _p, io) {
    const casePath = requireExistingCase(values);
    const tz = typeof values.tz === 'string' ? values.tz : 'UTC';
    if (!isValidTimeZone(tz)) throw new UsageError(`--tz "${tz}" is not a time zone (use an IANA name such as Europe/Paris)`);
    const limit = values.limit === undefined ? 500 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
    return readCase(casePath, 'warn', io, (db) => {
      const s = analysisSummary(db, { timeZone: tz, limit });
      if (values.json) {
        io.out(`${JSON.stringify({ timeZone: s.timeZone, actors: s.actors, objects: s.objects, exposure: s.exposure, coverage: s.coverage, gaps: s.gaps, backups: s.backups, corroboration: s.corroboration, backupPatterns: s.backupPatterns, addresses: addressSummary(db), patterns: exfilPatterns(db) })}\n`);
        return 0;
      }
      const lines = [`Times in ${tz}.`, 'Exposure:'];
      lines.push(...(s.exposure.length ? s.exposure.map((w) => windowLine(w, tz)) : ['  no exposure found in the configuration changes of the case']));
      lines.push('Backups taken:');
      for (const b of s.backups) {
        lines.push(`  s3://${printable(b.bucket)}: ${b.takenBackups}${b.listedBackups === null ? '' : ` of ${b.listedBackups}`} backup files downloaded (${b.completeBackups} in full)${b.listedBackups === null ? ' — no listing of the bucket in the case' : ''}`);
      }
      lines.push('Actors (by bytes):');
      for (const a of s.actors.slice(0, 20)) {
        lines.push(`  ${printable(a.actorKey)}${a.identity ? ` (${printable(a.identity.identity)})` : ''}: ${a.downloads} downloads, ${bytesSentPhrase({ bytes: a.bytes, unknown: a.bytesUnknown, rows: a.downloads }, (n) => `${n} bytes`)}, ${a.completeCopies} complete copies${a.completenessUnknown ? ` (completeness unknown for ${a.completenessUnknown})` : ''} of ${a.objects} objects${a.inExposure ? `, ${a.downloadsInExposure} during exposure` : ''}${a.downloadsAtBoundary ? `, ${a.downloadsAtBoundary} at the boundary of a window` : ''}; ${formatInZone(Date.parse(a.firstSeen), tz)} → ${formatInZone(Date.parse(a.lastSeen), tz)}`);
      }
      lines.push(...addressLines(addressSummary(db)), ...patternLines(exfilPatterns(db), tz));
      lines.push(`Corroboration: ${s.corroboration.both} downloads in both sources, ${s.corroboration.accessLogOnly} only in access logs, ${s.corroboration.cloudTrailOnly} only in CloudTrail.`);
      lines.push('Gaps (where the evidence is silent):');
      lines.push(...(s.gaps.length ? s.gaps.map((g) => `  ${g.bucket ? `s3://${printable(g.bucket)}` : '(account)'} ${g.from ? formatInZone(Date.parse(g.from), tz) : ''}${g.to ? ` → ${formatInZone(Date.parse(g.to), tz)}` : ''}: ${printable(g.note)}`) : ['  none found']));
      io.out(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};
