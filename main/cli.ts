// The `trailmark` command line. Each command is one entry in the table below, pointing at a function.
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DownloadRow, ImportProgress, ImportSummary, TimelineFilter } from '../shared/api';
import { printable } from '../shared/printable';
import { openReadable } from './case/db';
import { caseInfo } from './case/meta';
import { allDownloads } from './case/timeline';
import { startImport } from './import/job';
import { ipRangesCommand } from './ip-ranges-cli';
import { pullCommand } from './pull';
import { analysisConditions, computeExposure } from './case/analysis';
import { exposureClassifier, type ExposureClass } from '../shared/exposure-rule';
import { exposureJson, refreshAnalysisFile, summaryCommand } from './case/analysis-cli';
import { sampleCommand } from './sample/cli';
import { exportCommand, reportCommand } from './report-cli';
import { runVerify, VERIFY_OPTIONS, VERIFY_SUMMARY, VERIFY_USAGE } from './verify';
import { answersDigest } from './integrity/answers-digest';
import { TOOL_VERSION } from './version';

export interface CliIo { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }
const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) };

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: boolean;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

const caseOption = { case: { type: 'string' as const } };
const filterOptions = {
  from: { type: 'string' as const }, to: { type: 'string' as const }, actor: { type: 'string' as const },
  bucket: { type: 'string' as const }, 'key-prefix': { type: 'string' as const }, key: { type: 'string' as const },
  country: { type: 'string' as const }, asn: { type: 'string' as const },
};

export function requireCase(values: Record<string, unknown>): string {
  const c = values.case;
  if (typeof c !== 'string' || !c) throw new UsageError('--case CASE.sqlite is required');
  return c;
}

/** An ISO 8601 time option as UTC ISO, or undefined when not given; a usage error when not a time. */
export function isoOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new UsageError(`--${name} must be an ISO 8601 time, e.g. 2017-08-12T03:00:00Z`);
  return new Date(Date.parse(v)).toISOString();
}

/** The timeline filter given by --from/--to/--actor/--bucket/--key-prefix. */
export function filterFrom(values: Record<string, unknown>): TimelineFilter {
  const f: TimelineFilter = {};
  const from = isoOption(values, 'from');
  const to = isoOption(values, 'to');
  if (from) f.from = from;
  if (to) f.to = to;
  if (typeof values.actor === 'string') f.actor = values.actor;
  if (typeof values.bucket === 'string') f.bucket = values.bucket;
  if (typeof values['key-prefix'] === 'string') f.keyPrefix = values['key-prefix'];
  if (typeof values.key === 'string') f.key = values.key;
  if (typeof values.country === 'string') {
    if (!/^[A-Za-z]{2}$/.test(values.country)) throw new UsageError('--country takes a two-letter country code, e.g. US');
    f.country = values.country.toUpperCase();
  }
  if (typeof values.asn === 'string') {
    const asn = Number(values.asn.replace(/^AS/i, ''));
    if (!Number.isInteger(asn) || asn < 0) throw new UsageError('--asn takes an AS number, e.g. 16509 or AS16509');
    f.asn = asn;
  }
  return f;
}

function progressLine(p: ImportProgress): string {
  const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  const eta = p.etaSeconds === null ? '' : ` · ETA ${p.etaSeconds}s`;
  return `\r\x1b[K${p.filesDone}/${p.filesTotal} files · ${pct}% · ${p.events.toLocaleString('en')} events · ${p.rejected} rejected · ${p.rate.toLocaleString('en')}/s${eta}`;
}

export function summaryText(s: ImportSummary): string {
  const count = (st: string) => s.files.filter((f) => f.status === st).length;
  const lines = [
    `Imported ${count('imported')} file(s): ${s.events.toLocaleString('en')} events, ${s.duplicates.toLocaleString('en')} already in the case, ${s.rejected.toLocaleString('en')} rejected line(s) in ${s.seconds.toFixed(1)} s.`,
  ];
  // Whole files not taken are counted apart from the lines rejected inside imported ones.
  if (s.refused) lines.push(`Refused ${s.refused} file(s), each recorded in the case with its reason (the Evidence view's "Offered but not taken", and the custody log):`);
  if (count('already-in-case')) lines.push(`${count('already-in-case')} file(s) were already in the case (same SHA-256): nothing added.`);
  for (const f of s.files) {
    if (f.status === 'refused' || f.status === 'failed' || f.status === 'cancelled') lines.push(`  ${f.status}: ${printable(f.path)}: ${printable(f.reason ?? '')}`);
    else if (f.reason) lines.push(`  warning: ${printable(f.path)}: ${printable(f.reason)}`);
    for (const r of f.firstRejects ?? []) lines.push(`  rejected: ${printable(f.path)}:${r.locator}: ${printable(r.reason)}`);
    if (f.firstRejects && f.rejected > f.firstRejects.length) lines.push(`  … and ${f.rejected - f.firstRejects.length} more rejected in ${printable(f.path)} (see the Evidence view)`);
  }
  return `${lines.join('\n')}\n`;
}

