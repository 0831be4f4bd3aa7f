// Realistic CloudTrail content for the stand-in: S3 data events (anonymous and IAM GetObject) and
// management events, as CloudTrail writes them, and their LookupEvents envelopes.
import { randomUUID } from 'node:crypto';
import type { StandinLookupEvent } from './cloudtrail';

export interface RecordSpec { time: Date; eventName?: string; bucket?: string; key?: string; region?: string; anonymous?: boolean; bytes?: number; ip?: string }

export function cloudTrailRecord(s: RecordSpec, n: number): Record<string, unknown> {
  const eventName = s.eventName ?? 'GetObject';
  const data = eventName === 'GetObject' || eventName === 'HeadObject';
  return {
    eventVersion: data ? '1.09' : '1.08',
    userIdentity: s.anonymous
      ? { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' }
      : { type: 'IAMUser', principalId: 'AIDAEXAMPLEUSER00001', arn: 'arn:aws:iam::111122223333:user/backup-operator', accountId: '111122223333', accessKeyId: 'AKIAEXAMPLEKEY000001', userName: 'backup-operator' },
    eventTime: s.time.toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName,
    awsRegion: s.region ?? 'us-east-1',
    sourceIPAddress: s.ip ?? `198.51.100.${(n % 250) + 1}`,
    userAgent: '[curl/8.5.0]',
    requestParameters: { bucketName: s.bucket ?? 'acme-backups', Host: `${s.bucket ?? 'acme-backups'}.s3.us-east-1.amazonaws.com`, key: s.key ?? `db/dump-${n}.sql.gz` },
    responseElements: null,
    additionalEventData: data ? { bytesTransferredIn: 0, bytesTransferredOut: s.bytes ?? 1048576, 'x-amz-id-2': `hostid${n}` } : undefined,
    requestID: `REQ${String(n).padStart(13, '0')}`,
    eventID: randomUUID(),
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${s.bucket ?? 'acme-backups'}/${s.key ?? `db/dump-${n}.sql.gz`}` }],
    eventType: data ? 'AwsApiCall' : 'AwsApiCall',
    managementEvent: !data,
    recipientAccountId: '111122223333',
    eventCategory: data ? 'Data' : 'Management',
  };
}

export function lookupEvent(s: RecordSpec, n: number): StandinLookupEvent {
  const r = cloudTrailRecord({ eventName: 'PutBucketAcl', ...s }, n);
  return {
    EventId: r.eventID as string,
    EventName: r.eventName as string,
    ReadOnly: 'false',
    AccessKeyId: 'AKIAEXAMPLEKEY000001',
    EventTime: s.time,
    EventSource: 's3.amazonaws.com',
    Username: 'backup-operator',
    Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: s.bucket ?? 'acme-backups' }],
    CloudTrailEvent: JSON.stringify(r),
  };
}

/** `count` events spread over the hours before `end`, newest first as LookupEvents returns them. */
export function lookupEvents(count: number, end: Date, region = 'us-east-1', bucket = 'acme-backups'): StandinLookupEvent[] {
  return Array.from({ length: count }, (_, i) => lookupEvent({ time: new Date(end.getTime() - (i + 1) * 60_000), region, bucket }, i));
}
