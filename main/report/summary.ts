// The executive summary: short sentences a board member can read, each followed by the figures
// it rests on, so an expert can check every number against the tables and the evidence.
import { bytesSentPhrase } from '../../shared/bytes';
import type { Aggregate } from './aggregate';
import { formatBytes, formatCount, formatWhen, plural } from './format';
import type { ExposureView, GapView, SummaryItem } from './model';
import type { Namer } from './redact';
import type { Tally } from './tally';

export interface SummaryContext {
  agg: Aggregate;
  exposures: ExposureView[];
  /** False when no exposure analysis was available (then nothing is said about exposure beyond that). */
  analysed: boolean;
  /** False when no backup-file patterns were applied. */
  backupsKnown: boolean;
  backupTallies: Array<{ bucket: string; listed: number; taken: number; complete: number }>;
  /** Objects (bucket/key → size) the analysis found copied whole through several range requests of one party. */
  assembled: Map<string, number>;
  gaps: GapView[];
  rejected: number;
  timeZone: string;
  namer: Namer;
  filtered: boolean;
}

export function partyLabel(namer: Namer, actor: string, ip: string | null): string {
  return actor === 'anonymous' ? `anonymous (${ip === null ? 'unknown address' : namer.ip(ip)})` : namer.principal(actor);
}

function partiesPhrase(t: Tally): string {
  const anon = t.anonymousParties.size;
  const auth = t.parties.size - anon;
  if (auth === 0) return plural(anon, 'unauthenticated party', 'unauthenticated parties');
  if (anon === 0) return plural(auth, 'authenticated principal');
  return `${plural(t.parties.size, 'party', 'parties')} (${anon} unauthenticated, ${auth} authenticated)`;
}

function filesPhrase(t: Tally, backupsKnown: boolean): string {
  const b = t.backupObjects.size;
  const other = t.objects.size - b;
  if (!backupsKnown) return plural(t.objects.size, 'file');
  if (b && other) return `${plural(b, 'backup file')} and ${plural(other, 'other file')}`;
  if (b) return plural(b, 'backup file');
  return `${plural(other, 'file')}, none of them a backup file`;
}

function assembledIn(t: Tally, assembled: Map<string, number>): Array<[string, number]> {
  return [...assembled].filter(([k]) => t.objects.has(k) && !t.completeObjects.has(k));
}

function completePhrase(t: Tally, assembled: Map<string, number>): string {
  const pieces = assembledIn(t, assembled);
  const extra = pieces.length ? `, and ${pieces.length} more ${pieces.length === 1 ? 'was' : 'were'} put together from partial downloads (${formatBytes(pieces.reduce((n, [, b]) => n + b, 0))})` : '';
  return completeWhole(t) + extra;
}

function completeWhole(t: Tally): string {
  const c = t.completeObjects.size;
  const size = formatBytes(t.completeBytes());
  if (c === 0) return 'none was copied completely in one download';
  if (c === t.objects.size) return c === 1 ? `it was copied completely (${size})` : `${c === 2 ? 'both' : `all ${c}`} were copied completely (${size})`;
  return `${c} ${c === 1 ? 'was' : 'were'} copied completely (${size})`;
}

function tallyBasis(t: Tally, ctx: SummaryContext): string[] {
  const names = [...t.parties].slice(0, 8).map((k) => {
    const anon = k.startsWith('anonymous@');
    return anon ? partyLabel(ctx.namer, 'anonymous', k.slice('anonymous@'.length)) : ctx.namer.principal(k);
  });
  const more = t.parties.size > names.length ? ` and ${t.parties.size - names.length} more` : '';
  const out = [
    `${formatCount(t.downloads)} successful downloads, ${bytesSentPhrase(t.byteSum(), (n) => `${formatCount(n)} bytes`)}`,
    `parties: ${names.join(', ')}${more}`,
    `${formatCount(t.ips.size)} distinct source IP addresses; ${formatCount(t.objects.size)} distinct objects` +
      (ctx.backupsKnown ? `, of which ${formatCount(t.backupObjects.size)} match the backup-file patterns` : ''),
    t.complete ? `complete copies: ${formatCount(t.complete)} downloads of ${formatCount(t.completeObjects.size)} objects totalling ${formatCount(t.completeBytes())} bytes` : 'complete copies: none',
  ];
  if (t.first !== null && t.last !== null) out.push(`first ${formatWhen(t.first, ctx.timeZone)}, last ${formatWhen(t.last, ctx.timeZone)}`);
  return out;
}

