// CloudTrail's public keys, from a ListPublicKeys result: `aws cloudtrail list-public-keys` output
// (Value base64, times ISO), the raw API JSON (times in epoch seconds), or the SDK's output saved with
// JSON.stringify (Value a Uint8Array serialized as {"0":48,...}), or that output unserialised. Value is a DER RSA key, PKCS #1 as
// CloudTrail documents it; SubjectPublicKeyInfo is accepted too.
import { createPublicKey, type KeyObject } from 'node:crypto';

export interface PublicKey {
  fingerprint: string;
  key: KeyObject;
  validFrom: number | null; // epoch ms
  validTo: number | null;
}

export class PublicKeyError extends Error {}

function derBytes(v: unknown, where: string): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'base64');
    if (!b.length) throw new PublicKeyError(`${where}: "Value" is empty`);
    return b;
  }
  if (Array.isArray(v)) return Buffer.from(v as number[]);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([k, n]) => /^\d+$/.test(k) && typeof n === 'number')) {
      return Buffer.from(entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, n]) => n as number));
    }
  }
  throw new PublicKeyError(`${where}: "Value" is neither base64 text nor a byte array`);
}

function time(v: unknown, field: string, where: string): number | null {
  if (v === undefined || v === null) return null;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v; // API JSON gives seconds
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new PublicKeyError(`${where}: "${field}" is not a time`);
}

function keyObject(der: Buffer, where: string): KeyObject {
  for (const type of ['pkcs1', 'spki'] as const) {
    try {
      const key = createPublicKey({ key: der, format: 'der', type });
      if (key.asymmetricKeyType !== 'rsa') throw new PublicKeyError(`${where}: not an RSA key (${key.asymmetricKeyType})`);
      return key;
    } catch (err) {
      if (err instanceof PublicKeyError) throw err;
    }
  }
  throw new PublicKeyError(`${where}: "Value" is not a DER RSA public key (PKCS #1 or SubjectPublicKeyInfo)`);
}

/** Parses a ListPublicKeys result (`{"PublicKeyList":[…]}` or the bare list); `ref` names the file in errors. */
export function parsePublicKeys(jsonText: string, ref: string): PublicKey[] {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (err) {
    throw new PublicKeyError(`${ref}: not JSON (${(err as Error).message})`);
  }
  return publicKeysFrom(value, ref);
}

/**
 * The same from an already parsed value, such as the output of @aws-sdk/client-cloudtrail's
 * ListPublicKeysCommand (Value a Uint8Array, times Date objects) when the keys are pulled live.
 */
export function publicKeysFrom(value: unknown, ref: string): PublicKey[] {
  const list = Array.isArray(value) ? value : (value as { PublicKeyList?: unknown })?.PublicKeyList;
  if (!Array.isArray(list)) throw new PublicKeyError(`${ref}: expected a ListPublicKeys result with a "PublicKeyList" array`);
  return list.map((item, i) => {
    const where = `${ref}: PublicKeyList[${i}]`;
    if (!item || typeof item !== 'object') throw new PublicKeyError(`${where} is not an object`);
    const o = item as Record<string, unknown>;
    if (typeof o.Fingerprint !== 'string' || !o.Fingerprint) throw new PublicKeyError(`${where}: "Fingerprint" is missing`);
    return {
      fingerprint: o.Fingerprint.toLowerCase(),
      key: keyObject(derBytes(o.Value, where), where),
      validFrom: time(o.ValidityStartTime, 'ValidityStartTime', where),
      validTo: time(o.ValidityEndTime, 'ValidityEndTime', where),
    };
  });
}
