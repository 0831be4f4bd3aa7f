// Every format Trailmark reads, in sniffing order (most specific first). A format is registered once.
import type { Format } from '../../shared/events';
import { cloudTrailArray, cloudTrailFile, cloudTrailLines } from './formats/cloudtrail';
import { bucketListing } from './formats/bucket-listing';
import { cloudTrailDigest } from './formats/cloudtrail-digest';
import { athenaResults } from './formats/athena-results';
import { lakeResults } from './formats/lake-results';
import { lookupEvents, lookupEventsLines } from './formats/lookup-events';
import { s3AccessJson } from './formats/s3-access-json';
import { s3AccessLog } from './formats/s3-access-log';
import type { EvidenceFormat } from './formats/types';

const registry = new Map<Format, EvidenceFormat>();

export function register(format: EvidenceFormat): void {
  if (registry.has(format.name)) throw new Error(`format ${format.name} is registered twice`);
  registry.set(format.name, format);
}

[cloudTrailDigest, cloudTrailFile, lookupEvents, lakeResults, athenaResults, cloudTrailArray, lookupEventsLines, s3AccessJson, cloudTrailLines, s3AccessLog, bucketListing].forEach(register);

export function formats(): EvidenceFormat[] {
  return [...registry.values()];
}

export function formatByName(name: Format): EvidenceFormat {
  const f = registry.get(name);
  if (!f) throw new Error(`unknown format ${name}`);
  return f;
}

/** The format of a file from its first bytes and path, or null when nothing recognises it. */
export function detect(head: string, path: string): EvidenceFormat | null {
  for (const f of registry.values()) if (f.sniff(head, path)) return f;
  return null;
}
