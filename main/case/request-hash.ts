// The download ledger names a request by a 53-bit hash of its key (`requestID|bucket|key`, or
// `event:<id>` where no request ID was logged) instead of the key's text: the text and its unique
// index were 39 of the 351 MB of a 400k-line access-log case. Two keys may hash alike (about one
// pair in 180 at 10M downloads), so the hash is where a request's row is looked for first, and a
// different request found there sends the lookup on to the next value (open addressing, as the
// events' natural key does). Rows only leave a hash value when merged into the row staying there, so
// a lookup that meets an unused value has found every candidate.
import type Database from 'better-sqlite3';

const MOD = 2 ** 53;

/** cyrb53 (a public-domain 53-bit string hash): two 32-bit multiply-xorshift lanes, fast in V8. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A request's key as the ledger's view shows it (downloads.request_key). */
export function requestKey(requestId: string | null, bucket: string, key: string, eventId: number): string {
  return requestId === null ? `event:${eventId}` : `${requestId}|${bucket}|${key}`;
}

/** The value after `rk` in a probe. */
export const nextSlot = (rk: number) => (rk + 1) % MOD;

let hashFn: (text: string) => number = hash53;

/** Tests force collisions by replacing the hash (the function every connection's SQL calls too); returns a restore. */
export function useRequestHashForTests(fn: (text: string) => number): () => void {
  hashFn = fn;
  return () => { hashFn = hash53; };
}

export const requestHash = (requestId: string | null, bucket: string, key: string, eventId: number): number =>
  hashFn(requestKey(requestId, bucket, key, eventId)) % MOD;

/** Registers tm_request_hash(request_id, bucket, key, event_id) on a connection (migrations and derivation use it). */
export function registerRequestHash(db: Database.Database): void {
  // A BigInt is stored as an integer as it is; a number would be handed to SQLite as a real.
  db.function('tm_request_hash', { deterministic: true }, (requestId, bucket, key, eventId) =>
    BigInt(requestHash(requestId as string | null, bucket as string, key as string, Number(eventId))));
}
