// Builds a CloudTrail trail as CloudTrail delivers it: gzipped log files in the AWSLogs tree, hourly
// digest files listing them with the SHA-256 of their uncompressed content, each digest chained to the
// previous one and signed SHA256withRSA with a key of our own, plus the ListPublicKeys JSON that
// publishes that key as CloudTrail's. Tests then tamper with the output and expect validation to notice.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SignerKey { privateKey: KeyObject; publicDer: Buffer; fingerprint: string }

export function makeSignerKey(): SignerKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // CloudTrail publishes PKCS #1 DER; its fingerprint format is 32 hex digits (an MD5 of the key).
  const publicDer = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
}

/** A ListPublicKeys result as `aws cloudtrail list-public-keys` prints it. */
export function publicKeysJson(keys: { key: SignerKey; from: Date; to: Date }[]): string {
  return JSON.stringify({
    PublicKeyList: keys.map(({ key, from, to }) => ({
      Value: key.publicDer.toString('base64'), ValidityStartTime: from.toISOString(), ValidityEndTime: to.toISOString(), Fingerprint: key.fingerprint,
    })),
  }, null, 2);
}

export interface BuiltFile {
  /** Where it was written. */
  path: string;
  s3Object: string;
  /** The uncompressed content. */
  content: Buffer;
}
export interface BuiltDigest extends BuiltFile { signature: string; startTime: string; endTime: string; fingerprint: string }

export interface BuiltTrail {
  root: string;
  account: string;
  region: string;
  bucket: string;
  trail: string;
  logs: BuiltFile[];
  digests: BuiltDigest[];
}

