// Where the address data live and how old they are. The IP databases come from npm packages pinned
// in package.json; AWS's ranges are shipped compacted beside this file and may be refreshed into the
// user's data folder (`trailmark ip-ranges --refresh`), the copy with the later syncToken winning.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AwsRanges, compactIpRanges, parseCompact } from './aws-ranges';

export const ATTRIBUTION = 'IP to ASN data by DB-IP.com and routeviews.org, CC BY 4.0; country data by ip-location-db (geo-whois-asn-country), CC0; AWS address ranges published by Amazon Web Services (ip-ranges.json)';

const pkgDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

export interface DataPaths { asnV4: string; asnV6: string; countryMmdb: string; asnVersion: string }

export function dataPaths(): DataPaths {
  const asn = pkgDir('@ip-location-db/asn');
  const country = pkgDir('@ip-location-db/geo-whois-asn-country-mmdb');
  const version = (JSON.parse(readFileSync(join(asn, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    asnV4: join(asn, 'asn-ipv4-num.csv'), asnV6: join(asn, 'asn-ipv6-num.csv'),
    countryMmdb: join(country, 'geo-whois-asn-country.mmdb'), asnVersion: version,
  };
}

/** ip-location-db versions end in the build's date and hour: 2.3.2026061719 → 2026-06-17. */
export function dateOfVersion(version: string): string {
  const m = /(\d{4})(\d{2})(\d{2})\d{2}$/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : version;
}

export const SHIPPED_RANGES = join(__dirname, 'data', 'aws-ip-ranges.txt');

/** The user's data folder: TRAILMARK_USER_DATA, else where Electron keeps the app's data on this platform. */
export function userDataDir(): string {
  if (process.env.TRAILMARK_USER_DATA) return process.env.TRAILMARK_USER_DATA;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'trailmark');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'trailmark');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'trailmark');
}

export const refreshedRangesPath = (dir = userDataDir()): string => join(dir, 'aws-ip-ranges.txt');

/** The newer of the shipped and the refreshed copy (by syncToken, AWS's publication time in seconds). */
export function loadAwsRanges(dir = userDataDir()): { ranges: AwsRanges; source: 'shipped' | 'refreshed' } {
  const shipped = parseCompact(readFileSync(SHIPPED_RANGES, 'utf8'), SHIPPED_RANGES);
  const path = refreshedRangesPath(dir);
  if (!existsSync(path)) return { ranges: shipped, source: 'shipped' };
  try {
    const refreshed = parseCompact(readFileSync(path, 'utf8'), path);
    return Number(refreshed.info.syncToken) > Number(shipped.info.syncToken) ? { ranges: refreshed, source: 'refreshed' } : { ranges: shipped, source: 'shipped' };
  } catch {
    return { ranges: shipped, source: 'shipped' }; // a damaged refresh must not stop the analysis; the shipped copy answers
  }
}

export const AWS_RANGES_URL = 'https://ip-ranges.amazonaws.com/ip-ranges.json';

/** Stores AWS's ip-ranges.json (text) compacted in the user's data folder; returns what was stored. */
export function storeRefreshedRanges(json: string, origin: string, dir = userDataDir()): { path: string; syncToken: string; createDate: string; prefixes: number } {
  const text = compactIpRanges(json, origin);
  const ranges = parseCompact(text, origin);
  mkdirSync(dir, { recursive: true });
  const path = refreshedRangesPath(dir);
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  return { path, syncToken: ranges.info.syncToken, createDate: ranges.info.createDate, prefixes: ranges.prefixes };
}
