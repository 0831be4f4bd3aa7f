// How the timeline's text filters match, shared by main (SQL) and the page (which says which match
// applies and checks a CIDR before sending it).

export type TextMatch = 'exact' | 'prefix' | 'contains';
export type AddressMatch = TextMatch | 'cidr';

/**
 * An IPv4 CIDR block as the dotted-quad text prefixes (or whole addresses) that cover it, so the
 * block is matched on the stored text: a.b.c.0/24 is the prefix "a.b.c.", a.b.16.0/20 sixteen prefixes
 * "a.b.16." … "a.b.31.", a /28 its sixteen addresses. At most 128 parts. null when it is not one.
 */
export function ipv4Cidr(text: string): { prefixes: string[]; addresses: string[] } | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return null;
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const network = bits === 0 ? 0 : (value & (0xffffffff << (32 - bits))) >>> 0;
  const quad = (v: number, n: number) => [24, 16, 8, 0].slice(0, n).map((s) => (v >>> s) & 255).join('.');
  if (bits > 24) {
    const count = 2 ** (32 - bits);
    return { prefixes: [], addresses: Array.from({ length: count }, (_, i) => quad(network + i, 4)) };
  }
  // Whole octets: the block is 2^(boundary - bits) prefixes of `boundary / 8` octets each.
  const boundary = bits === 0 ? 0 : Math.ceil(bits / 8) * 8;
  if (boundary === 0) return { prefixes: [''], addresses: [] };
  const count = 2 ** (boundary - bits);
  const step = 2 ** (32 - boundary);
  return { prefixes: Array.from({ length: count }, (_, i) => `${quad(network + i * step, boundary / 8)}.`), addresses: [] };
}

/** What a match mode means, in the words the filter bar shows. */
export const MATCH_WORDS: Record<AddressMatch, string> = {
  exact: 'is exactly', prefix: 'starts with', contains: 'contains', cidr: 'in CIDR block',
};

/** The SQL filter's rule in JS, for lists already in the page (the swimlanes' actors): contains ignores ASCII case as LIKE does. */
export function textMatches(value: string | null, text: string, match: TextMatch): boolean {
  if (value === null) return false;
  if (match === 'exact') return value === text;
  if (match === 'prefix') return value.startsWith(text);
  const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return lower(value).includes(lower(text));
}

export function addressMatches(value: string | null, text: string, match: AddressMatch): boolean {
  if (match !== 'cidr') return textMatches(value, text, match);
  const block = ipv4Cidr(text);
  if (value === null || !block) return false;
  return block.addresses.includes(value) || block.prefixes.some((p) => value.startsWith(p) && (p !== '' || value.includes('.')));
}
