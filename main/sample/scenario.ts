// The sample story: a company's database-backup bucket is made public by mistake (a public-read
// ACL and a bucket policy for "*"), strangers download backups for two days — one of them in
// range requests that together make a whole copy — until a public access block closes it.
// Every name, account, address and key here is invented: documentation IP ranges (RFC 5737),
// example-style account IDs, a fictional company. Never real people's data.
import { Random } from './random';

export const ACCOUNT = '210987654321';
export const REGION = 'eu-west-1';
export const BUCKET = 'northwind-db-backups';
export const LOG_BUCKET = 'northwind-audit-logs';
export const OWNER_CANONICAL = '4f1c9a2b7e6d5c3a1b0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b';

export interface Principal {
  type: 'IAMUser' | 'AssumedRole';
  arn: string;
  principalId: string;
  accessKeyId: string;
  userName?: string;
  issuer?: { arn: string; principalId: string; userName: string };
}

export const OPS_USER: Principal = {
  type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ops-deploy`, principalId: 'AIDAEXAMPLEOPSDEPLOY1', accessKeyId: 'AKIAEXAMPLEOPS000001', userName: 'ops-deploy',
};
export const BACKUP_AGENT: Principal = {
  type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/backup-agent`, principalId: 'AIDAEXAMPLEBACKUPAG1', accessKeyId: 'AKIAEXAMPLEBACKUP001', userName: 'backup-agent',
};
export const RESTORE_SESSION: Principal = {
  type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/restore-operator/ops-deploy-restore`,
  principalId: 'AROAEXAMPLERESTORE01:ops-deploy-restore', accessKeyId: 'ASIAEXAMPLERESTORE01',
  issuer: { arn: `arn:aws:iam::${ACCOUNT}:role/restore-operator`, principalId: 'AROAEXAMPLERESTORE01', userName: 'restore-operator' },
};

/** One data-plane request, as both sources record it (or one of them, where the other is silent). */
export interface S3Request {
  time: number;
  ip: string;
  principal: Principal | null; // null: anonymous
  userAgent: string;
  operation: 'REST.GET.OBJECT' | 'REST.HEAD.OBJECT' | 'REST.PUT.OBJECT' | 'REST.GET.BUCKET';
  key: string | null;
  status: number;
  errorCode: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  range: string | null;
  requestId: string;
  hostId: string;
  eventId: string;
  turnAround: number;
}

export interface ManagementCall {
  time: number;
  eventName: string;
  eventSource: string;
  principal: Principal;
  ip: string;
  userAgent: string;
  requestParameters: object | null;
  responseElements: object | null;
  requestId: string;
  hostId: string;
  eventId: string;
  /** The access-log operation S3 also writes for bucket-level calls. */
  accessLogOperation: string | null;
}

export interface SampleObject { key: string; size: number; lastModified: number }

export interface Scenario {
  objects: SampleObject[];
  requests: S3Request[];
  management: ManagementCall[];
  /** Hours [from, to) for which S3 delivered no access-log file (best-effort delivery). */
  accessLogGap: [number, number];
  listingTime: number;
}

const MB = 1024 * 1024;
const at = (iso: string) => Date.parse(iso);
export const EXPOSED_AT = at('2024-03-05T14:03:11Z');
export const CLOSED_AT = at('2024-03-07T09:41:27Z');

export function buildScenario(seed = 20240305): Scenario {
  const r = new Random(seed);
  const objects: SampleObject[] = [];
  for (let d = 1; d <= 7; d++) {
    const day = `2024-03-0${d}`;
    objects.push({ key: `db/prod/northwind-prod-${day}.sql.gz`, size: 700 * MB + r.int(0, 60 * MB), lastModified: at(`${day}T01:17:00Z`) + r.int(0, 600_000) });
  }
  objects.push(
    { key: 'db/crm/crm-full-2024-02-29.bak', size: 1200 * MB + r.int(0, MB), lastModified: at('2024-02-29T02:10:00Z') },
    { key: 'db/crm/crm-full-2024-01-31.bak', size: 1150 * MB + r.int(0, MB), lastModified: at('2024-01-31T02:10:00Z') },
    { key: 'exports/customers-2024-q1.zip', size: 48 * MB + r.int(0, MB), lastModified: at('2024-03-01T09:00:00Z') },
    { key: 'exports/invoices-2023.7z', size: 95 * MB + r.int(0, MB), lastModified: at('2024-01-05T09:00:00Z') },
    { key: 'app/uploads-2024-03-03.tar.gz', size: 310 * MB + r.int(0, MB), lastModified: at('2024-03-03T03:00:00Z') },
    { key: 'pg/analytics.dump', size: 220 * MB + r.int(0, MB), lastModified: at('2024-03-02T04:00:00Z') },
    { key: 'README.txt', size: 1804, lastModified: at('2023-11-02T10:00:00Z') },
    { key: 'index.html', size: 5121, lastModified: at('2023-11-02T10:00:00Z') },
  );
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const requests: S3Request[] = [];
  const management: ManagementCall[] = [];

  const req = (o: Partial<S3Request> & Pick<S3Request, 'time' | 'ip' | 'principal' | 'userAgent' | 'operation' | 'key'>): S3Request => {
    const obj = o.key ? byKey.get(o.key) : undefined;
    const full: S3Request = {
      status: 200, errorCode: null, bytesSent: obj?.size ?? null, objectSize: obj?.size ?? null, range: null,
      requestId: r.requestId(), hostId: r.hostId(), eventId: r.uuid(), turnAround: r.int(5, 90), ...o,
    };
    requests.push(full);
    return full;
  };
  const call = (time: number, eventName: string, principal: Principal, requestParameters: object | null, extra: Partial<ManagementCall> = {}) => {
    management.push({
      time, eventName, eventSource: 's3.amazonaws.com', principal, ip: '192.0.2.10', userAgent: 'aws-cli/2.15.21 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
      requestParameters, responseElements: null, requestId: r.requestId(), hostId: r.hostId(), eventId: r.uuid(), accessLogOperation: null, ...extra,
    });
  };

  // Nightly uploads by the backup agent, before and during the exposure.
  for (const o of objects.filter((x) => x.key.startsWith('db/prod/'))) {
    req({ time: o.lastModified, ip: '192.0.2.50', principal: BACKUP_AGENT, userAgent: 'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 api/s3#1.51.1', operation: 'REST.PUT.OBJECT', key: o.key, bytesSent: null });
  }
  // A restore test by an operator through an assumed role (identity resolution: session → ops-deploy).
  const assumeAt = at('2024-03-04T10:12:03Z');
  management.push({
    time: assumeAt, eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', principal: OPS_USER, ip: '192.0.2.10',
    userAgent: 'aws-cli/2.15.21 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
    requestParameters: { roleArn: RESTORE_SESSION.issuer!.arn, roleSessionName: 'ops-deploy-restore', durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId: RESTORE_SESSION.accessKeyId, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE-SAMPLE-TOKEN', expiration: 'Mar 4, 2024, 11:12:03 AM' },
      assumedRoleUser: { assumedRoleId: RESTORE_SESSION.principalId, arn: RESTORE_SESSION.arn },
    },
    requestId: r.uuid(), hostId: '', eventId: r.uuid(), accessLogOperation: null,
  });
  req({ time: assumeAt + 95_000, ip: '192.0.2.10', principal: RESTORE_SESSION, userAgent: 'aws-cli/2.15.21 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 command/s3.cp', operation: 'REST.GET.OBJECT', key: 'db/prod/northwind-prod-2024-03-03.sql.gz' });

  // The mistake: the public access block removed, a public-read ACL, a policy for everyone.
  call(EXPOSED_AT - 83_000, 'DeletePublicAccessBlock', OPS_USER, { bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, publicAccessBlock: '' }, { accessLogOperation: 'REST.DELETE.PUBLIC_ACCESS_BLOCK' });
  call(EXPOSED_AT, 'PutBucketAcl', OPS_USER, { bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, acl: '', 'x-amz-acl': ['public-read'] }, { accessLogOperation: 'REST.PUT.ACL' });
  call(EXPOSED_AT + 29_000, 'PutBucketPolicy', OPS_USER, {
    bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, policy: '',
    bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicReadForDownloads', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] },
  }, { accessLogOperation: 'REST.PUT.BUCKETPOLICY' });

  const backups = objects.filter((o) => !/README|index/.test(o.key));
  // 203.0.113.45: looks at the bucket's web page in a browser, lists the bucket, then takes three backups whole with curl.
  let t = EXPOSED_AT + 3 * 3_600_000 + r.int(0, 600_000);
  req({ time: t - 240_000, ip: '203.0.113.45', principal: null, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', operation: 'REST.GET.OBJECT', key: 'index.html' });
  req({ time: t - 200_000, ip: '203.0.113.45', principal: null, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', operation: 'REST.GET.OBJECT', key: 'README.txt' });
  req({ time: t, ip: '203.0.113.45', principal: null, userAgent: 'curl/8.5.0', operation: 'REST.GET.BUCKET', key: null, bytesSent: 4211, objectSize: null });
  for (const key of ['db/crm/crm-full-2024-02-29.bak', 'exports/customers-2024-q1.zip', 'db/prod/northwind-prod-2024-03-05.sql.gz']) {
    t += r.int(60_000, 900_000);
    req({ time: t, ip: '203.0.113.45', principal: null, userAgent: 'curl/8.5.0', operation: 'REST.GET.OBJECT', key, turnAround: r.int(20, 60) });
  }
  // 198.51.100.23: a download manager fetching one dump in four ranges — a whole copy, assembled.
  const big = byKey.get('db/prod/northwind-prod-2024-03-04.sql.gz')!;
  const quarter = Math.ceil(big.size / 4);
  t = at('2024-03-06T03:20:00Z') + r.int(0, 300_000); // inside the access-log delivery gap for one part
  for (let i = 0; i < 4; i++) {
    const start = i * quarter;
    const end = Math.min(big.size - 1, start + quarter - 1);
    req({
      time: t + i * r.int(1_000, 4_000) + (i === 3 ? 2 * 3_600_000 : 0), ip: '198.51.100.23', principal: null, userAgent: 'aria2/1.37.0', operation: 'REST.GET.OBJECT',
      key: big.key, status: 206, bytesSent: end - start + 1, range: i === 3 ? `bytes=${start}-` : `bytes=${start}-${end}`,
    });
  }
  // 192.0.2.77: one whole copy and one download abandoned halfway (a single range, never completed).
  t = at('2024-03-06T11:02:00Z') + r.int(0, 600_000);
  req({ time: t, ip: '192.0.2.77', principal: null, userAgent: 'Wget/1.21.4', operation: 'REST.GET.OBJECT', key: 'exports/invoices-2023.7z' });
  const crm = byKey.get('db/crm/crm-full-2024-01-31.bak')!;
  req({ time: t + 400_000, ip: '192.0.2.77', principal: null, userAgent: 'Wget/1.21.4', operation: 'REST.GET.OBJECT', key: crm.key, status: 206, range: 'bytes=0-', bytesSent: Math.floor(crm.size * 0.46) });
  // 203.0.113.200: a script sweeping the bucket, HEAD then GET, over the second day.
  t = at('2024-03-06T19:40:00Z');
  for (const o of backups.filter((x) => x.size < 400 * MB)) {
    t += r.int(30_000, 240_000);
    req({ time: t, ip: '203.0.113.200', principal: null, userAgent: 'python-requests/2.31.0', operation: 'REST.HEAD.OBJECT', key: o.key, bytesSent: null });
    req({ time: t + 2_000, ip: '203.0.113.200', principal: null, userAgent: 'python-requests/2.31.0', operation: 'REST.GET.OBJECT', key: o.key });
  }
  // The fix: a public access block (closes it), then the ACL and policy cleaned up.
  call(CLOSED_AT, 'PutPublicAccessBlock', OPS_USER, {
    bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, publicAccessBlock: '',
    PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  }, { accessLogOperation: 'REST.PUT.PUBLIC_ACCESS_BLOCK' });
  call(CLOSED_AT + 151_000, 'DeleteBucketPolicy', OPS_USER, { bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, policy: '' }, { accessLogOperation: 'REST.DELETE.BUCKETPOLICY' });
  call(CLOSED_AT + 170_000, 'PutBucketAcl', OPS_USER, { bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com`, acl: '', 'x-amz-acl': ['private'] }, { accessLogOperation: 'REST.PUT.ACL' });
  // Too late: a returning downloader is refused.
  req({ time: CLOSED_AT + 3 * 3_600_000, ip: '203.0.113.45', principal: null, userAgent: 'curl/8.5.0', operation: 'REST.GET.OBJECT', key: 'db/crm/crm-full-2024-01-31.bak', status: 403, errorCode: 'AccessDenied', bytesSent: 243 });

  requests.sort((a, b) => a.time - b.time);
  management.sort((a, b) => a.time - b.time);
  return {
    objects, requests, management,
    accessLogGap: [at('2024-03-06T03:00:00Z'), at('2024-03-06T05:00:00Z')],
    listingTime: at('2024-03-07T10:30:00Z'),
  };
}
