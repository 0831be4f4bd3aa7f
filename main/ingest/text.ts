// Small, fast helpers shared by parsers.

/** '-' and '' mean "absent" in AWS logs. */
export function orNull(s: string | undefined): string | null {
  return s === undefined || s === '-' || s === '' ? null : s;
}

/** A non-negative integer field, or null for '-'/absent; undefined when the text is not a number. */
export function intOrNull(s: string | undefined): number | null | undefined {
  if (s === undefined || s === '-' || s === '') return null;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** URL-decoding as S3 writes keys in access logs ('+' for space); malformed escapes are left as written. */
export function decodeKey(s: string): string {
  if (s.indexOf('%') === -1 && s.indexOf('+') === -1) return s;
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** 32-bit FNV-1a: the natural-key hash stored beside the event time. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The same over bytes[from, to), for ASCII text stored as bytes (a typed array reads faster than a string), continuing from `seed`, the hash of the text before them. */
export function fnv1a32Bytes(bytes: Uint8Array, from: number, to: number, seed: number): number {
  let h = seed;
  for (let i = from; i < to; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Shortens untrusted text for messages. */
export function excerpt(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
