// The tables AWS documents for querying logs with Athena (S3 server access logs; CloudTrail), with
// partition projection over the day folders, and the investigator's query against them.
// References: "Querying Amazon S3 server access logs" (date-based partitioning) and "Create a table for
// CloudTrail logs in Athena using partition projection", Amazon Athena User Guide.
import { CLOUDTRAIL_COLUMNS } from './lake-sql';
import { checkBucket, checkEventName, checkIdentifier, checkKeyPrefix, checkOperation, likePrefix, literal, timestampText } from './query-values';
import { BUCKET } from './query-values';
import { slashedDay } from './s3-layout';

export type AthenaTableKind = 'access-log' | 'cloudtrail';

export const ACCESS_LOG_COLUMNS = [
  'bucketowner', 'bucket_name', 'requestdatetime', 'remoteip', 'requester', 'requestid', 'operation', 'key', 'request_uri',
  'httpstatus', 'errorcode', 'bytessent', 'objectsize', 'totaltime', 'turnaroundtime', 'referrer', 'useragent', 'versionid',
  'hostid', 'sigv', 'ciphersuite', 'authtype', 'endpoint', 'tlsversion', 'accesspointarn', 'aclrequired',
] as const;

const ACCESS_LOG_REGEX = String.raw`([^ ]*) ([^ ]*) \\[(.*?)\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\"[^\"]*\"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) (\"[^\"]*\"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$`;