function downloadSentence(lead: string, t: Tally, ctx: SummaryContext): SummaryItem {
  const text = `${lead}${partiesPhrase(t)} from ${plural(t.ips.size, 'IP address', 'IP addresses')} downloaded ` +
    `${filesPhrase(t, ctx.backupsKnown)}; ${completePhrase(t, ctx.assembled)}.`;
  const basis = tallyBasis(t, ctx);
  const pieces = assembledIn(t, ctx.assembled);
  if (pieces.length) basis.push(`reassembled from range requests that together cover the file: ${pieces.map(([k]) => k).join(', ')}`);
  return { text, basis };
}

function where(w: ExposureView): string {
  return w.key === null ? `the bucket ${w.bucket}` : `the object s3://${w.bucket}/${w.key}`;
}

function exposureSentence(w: ExposureView, ctx: SummaryContext): SummaryItem {
  const tz = ctx.timeZone;
  const what = `${where(w)} was readable by ${w.readableBy}`;
  // Open ends speak of this bucket's evidence, with its dates, never the case's as a whole.
  const begins = w.evidenceFrom !== null ? `when its evidence begins (${formatWhen(w.evidenceFrom, tz)})` : 'when the evidence begins';
  const ends = w.evidenceTo !== null ? `when its evidence ends (${formatWhen(w.evidenceTo, tz)})` : 'when the evidence ends';
  let text: string;
  if (w.from !== null && w.to !== null) text = `Between ${formatWhen(w.from, tz)} and ${formatWhen(w.to, tz)} ${what}`;
  else if (w.from !== null) text = `From ${formatWhen(w.from, tz)} ${what}, and it still was ${ends}`;
  else if (w.to !== null) text = `Until ${formatWhen(w.to, tz)} ${what}; it already was ${begins}`;
  else text = `${what} throughout its evidence, ${w.evidenceFrom !== null && w.evidenceTo !== null ? `from ${formatWhen(w.evidenceFrom, tz)} to ${formatWhen(w.evidenceTo, tz)}` : 'from beginning to end'}`;
  if (w.from === null && w.to === null) text = text[0].toUpperCase() + text.slice(1);
  const basis = [w.how, ...w.caveats, `${formatCount(w.downloads)} downloads inside this window`];
  if (w.atBoundary) basis.push(`${formatCount(w.atBoundary)} at its boundary (in the same second as the change that opened or closed it)`);
  return { text: `${text}${w.restricted ? ', with restrictions noted in the exposure table' : ''}.`, basis };
}

