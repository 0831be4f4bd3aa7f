// Source values that are not addresses: AWS writes a service's name when the service acted on a
// principal's behalf ("s3.amazonaws.com", "AWS Internal"), and a VPC endpoint's id when a request
// came through one. These are labelled, never geolocated.
import type { AddressKind } from '../../shared/enrich';

export function classifyNonIp(source: string): { kind: AddressKind; label: string } {
  const s = source.trim();
  if (!s || s === '-') return { kind: 'unknown', label: 'no source address logged' };
  if (/^aws internal$/i.test(s)) return { kind: 'aws-internal', label: 'AWS Internal (a request AWS made itself)' };
  if (/^vpce-[0-9a-f]+$/i.test(s)) return { kind: 'vpc-endpoint', label: `through VPC endpoint ${s}` };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i.test(s) || /^[a-z0-9-]+\.aws\.internal$/i.test(s)) {
    return { kind: 'aws-service', label: `AWS service ${s} (on a principal's behalf)` };
  }
  return { kind: 'unknown', label: 'not an address' };
}
