// The command line's small kit: what a command is, its I/O, option helpers, and the two kinds of
// error a command may throw — a UsageError (exit 2, the usage is printed) or any other (exit 1).
import { existsSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { CaseInfo, TimelineFilter } from '../../shared/api';
import { PATTERN_FILTERS, type PatternFilter } from '../../shared/enrich';
import type { CaseService } from '../service';

export interface CliIo { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }
export const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) };

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  summary: string;
  usage: string;
  /** More lines for `trailmark COMMAND --help`: what the options mean, what the exit status says. */
  help?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: boolean;
  run(values: Values, positionals: string[], io: CliIo): Promise<number>;
}

/** The command was called wrongly: exit 2 and the usage. */
export class UsageError extends Error {}

/** Exit statuses shared by every command; `verify` adds 3 (nothing wrong found, something not checkable). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

export const caseOption = { case: { type: 'string' as const } };
export const filterOptions = {
  from: { type: 'string' as const }, to: { type: 'string' as const }, actor: { type: 'string' as const },
  bucket: { type: 'string' as const }, 'key-prefix': { type: 'string' as const }, key: { type: 'string' as const },
  country: { type: 'string' as const }, asn: { type: 'string' as const }, pattern: { type: 'string' as const },
};

export function requireCase(values: Record<string, unknown>): string {
  const c = values.case;
  if (typeof c !== 'string' || !c) throw new UsageError('--case CASE.sqlite is required');
  return c;
}

/** --case, which must name an existing file (reading commands never create one). */
export function requireExistingCase(values: Record<string, unknown>): string {
  const c = requireCase(values);
  if (!existsSync(c)) throw new UsageError(`${c} does not exist`);
  return c;
}

/**
 * The case a writing command (import, pull) works on, created if missing. A case of an earlier schema
 * is left as it is: upgrading is its own step (`trailmark upgrade`), never a side effect.
 */
export async function openOrCreateCase(service: CaseService, casePath: string, examiner?: string): Promise<CaseInfo> {
  if (!existsSync(casePath)) return service.invoke('case:create', { path: casePath, examiner });
  const opened = await service.invoke('case:open', { path: casePath });
  if (!('needsUpgrade' in opened)) return opened;
  const { fromSchema, toSchema } = opened.needsUpgrade;
  throw new Error(`${casePath} was written by an earlier Trailmark (schema ${fromSchema}, this version writes ${toSchema}) and was left as it is: upgrade it first with \`trailmark upgrade --case ${casePath}\` (logged in its custody; --out COPY upgrades a copy and keeps the original)`);
}

export function requireOut(values: Record<string, unknown>, what = 'FILE'): string {
  const out = str(values.out);
  if (!out) throw new UsageError(`--out ${what} is required`);
  return out;
}

/** An ISO 8601 time option as UTC ISO, or undefined when not given; a usage error when not a time. */
export function isoOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new UsageError(`--${name} must be an ISO 8601 time, e.g. 2017-08-12T03:00:00Z`);
  return new Date(Date.parse(v)).toISOString();
}

/** The timeline filter given by --from/--to/--actor/--bucket/--key-prefix/--key/--country/--asn/--pattern. */
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
  if (typeof values.pattern === 'string') {
    if (!Object.hasOwn(PATTERN_FILTERS, values.pattern)) throw new UsageError(`--pattern takes one of ${Object.keys(PATTERN_FILTERS).join(', ')}`);
    f.pattern = values.pattern as PatternFilter;
  }
  return f;
}