const importCommand: Command = {
  summary: 'import evidence files and folders into a case (created if missing)',
  usage: 'trailmark import --case CASE.sqlite PATH... [--examiner NAME] [--copy-evidence] [--json]',
  options: { ...caseOption, examiner: { type: 'string' }, 'copy-evidence': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: true,
  async run(values, paths, io) {
    const casePath = requireCase(values);
    if (!paths.length) throw new UsageError('give at least one file or folder to import');
    const job = startImport(casePath, paths, {
      examiner: typeof values.examiner === 'string' ? values.examiner : undefined,
      copyEvidence: values['copy-evidence'] === true,
      onProgress: io.isTTY ? (p) => io.err(progressLine(p)) : undefined,
    });
    const onSignal = () => job.cancel();
    process.once('SIGINT', onSignal);
    let summary: ImportSummary;
    try {
      summary = await job.done;
    } finally {
      process.off('SIGINT', onSignal);
      if (io.isTTY) io.err('\r\x1b[K');
    }
    if (values.json) io.out(`${JSON.stringify(summary)}\n`);
    else io.out(summaryText(summary));
    const usable = summary.files.some((f) => f.status === 'imported' || f.status === 'already-in-case');
    return usable ? 0 : 1;
  },
};

/** bytesSent, objectSize and complete are null where the logs did not say (unknown, never 0); exposure follows shared/exposure-rule. */
function downloadJson(d: DownloadRow, exposure: ExposureClass): object {
  return {
    time: d.time, actor: d.actor, sourceIp: d.sourceIp, userAgent: d.userAgent, bucket: d.bucket, key: d.key, bytesSent: d.bytesSent,
    objectSize: d.objectSize, status: d.status, complete: d.complete, requestId: d.requestId, sources: d.sources, exposure,
    country: d.country ?? null, asn: d.asn ?? null, org: d.org ?? null, aws: d.aws ?? null, addressLabel: d.addressLabel ?? null,
  };
}

const timelineCommand: Command = {
  summary: 'print the downloads timeline',
  usage: 'trailmark timeline --case CASE.sqlite [--json] [--from ISO] [--to ISO] [--actor A] [--bucket B] [--key-prefix P | --key K] [--country CC] [--asn N] [--backups-only]',
  options: { ...caseOption, ...filterOptions, json: { type: 'boolean' }, 'backups-only': { type: 'boolean' } },
  async run(values, _p, io) {
    const casePath = requireCase(values);
    if (!existsSync(casePath)) throw new UsageError(`${casePath} does not exist`);
    const filter = filterFrom(values);
    if (values['backups-only']) filter.backupsOnly = true;
    refreshAnalysisFile(casePath);
    const db = openReadable(casePath);
    const extra = analysisConditions(db, filter);
    const classify = exposureClassifier(computeExposure(db));
    try {
      const rejected = caseInfo(db, casePath).rejected;
      if (values.json) {
        // Streamed row by row: a timeline of millions of downloads never sits in memory whole.
        io.out('{"downloads":[');
        let first = true;
        for (const d of allDownloads(db, filter, extra)) {
          io.out(`${first ? '\n' : ',\n'}${JSON.stringify(downloadJson(d, classify(d)))}`);
          first = false;
        }
        io.out(`\n],"exposure":${JSON.stringify(exposureJson(db))},"rejectedLines":${rejected},"answersDigest":"${answersDigest(db)}"}\n`);
      } else {
        let n = 0;
        for (const d of allDownloads(db, filter, extra)) {
          n++;
          io.out(`${d.time}  ${printable(d.actor)}  ${printable(d.sourceIp)}${d.addressLabel ? ` (${printable(d.addressLabel)})` : ''}  s3://${printable(d.bucket)}/${printable(d.key)}  ${d.bytesSent === null ? 'bytes unknown' : `${d.bytesSent} bytes`}  ${d.complete === null ? 'completeness unknown' : d.complete ? 'complete' : 'partial'}${classify(d) === 'inside' ? '  while exposed' : classify(d) === 'boundary' ? '  at the exposure boundary' : ''}  [${d.sources.join(', ')}]\n`);
        }
        io.out(`${n} download(s); ${rejected} rejected line(s) in the case's evidence.\n`);
      }
    } finally {
      db.close();
    }
    return 0;
  },
};

export const commands: Record<string, Command> = {
  import: importCommand,
  timeline: timelineCommand,
  report: reportCommand,
  export: exportCommand,
  pull: pullCommand,
  summary: summaryCommand,
  sample: sampleCommand,
  'ip-ranges': ipRangesCommand,
  verify: { summary: VERIFY_SUMMARY, usage: VERIFY_USAGE, options: VERIFY_OPTIONS, run: (values, _p, io) => runVerify(values, io) },
};

function help(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n      ${c.usage}`);
  return `trailmark ${TOOL_VERSION} — evidence toolkit for cloud storage leaks\n\nCommands:\n${rows.join('\n')}\n`;
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    io.out(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`trailmark: unknown command "${printable(name)}"\n\n${help()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: command.positionals ?? false, strict: true });
    return await command.run(values as Record<string, string | boolean | string[] | undefined>, positionals, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`trailmark ${name}: ${printable((err as Error).message)}\n${usage ? `usage: ${command.usage}\n` : ''}`);
    return 2;
  }
}
