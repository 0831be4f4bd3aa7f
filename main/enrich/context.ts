// Address context: for a source value as logged, what kind of address it is and, for a public IP,
// its country, ASN, network name and AWS range. Pure lookups over data loaded once per process;
// answers are cached per distinct address, since a case repeats few addresses many times.
import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'mmdb-lib';
import type { AddressContext, AddressDataInfo } from '../../shared/enrich';
import { AsnTable, PACKED_V4 } from './asn';
import { createDay, type AwsRanges } from './aws-ranges';
import { ATTRIBUTION, dataPaths, dateOfVersion, loadAwsRanges } from './data';
import { familyOf, ipv4ToNumber, ipv6ToBigInt, isPrivate, isReserved, unmapped } from './ip';
import { classifyNonIp } from './labels';

export class AddressEnricher {
  private cache = new Map<string, AddressContext>();
  readonly info: AddressDataInfo;
  readonly sourceDate: string;

  constructor(private asn: AsnTable, private country: Reader<Response>, private aws: AwsRanges, info: AddressDataInfo) {
    this.info = info;
    this.sourceDate = `IP data as of ${info.ipDataDate}; AWS ranges as of ${info.awsRangesDate}`;
  }

  lookup(source: string): AddressContext {
    let c = this.cache.get(source);
    if (!c) this.cache.set(source, (c = this.compute(source)));
    return c;
  }

  get cached(): number { return this.cache.size; }

  /** Forgets the answers (not the data): for measuring, and after the data changed. */
  clearCache(): void { this.cache.clear(); }

  private compute(source: string): AddressContext {
    const base = { ip: source, country: null, asn: null, org: null, awsService: null, awsRegion: null, sourceDate: this.sourceDate };
    const ip = unmapped(source.trim());
    const family = familyOf(ip);
    if (family === 0) {
      const { kind, label } = classifyNonIp(source);
      return { ...base, kind, label };
    }
    if (isPrivate(ip)) return { ...base, kind: 'private-ip', label: 'private address (inside a network, e.g. a VPC)' };
    if (isReserved(ip)) return { ...base, kind: 'reserved', label: 'reserved address (documentation or test range, not routed on the internet)' };
    const asn = family === 4 ? this.asn.lookup4(ipv4ToNumber(ip)) : this.asn.lookup6(ipv6ToBigInt(ip));
    const aws = family === 4 ? this.aws.lookup4(ipv4ToNumber(ip)) : this.aws.lookup6(ipv6ToBigInt(ip));
    // ip-location-db's records carry only country_code, which mmdb-lib's MaxMind types do not describe.
    const country = (this.country.get(ip) as { country_code?: string } | null)?.country_code ?? null;
    const ctx: AddressContext = {
      ...base, kind: 'ip', country, asn: asn?.asn ?? null, org: asn?.org ?? null,
      awsService: aws?.service ?? null, awsRegion: aws?.region ?? null, label: '',
    };
    ctx.label = aws
      ? `AWS ${aws.service === 'AMAZON' ? '' : `${aws.service} `}${aws.region}`
      : asn ? `${asn.org} (AS${asn.asn}${country ? `, ${country}` : ''})` : country ? `unknown network (${country})` : 'unknown network';
    return ctx;
  }
}

let shared: AddressEnricher | null = null;

/** The process's enricher, loaded on first use (ASN ranges ~0.3 s, see the bench). */
export function addressEnricher(): AddressEnricher {
  if (!shared) shared = loadEnricher();
  return shared;
}

export function loadEnricher(userData?: string): AddressEnricher {
  const paths = dataPaths();
  const asn = AsnTable.load(paths.asnV4, paths.asnV6, { path: PACKED_V4, version: paths.asnVersion });
  const country = new Reader<Response>(readFileSync(paths.countryMmdb));
  const { ranges, source } = loadAwsRanges(userData);
  const countryDate = country.metadata.buildEpoch.toISOString().slice(0, 10);
  const asnDate = dateOfVersion(paths.asnVersion);
  return new AddressEnricher(asn, country, ranges, {
    ipDataDate: countryDate === asnDate ? asnDate : `${asnDate} (ASN), ${countryDate} (country)`,
    awsRangesDate: createDay(ranges.info.createDate), awsRangesSyncToken: ranges.info.syncToken, awsRangesSource: source,
    attribution: ATTRIBUTION,
  });
}