export function buildSummary(ctx: SummaryContext): SummaryItem[] {
  const { agg } = ctx;
  const out: SummaryItem[] = [];
  if (ctx.exposures.length > 0 && ctx.exposures.length <= 3) {
    for (const w of ctx.exposures) out.push(exposureSentence(w, ctx));
  } else if (ctx.exposures.length > 3) {
    const buckets = [...new Set(ctx.exposures.map((w) => w.bucket))];
    out.push({
      text: `On ${ctx.exposures.length} occasions ${buckets.length === 1 ? `the bucket ${buckets[0]}` : `the buckets ${buckets.join(', ')}`} ` +
        'or objects in it were readable by people who should not have had access; each period is listed under Exposure.',
      basis: ctx.exposures.map((w) => `${w.bucket}${w.key ? `/${w.key}` : ''}: ${w.from !== null ? formatWhen(w.from, ctx.timeZone) : w.evidenceFrom !== null ? `before this bucket's evidence begins (${formatWhen(w.evidenceFrom, ctx.timeZone)})` : 'from the start of the evidence'} to ${w.to !== null ? formatWhen(w.to, ctx.timeZone) : w.evidenceTo !== null ? `after this bucket's evidence ends (${formatWhen(w.evidenceTo, ctx.timeZone)})` : 'the end of the evidence'}`),
    });
  } else if (ctx.analysed) {
    out.push({ text: 'The evidence shows no period in which the bucket was readable by anyone outside the account.', basis: ['no public ACL grant, public bucket policy or public-access-block removal found in the CloudTrail management events of the case'] });
  } else {
    out.push({ text: 'When the bucket was exposed was not determined for this report; the figures below count every successful download in the evidence.', basis: ['no exposure analysis was available for this case'] });
  }

  if (agg.all.downloads === 0) {
    out.push({ text: `The evidence holds no successful downloads${ctx.filtered ? ' in the part of the case this report covers' : ''}.`, basis: ['0 rows in the downloads table after the report filter'] });
  } else if (ctx.exposures.length > 0) {
    out.push(agg.inExposure.downloads
      ? downloadSentence('During that time ', agg.inExposure, ctx)
      : { text: 'No downloads were recorded while it was exposed.', basis: ['0 downloads inside the exposure windows'] });
    if (agg.atBoundary.downloads) {
      const t = agg.atBoundary;
      out.push({
        text: `${plural(t.downloads, 'download')} happened in the same second as a change that opened or closed exposure; the logs record time to the second, so whether ${t.downloads === 1 ? 'it' : 'they'} came before or after the change is unknown. ${t.downloads === 1 ? 'It is' : 'They are'} counted at the boundary, neither inside nor outside the exposure windows.`,
        basis: tallyBasis(t, ctx),
      });
    }
    if (agg.outsideExposure.downloads) out.push(downloadSentence('Outside the exposure windows, ', agg.outsideExposure, ctx));
  } else {
    out.push(downloadSentence('In total, ', agg.all, ctx));
  }

  for (const b of ctx.backupTallies) {
    out.push({
      text: `Of the ${plural(b.listed, 'backup file')} a listing shows in bucket ${b.bucket}, ${b.taken} ${b.taken === 1 ? 'was' : 'were'} downloaded, ${b.complete} of them completely.`,
      basis: [`bucket listing in the case: ${b.listed} objects match the backup-file patterns`, `${b.taken} downloaded at least once, ${b.complete} with a complete copy`],
    });
  }

  if (agg.all.downloads && agg.all.unknownCompleteness) {
    out.push({ text: `For ${plural(agg.all.unknownCompleteness, 'download')} the logs do not show whether the whole file was sent; they are not counted as complete copies.`, basis: ['neither bytes sent nor object size was logged for these requests'] });
  }
  const silent = ctx.gaps.filter((g) => g.kind === 'source-silent');
  const absent = ctx.gaps.filter((g) => g.kind === 'source-absent');
  const changes = ctx.gaps.filter((g) => g.kind === 'logging-change');
  const unknown = ctx.gaps.filter((g) => g.kind === 'unknown-change');
  if (silent.length) {
    out.push({ text: `In ${plural(silent.length, 'period')} a log source fell silent while another still recorded activity; downloads in ${silent.length === 1 ? 'that period' : 'those periods'} may be missing from this report.`, basis: silent.slice(0, 6).map((g) => g.text) });
  }
  if (changes.length) {
    out.push({ text: `Logging was reconfigured ${plural(changes.length, 'time')} during the evidence; see Evidence gaps.`, basis: changes.slice(0, 6).map((g) => g.text) });
  }
  if (unknown.length) {
    out.push({ text: `${plural(unknown.length, 'access change')} in the case ${unknown.length === 1 ? 'comes' : 'come'} from query results that do not carry what ${unknown.length === 1 ? 'it' : 'they'} granted; exposure after ${unknown.length === 1 ? 'it' : 'them'} is unknown.`, basis: unknown.slice(0, 6).map((g) => g.text) });
  }
  if (absent.length) {
    out.push({ text: `Some kinds of log were not available (${absent.map((g) => g.short).join('; ')}); the downloads in this report rest on the logs that were.`, basis: absent.slice(0, 6).map((g) => g.text) });
  }
  if (!silent.length && !changes.length && !unknown.length && ctx.analysed) {
    out.push({ text: 'The logs show no silent periods or logging changes over the period covered.', basis: ['coverage compared hour by hour across the log sources in the case'] });
  }
  if (ctx.rejected) {
    out.push({ text: `${plural(ctx.rejected, 'line')} of evidence could not be read; ${ctx.rejected === 1 ? 'it is' : 'they are'} kept in the case and counted in the evidence manifest.`, basis: [`${formatCount(ctx.rejected)} rejected lines or records across all evidence files`] });
  }
  return out;
}
