// The timeline filters beyond time range and bucket, in words: the export dialog lists them and the
// board report states them on its cover, so both say the same thing about what narrowed the rows.
import type { TimelineFilter } from './api';
import { MATCH_WORDS } from './address-match';
import { PATTERN_FILTERS } from './enrich';

const EXPOSURE_WORDS = { inside: 'inside an exposure window', boundary: 'at an exposure boundary', outside: 'outside every exposure window' } as const;
const SOURCE_WORDS = { 's3-access-log': 'logged by S3 access logs', cloudtrail: 'logged by CloudTrail' } as const;

/** How a value is shown (the report's redacted edition hides actors and addresses). */
export interface FilterValueNamer { actor(text: string, exact: boolean): string; ip(text: string, exact: boolean): string }

const asIs: FilterValueNamer = { actor: (t) => `"${t}"`, ip: (t) => t };

/** One phrase per filter that narrows the rows beyond the time range and bucket, in a fixed order. */
export function narrowingWords(f: TimelineFilter, namer: FilterValueNamer = asIs): string[] {
  const out: string[] = [];
  if (f.key !== undefined) out.push(`key is exactly "${f.key}"`);
  if (f.keyPrefix) out.push(`key ${MATCH_WORDS[f.keyMatch ?? 'prefix']} "${f.keyPrefix}"`);
  if (f.actor) out.push(`actor ${MATCH_WORDS[f.actorMatch ?? 'exact']} ${namer.actor(f.actor, (f.actorMatch ?? 'exact') === 'exact')}`);
  if (f.sourceIp) out.push(`source IP ${MATCH_WORDS[f.sourceIpMatch ?? 'exact']} ${namer.ip(f.sourceIp, (f.sourceIpMatch ?? 'exact') === 'exact')}`);
  if (f.country) out.push(`from an address in ${f.country}`);
  if (f.asn !== undefined) out.push(`from network AS${f.asn}`);
  if (f.source) out.push(SOURCE_WORDS[f.source]);
  if (f.exposure) out.push(EXPOSURE_WORDS[f.exposure]);
  if (f.backupsOnly) out.push('backup objects only');
  if (f.annotated) out.push('with a note or tag');
  if (f.pattern) out.push(PATTERN_FILTERS[f.pattern]);
  return out;
}