export interface TrailOptions {
  dir: string;
  start: Date; // digest periods are whole hours from here
  hours: number;
  filesPerHour?: number;
  recordsPerFile?: number;
  /** The key that signs the digest of hour i (to test rotation). */
  keyFor: (hour: number) => SignerKey;
  account?: string;
  region?: string;
  bucket?: string;
  trail?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stamp = (d: Date, seconds: boolean) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function write(root: string, key: string, bytes: Buffer): string {
  const path = join(root, ...key.split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** An anonymous S3 GetObject data event, the kind a bucket-leak investigation looks for. */
function record(time: Date, account: string, region: string, bucket: string, i: number): object {
  const key = `backups/db-${pad(i % 60)}.sql.gz`;
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
    eventTime: iso(time), eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: region,
    sourceIPAddress: `203.0.113.${(i % 250) + 1}`, userAgent: 'curl/8.5.0',
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key },
    responseElements: null,
    additionalEventData: { SignatureVersion: 'SigV4', bytesTransferredIn: 0, bytesTransferredOut: 1048576, 'x-amz-id-2': randomBytes(24).toString('base64') },
    requestID: randomBytes(8).toString('hex').toUpperCase(), eventID: randomUUID(), readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    eventType: 'AwsApiCall', managementEvent: false, recipientAccountId: account, sharedEventID: randomUUID(), eventCategory: 'Data',
  };
}

export function signDigest(content: Buffer, endTime: string, bucket: string, s3Object: string, previousSignature: string | null, key: SignerKey): string {
  const toSign = `${endTime}\n${bucket}/${s3Object}\n${createHash('sha256').update(content).digest('hex')}\n${previousSignature ?? 'null'}`;
  return sign('sha256', Buffer.from(toSign), key.privateKey).toString('hex');
}

function entryFor(bucket: string, f: BuiltFile): object {
  const times = (JSON.parse(f.content.toString()) as { Records: { eventTime: string }[] }).Records.map((r) => r.eventTime).sort();
  return {
    s3Bucket: bucket, s3Object: f.s3Object, hashValue: createHash('sha256').update(f.content).digest('hex'), hashAlgorithm: 'SHA-256',
    newestEventTime: times.at(-1) ?? null, oldestEventTime: times[0] ?? null,
  };
}

export interface ChainOptions {
  dir: string;
  start: Date;
  hours: number;
  keyFor: (hour: number) => SignerKey;
  /** The trail files (already written) that the digest of hour i lists. */
  logsFor: (hour: number) => BuiltFile[];
  account: string;
  region: string;
  bucket: string;
  trail: string;
  /** Backfill digests (`…_backfill.json.gz`): a chain of their own, as CloudTrail delivers them late. */
  backfill?: boolean;
}

/** Writes one signed digest per hour from `start`, each chained to the one before. */
export function writeDigestChain(o: ChainOptions): BuiltDigest[] {
  const { account, region, bucket, trail } = o;
  const digests: BuiltDigest[] = [];
  for (let h = 0; h < o.hours; h++) {
    const start = new Date(o.start.getTime() + h * 3_600_000);
    const end = new Date(start.getTime() + 3_600_000);
    const entries = o.logsFor(h).map((f) => entryFor(bucket, f)) as { newestEventTime: string | null; oldestEventTime: string | null }[];
    const newest = entries.map((e) => e.newestEventTime).filter((t): t is string => !!t).sort();
    const oldest = entries.map((e) => e.oldestEventTime).filter((t): t is string => !!t).sort();
    const key = o.keyFor(h);
    const s3Object = `AWSLogs/${account}/CloudTrail-Digest/${region}/${ymd(end)}/${account}_CloudTrail-Digest_${region}_${trail}_${region}_${stamp(end, true)}${o.backfill ? '_backfill' : ''}.json.gz`;
    const prev = digests[digests.length - 1];
    const body = {
      awsAccountId: account, digestStartTime: iso(start), digestEndTime: iso(end), digestS3Bucket: bucket, digestS3Object: s3Object,
      digestPublicKeyFingerprint: key.fingerprint, digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: newest.at(-1) ?? null, oldestEventTime: oldest[0] ?? null,
      previousDigestS3Bucket: prev ? bucket : null, previousDigestS3Object: prev?.s3Object ?? null,
      previousDigestHashValue: prev ? createHash('sha256').update(prev.content).digest('hex') : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null, previousDigestSignature: prev?.signature ?? null,
      logFiles: entries,
    };
    // CloudTrail escapes slashes in digest JSON; the signature covers the bytes as written.
    const content = Buffer.from(JSON.stringify(body).replace(/\//g, '\\/'));
    const signature = signDigest(content, body.digestEndTime, bucket, s3Object, body.previousDigestSignature, key);
    digests.push({ path: write(o.dir, s3Object, gzipSync(content)), s3Object, content, signature, startTime: body.digestStartTime, endTime: body.digestEndTime, fingerprint: key.fingerprint });
  }
  return digests;
}

/** Real trail files (decompressed JSON named as CloudTrail names them) gzipped into their AWSLogs place. */
export function placeTrailFiles(dir: string, files: { name: string; content: Buffer }[], account: string, region: string): BuiltFile[] {
  return files.map(({ name, content }) => {
    const m = /_(\d{4})(\d{2})(\d{2})T\d{4}Z_/.exec(name);
    if (!m) throw new Error(`${name} is not named like a CloudTrail log file`);
    const s3Object = `AWSLogs/${account}/CloudTrail/${region}/${m[1]}/${m[2]}/${m[3]}/${name.replace(/\.gz$/, '').replace(/\.json$/, '')}.json.gz`;
    return { path: write(dir, s3Object, gzipSync(content)), s3Object, content };
  });
}

export function buildTrail(o: TrailOptions): BuiltTrail {
  const account = o.account ?? '111122223333';
  const region = o.region ?? 'eu-west-1';
  const bucket = o.bucket ?? 'acme-trail-logs';
  const trail = o.trail ?? 'org-trail';
  const filesPerHour = o.filesPerHour ?? 3;
  const recordsPerFile = o.recordsPerFile ?? 4;
  const byHour: BuiltFile[][] = [];
  let counter = 0;
  for (let h = 0; h < o.hours; h++) {
    const start = new Date(o.start.getTime() + h * 3_600_000);
    byHour.push([]);
    for (let f = 0; f < filesPerHour; f++) {
      const delivered = new Date(start.getTime() + (5 + f * 15) * 60_000);
      const records = Array.from({ length: recordsPerFile }, (_, r) => record(new Date(delivered.getTime() - (4 - r) * 60_000 - 7_000), account, region, bucket, counter++));
      const content = Buffer.from(JSON.stringify({ Records: records }));
      const rand = randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 16);
      const s3Object = `AWSLogs/${account}/CloudTrail/${region}/${ymd(delivered)}/${account}_CloudTrail_${region}_${stamp(delivered, false)}_${rand}.json.gz`;
      byHour[h].push({ path: write(o.dir, s3Object, gzipSync(content)), s3Object, content });
    }
  }
  const digests = writeDigestChain({ dir: o.dir, start: o.start, hours: o.hours, keyFor: o.keyFor, logsFor: (h) => byHour[h], account, region, bucket, trail });
  return { root: o.dir, account, region, bucket, trail, logs: byHour.flat(), digests };
}
