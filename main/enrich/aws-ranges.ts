// AWS's published address ranges (ip-ranges.json): which service and region an address belongs to.
// Shipped compacted (data/aws-ip-ranges.txt) and refreshable into the user's data folder; the copy
// with the later syncToken wins. Lookup is by longest prefix: one map per prefix length.
import { ipv4ToNumber, ipv6ToBigInt } from './ip';

export interface AwsRangesInfo { syncToken: string; createDate: string }
export interface AwsRangeAnswer { service: string; services: string[]; region: string; prefix: string }

interface Entry { region: string; services: string[]; prefix: string }

export class AwsRanges {
  private v4 = new Map<number, Map<number, Entry>>(); // prefix length → network → entry
  private v6 = new Map<number, Map<bigint, Entry>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];
  prefixes = 0;

  constructor(readonly info: AwsRangesInfo) {}

  add(cidr: string, region: string, service: string): void {
    const slash = cidr.indexOf('/');
    if (slash < 0) throw new Error(`"${cidr}" is not a CIDR prefix`);
    const len = Number(cidr.slice(slash + 1));
    const addr = cidr.slice(0, slash);
    const put = <K>(maps: Map<number, Map<K, Entry>>, key: K) => {
      let m = maps.get(len);
      if (!m) maps.set(len, (m = new Map()));
      const e = m.get(key);
      if (!e) { m.set(key, { region, services: [service], prefix: cidr }); this.prefixes++; } else if (!e.services.includes(service)) e.services.push(service);
    };
    if (addr.includes(':')) {
      if (!(len >= 0 && len <= 128)) throw new Error(`"${cidr}" has a bad prefix length`);
      put(this.v6, mask6(ipv6ToBigInt(addr), len));
      this.v6Lengths = [...this.v6.keys()].sort((a, b) => b - a);
    } else {
      if (!(len >= 0 && len <= 32)) throw new Error(`"${cidr}" has a bad prefix length`);
      put(this.v4, mask4(ipv4ToNumber(addr), len));
      this.v4Lengths = [...this.v4.keys()].sort((a, b) => b - a);
    }
  }

  lookup4(ip: number): AwsRangeAnswer | null {
    for (const len of this.v4Lengths) {
      const e = this.v4.get(len)!.get(mask4(ip, len));
      if (e) return answer(e);
    }
    return null;
  }

  lookup6(ip: bigint): AwsRangeAnswer | null {
    for (const len of this.v6Lengths) {
      const e = this.v6.get(len)!.get(mask6(ip, len));
      if (e) return answer(e);
    }
    return null;
  }
}

/** The longest matching prefix names the service; AMAZON is AWS's catch-all, so a named service wins over it. */
function answer(e: Entry): AwsRangeAnswer {
  const named = e.services.filter((s) => s !== 'AMAZON');
  return { service: named[0] ?? 'AMAZON', services: e.services, region: e.region, prefix: e.prefix };
}

const mask4 = (ip: number, len: number): number => (len === 0 ? 0 : len === 32 ? ip : Math.floor(ip / 2 ** (32 - len)) * 2 ** (32 - len));
const ALL6 = (1n << 128n) - 1n;
const mask6 = (ip: bigint, len: number): bigint => ip & (ALL6 ^ ((1n << BigInt(128 - len)) - 1n));

// ---------- the compact text form ----------
// # syncToken <token> createDate <date>
// @SERVICE
// <cidr> <region>
/** Parses the compact form; throws naming the line on anything else. */
export function parseCompact(text: string, name = 'aws-ip-ranges.txt'): AwsRanges {
  const lines = text.split('\n');
  const head = /^# syncToken (\S+) createDate (\S+)/.exec(lines[0] ?? '');
  if (!head) throw new Error(`${name}, line 1: expected "# syncToken … createDate …"`);
  const ranges = new AwsRanges({ syncToken: head[1], createDate: head[2] });
  let service = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('@')) { service = line.slice(1); continue; }
    const [cidr, region] = line.split(/\s+/);
    if (!service || !cidr || !region) throw new Error(`${name}, line ${i + 1}: expected "<cidr> <region>" under an @SERVICE line`);
    try {
      ranges.add(cidr, region, service);
    } catch (err) {
      throw new Error(`${name}, line ${i + 1}: ${(err as Error).message}`);
    }
  }
  return ranges;
}

interface IpRangesJson {
  syncToken?: unknown; createDate?: unknown;
  prefixes?: Array<{ ip_prefix?: unknown; region?: unknown; service?: unknown }>;
  ipv6_prefixes?: Array<{ ipv6_prefix?: unknown; region?: unknown; service?: unknown }>;
}

/** AWS's ip-ranges.json → the compact form (service sections, one prefix a line). */
export function compactIpRanges(json: string, name = 'ip-ranges.json'): string {
  let doc: IpRangesJson;
  try {
    doc = JSON.parse(json) as IpRangesJson;
  } catch (err) {
    throw new Error(`${name}: not JSON (${(err as Error).message})`);
  }
  if (typeof doc.syncToken !== 'string' || typeof doc.createDate !== 'string' || !Array.isArray(doc.prefixes)) {
    throw new Error(`${name}: not AWS's ip-ranges.json (no syncToken, createDate or prefixes)`);
  }
  const bySvc = new Map<string, string[]>();
  const take = (cidr: unknown, region: unknown, service: unknown, i: number) => {
    if (typeof cidr !== 'string' || typeof region !== 'string' || typeof service !== 'string' || !/^[\w.:/-]+$/.test(cidr + region + service)) {
      throw new Error(`${name}: prefix ${i + 1} is malformed`);
    }
    let list = bySvc.get(service);
    if (!list) bySvc.set(service, (list = []));
    list.push(`${cidr} ${region}`);
  };
  doc.prefixes.forEach((p, i) => take(p.ip_prefix, p.region, p.service, i));
  (doc.ipv6_prefixes ?? []).forEach((p, i) => take(p.ipv6_prefix, p.region, p.service, i));
  const out = [`# syncToken ${doc.syncToken} createDate ${doc.createDate}`];
  for (const [svc, list] of [...bySvc].sort((a, b) => a[0].localeCompare(b[0]))) out.push(`@${svc}`, ...list);
  const text = `${out.join('\n')}\n`;
  parseCompact(text, name); // refuse what would not load
  return text;
}

/** createDate "2018-02-06-17-12-08" → "2018-02-06". */
export const createDay = (createDate: string): string => createDate.slice(0, 10);
