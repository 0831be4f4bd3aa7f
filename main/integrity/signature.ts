// The digest signature: SHA256withRSA (PKCS #1 v1.5) over the signing string CloudTrail documents and
// aws-cli builds in Sha256RSADigestValidator._create_string_to_sign:
//   digestEndTime \n digestS3Bucket/digestS3Object \n hex SHA-256 of the uncompressed digest \n previousDigestSignature
// with the text 'null' for the first digest of a chain (it matches CloudTrail's Java implementation).
import { verify, type KeyObject } from 'node:crypto';
import type { Digest } from './digest';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

export function signingString(d: Digest, contentSha256: string): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${contentSha256}\n${d.previousDigestSignature ?? 'null'}`;
}

export function isHexSignature(s: string): boolean {
  return s.length > 0 && s.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(s);
}

/** True when signatureHex is the key's signature over the digest's signing string. */
export function verifyDigestSignature(d: Digest, contentSha256: string, signatureHex: string, key: KeyObject): boolean {
  if (!isHexSignature(signatureHex)) return false;
  try {
    return verify('sha256', Buffer.from(signingString(d, contentSha256), 'utf8'), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    // A signature of the wrong length for the key makes OpenSSL throw rather than answer false.
    return false;
  }
}
