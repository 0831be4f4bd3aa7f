// Address arithmetic for lookups: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint.
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4ToNumber(ip: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) { n = n * 256 + part; part = 0; digits = 0; continue; }
    part = part * 10 + (c - 48);
    digits++;
  }
  return digits ? n * 256 + part : n * 256;
}

export function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToNumber(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const r = rest === undefined ? [] : rest ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...new Array<string>(8 - h.length - r.length).fill('0'), ...r];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g || '0', 16));
  return n;
}

/** An IPv4 address mapped into IPv6 (::ffff:a.b.c.d) answers as the IPv4 address it carries. */
export function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}

export type Family = 4 | 6 | 0;
export const familyOf = (ip: string): Family => (isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : 0);

/** Private, loopback, link-local and unique-local addresses: inside someone's network, not on the internet. */
export function isPrivate(ip: string): boolean {
  if (isIPv4(ip)) {
    const n = ipv4ToNumber(ip);
    const a = n >>> 24;
    const b = (n >>> 16) & 0xff;
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
      || (a === 100 && b >= 64 && b <= 127); // carrier-grade NAT
  }
  if (isIPv6(ip)) {
    const n = ipv6ToBigInt(ip);
    const top = Number(n >> 112n);
    return n === 1n || (top & 0xfe00) === 0xfc00 || (top & 0xffc0) === 0xfe80;
  }
  return false;
}

/** Ranges set aside for documentation, benchmarks and the future: never a real caller on the internet. */
export function isReserved(ip: string): boolean {
  if (isIPv4(ip)) {
    const n = ipv4ToNumber(ip);
    const in4 = (base: string, len: number) => Math.floor(n / 2 ** (32 - len)) === Math.floor(ipv4ToNumber(base) / 2 ** (32 - len));
    return in4('0.0.0.0', 8) || in4('192.0.2.0', 24) || in4('198.51.100.0', 24) || in4('203.0.113.0', 24) || in4('198.18.0.0', 15) || in4('240.0.0.0', 4);
  }
  if (isIPv6(ip)) return ipv6ToBigInt(ip) >> 96n === 0x20010db8n;
  return false;
}