/** A log location for a table: s3://bucket/prefix/, checked (it is written into DDL). */
export function checkLocation(uri: string): string {
  const m = /^s3:\/\/([^/]+)\/([\w!\-.*()/=+,@:~]*)$/.exec(uri);
  if (!m || !BUCKET.test(m[1])) throw new Error(`table location "${uri}" must be s3://bucket/prefix/ with a valid bucket name and a plain prefix`);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

export function qualified(db: string, table: string): string {
  return `\`${checkIdentifier('Athena database', db)}\`.\`${checkIdentifier('Athena table', table)}\``;
}

function projection(location: string, since: Date): string {
  return `TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='${slashedDay(since)},NOW',
  'storage.location.template'='${location}\${timestamp}')`;
}

/** Date-partitioned access logs end in <account>/<region>/<source bucket>/; CloudTrail locations in CloudTrail/<region>/. */
export function isPartitionedLocation(kind: AthenaTableKind, location: string): boolean {
  return kind === 'cloudtrail'
    ? /\/CloudTrail\/[a-z]{2}[a-z-]*-\d\/$/.test(location)
    : /\/\d{12}\/[a-z]{2}[a-z-]*-\d\/[a-z0-9][a-z0-9.-]+[a-z0-9]\/$/.test(location);
}

export function createTableSql(kind: AthenaTableKind, db: string, table: string, locationUri: string, since: Date): string {
  const location = checkLocation(locationUri);
  const partitioned = isPartitionedLocation(kind, location);
  const tail = partitioned ? `\nPARTITIONED BY (\`timestamp\` string)` : '';
  if (kind === 'access-log') {
    const cols = ACCESS_LOG_COLUMNS.map((c) => `  \`${c}\` ${c === 'bytessent' || c === 'objectsize' ? 'BIGINT' : 'STRING'}`).join(',\n');
    return `CREATE EXTERNAL TABLE IF NOT EXISTS ${qualified(db, table)} (
${cols})${tail}
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
WITH SERDEPROPERTIES ('input.regex'='${ACCESS_LOG_REGEX}')
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'${partitioned ? `\n${projection(location, since)}` : ''}`;
  }
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${qualified(db, table)} (
  eventVersion STRING,
  userIdentity STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, invokedBy: STRING, accessKeyId: STRING, userName: STRING,
    onBehalfOf: STRUCT<userId: STRING, identityStoreArn: STRING>,
    sessionContext: STRUCT<attributes: STRUCT<mfaAuthenticated: STRING, creationDate: STRING>,
      sessionIssuer: STRUCT<type: STRING, principalId: STRING, arn: STRING, accountId: STRING, userName: STRING>,
      ec2RoleDelivery: STRING, webIdFederationData: STRUCT<federatedProvider: STRING, attributes: MAP<STRING,STRING>>>>,
  eventTime STRING,
  eventSource STRING,
  eventName STRING,
  awsRegion STRING,
  sourceIpAddress STRING,
  userAgent STRING,
  errorCode STRING,
  errorMessage STRING,
  requestParameters STRING,
  responseElements STRING,
  additionalEventData STRING,
  requestId STRING,
  eventId STRING,
  readOnly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountId: STRING, type: STRING>>,
  eventType STRING,
  apiVersion STRING,
  recipientAccountId STRING,
  serviceEventDetails STRING,
  sharedEventID STRING,
  vpcEndpointId STRING,
  vpcEndpointAccountId STRING,
  eventCategory STRING,
  sessionCredentialFromConsole STRING,
  edgeDeviceDetails STRING,
  tlsDetails STRUCT<tlsVersion: STRING, cipherSuite: STRING, clientProvidedHostHeader: STRING>)${tail}
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${location}'${partitioned ? `\n${projection(location, since)}` : ''}`;
}

/** CloudTrail table columns that hold a record's objects as JSON text, selected whole. */
export const WHOLE_JSON_COLUMNS = ['requestParameters', 'responseElements', 'additionalEventData'];

export interface AthenaFilter {
  from: Date;
  to: Date;
  bucket?: string;
  keyPrefix?: string;
  /** Access logs: operations (REST.GET.OBJECT); CloudTrail: event names (GetObject). */
  operations?: string[];
}

const isoLiteral = (d: Date) => literal(`${timestampText(d).replace(' ', 'T')}Z`);

/** The investigator's query; `partitioned`: the table has the `timestamp` projection, so days are pruned. */
export function athenaQuery(kind: AthenaTableKind, db: string, table: string, partitioned: boolean, f: AthenaFilter): string {
  if (!(f.from < f.to)) throw new Error('--from must be before --to');
  const where: string[] = [];
  if (partitioned) where.push(`"timestamp" BETWEEN ${literal(slashedDay(f.from))} AND ${literal(slashedDay(new Date(f.to.getTime() + 86400_000)))}`);
  if (kind === 'access-log') {
    where.push(`parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') BETWEEN from_iso8601_timestamp(${isoLiteral(f.from)}) AND from_iso8601_timestamp(${isoLiteral(f.to)})`);
    if (f.bucket) where.push(`bucket_name = ${literal(checkBucket(f.bucket))}`);
    if (f.keyPrefix) where.push(`url_decode(key) LIKE ${likePrefix(checkKeyPrefix(f.keyPrefix))} ESCAPE '\\'`);
    if (f.operations?.length) where.push(`operation IN (${f.operations.map((o) => literal(checkOperation(o))).join(', ')})`);
    return `SELECT ${ACCESS_LOG_COLUMNS.map((c) => `"${c}"`).join(', ')}, "$path" AS source_file\nFROM ${qualified(db, table)}\nWHERE ${where.join('\n  AND ')}\nORDER BY requestdatetime, requestid`;
  }
  where.push(`eventTime >= ${isoLiteral(f.from)}`, `eventTime <= ${isoLiteral(f.to)}`);
  if (f.bucket) where.push(`json_extract_scalar(requestParameters, '$.bucketName') = ${literal(checkBucket(f.bucket))}`);
  if (f.keyPrefix) where.push(`json_extract_scalar(requestParameters, '$.key') LIKE ${likePrefix(checkKeyPrefix(f.keyPrefix))} ESCAPE '\\'`);
  if (f.operations?.length) where.push(`eventName IN (${f.operations.map((o) => literal(checkEventName(o))).join(', ')})`);
  const expr = (e: string) => e
    .replace(/^element_at\(requestParameters, '(\w+)'\)$/, "json_extract_scalar(requestParameters, '$.$1')")
    .replace(/^element_at\(additionalEventData, '([\w-]+)'\)$/, `json_extract_scalar(additionalEventData, '$["$1"]')`);
  // The request and response bodies too, whole (the table keeps them as JSON text): the exposure,
  // identity and logging rules need them, and a row without them can only answer "unknown".
  return `SELECT ${CLOUDTRAIL_COLUMNS.map(([e, a]) => `${expr(e)} AS ${a}`).join(', ')}, ${WHOLE_JSON_COLUMNS.join(', ')}, "$path" AS source_file\nFROM ${qualified(db, table)}\nWHERE ${where.join('\n  AND ')}\nORDER BY eventTime, eventID`;
}
