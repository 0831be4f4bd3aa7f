// The SQL Trailmark sends to CloudTrail Lake: the columns lake-results parses (struct and map members
// as flat aliases, since Lake returns structs as text) and the investigator's filters pushed down.
import { checkBucket, checkEventDataStoreId, checkEventName, checkKeyPrefix, likePrefix, literal, timestampText } from './query-values';

export interface LakeFilter {
  from: Date;
  to: Date;
  bucket?: string;
  keyPrefix?: string;
  eventNames?: string[];
}

/** Column list shared with the Athena CloudTrail query, so both results parse alike. */
export const CLOUDTRAIL_COLUMNS: [expr: string, alias: string][] = [
  ['eventID', 'eventID'], ['eventTime', 'eventTime'], ['eventSource', 'eventSource'], ['eventName', 'eventName'],
  ['awsRegion', 'awsRegion'], ['sourceIPAddress', 'sourceIPAddress'], ['userAgent', 'userAgent'],
  ['errorCode', 'errorCode'], ['requestID', 'requestID'], ['eventType', 'eventType'], ['eventCategory', 'eventCategory'],
  ['recipientAccountId', 'recipientAccountId'],
  ['userIdentity.type', 'userIdentityType'], ['userIdentity.principalId', 'userIdentityPrincipalId'],
  ['userIdentity.arn', 'userIdentityArn'], ['userIdentity.accountId', 'userIdentityAccountId'],
  ['userIdentity.accessKeyId', 'userIdentityAccessKeyId'], ['userIdentity.invokedBy', 'userIdentityInvokedBy'],
  ["element_at(requestParameters, 'bucketName')", 'bucketName'], ["element_at(requestParameters, 'key')", 'objectKey'],
  ["element_at(requestParameters, 'Range')", 'requestRange'],
  ["element_at(additionalEventData, 'bytesTransferredOut')", 'bytesTransferredOut'],
  ["element_at(additionalEventData, 'x-amz-id-2')", 'hostId'],
];

export function lakeQuery(eventDataStoreId: string, f: LakeFilter): string {
  if (!(f.from < f.to)) throw new Error('--from must be before --to');
  const where = [`eventTime >= ${literal(timestampText(f.from))}`, `eventTime <= ${literal(timestampText(f.to))}`];
  if (f.bucket) where.push(`element_at(requestParameters, 'bucketName') = ${literal(checkBucket(f.bucket))}`);
  if (f.keyPrefix) where.push(`element_at(requestParameters, 'key') LIKE ${likePrefix(checkKeyPrefix(f.keyPrefix))} ESCAPE '\\'`);
  if (f.eventNames?.length) where.push(`eventName IN (${f.eventNames.map((n) => literal(checkEventName(n))).join(', ')})`);
  return [
    `SELECT ${CLOUDTRAIL_COLUMNS.map(([e, a]) => (e === a ? e : `${e} AS ${a}`)).join(', ')}`,
    `FROM ${checkEventDataStoreId(eventDataStoreId)}`,
    `WHERE ${where.join('\n  AND ')}`,
    'ORDER BY eventTime, eventID',
  ].join('\n');
}
