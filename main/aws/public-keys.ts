// CloudTrail's public keys for a period (ListPublicKeys), saved as `aws cloudtrail list-public-keys`
// output: what offline digest validation needs beside the digest files and their signatures.
import { CloudTrailClient, ListPublicKeysCommand, type PublicKey } from '@aws-sdk/client-cloudtrail';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { clientConfig } from './access';
import type { KeptFile, PullContext } from './context';
import { explainAwsError } from './errors';
import { writeFileAtomic } from './store';

const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function pullPublicKeys(ctx: PullContext, region: string, from: Date, to: Date): Promise<KeptFile> {
  const client = new CloudTrailClient(clientConfig(ctx.access, region));
  const keys: PublicKey[] = [];
  try {
    let token: string | undefined;
    do {
      const out = await client.send(new ListPublicKeysCommand({ StartTime: from, EndTime: to, NextToken: token }), { abortSignal: ctx.signal });
      keys.push(...(out.PublicKeyList ?? []));
      token = out.NextToken;
    } while (token);
  } catch (err) {
    throw explainAwsError(err, `CloudTrail ListPublicKeys in ${region}`, ctx.access.profile, true);
  } finally {
    client.destroy();
  }
  const body = `${JSON.stringify({
    PublicKeyList: keys.map((k) => ({
      Value: k.Value ? Buffer.from(k.Value).toString('base64') : null,
      ValidityStartTime: k.ValidityStartTime?.toISOString(),
      ValidityEndTime: k.ValidityEndTime?.toISOString(),
      Fingerprint: k.Fingerprint,
    })),
  }, null, 2)}\n`;
  const path = join(ctx.evidenceDir, 'aws', 'public-keys', `${ctx.identity.account}-${region}-${compact(from)}-${compact(to)}.json`);
  await writeFileAtomic(path, body);
  ctx.progress(`ListPublicKeys ${region}: ${keys.length} keys`);
  return { path, what: `CloudTrail public keys, ${region}, ${from.toISOString()} to ${to.toISOString()}`, sha256: createHash('sha256').update(body).digest('hex'), bytes: Buffer.byteLength(body) };
}
