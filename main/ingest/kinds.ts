// What kind of observation an operation is. Downloads are decided by isDownload (success only);
// everything here is by operation name alone.
import type { Kind } from '../../shared/events';

const S3_OPERATIONS: Record<string, Kind> = {
  'REST.GET.OBJECT': 'other', // a download only when it succeeded; see classifyS3
  'WEBSITE.GET.OBJECT': 'other',
  'REST.PUT.OBJECT': 'upload', 'REST.POST.OBJECT': 'upload', 'REST.POST.UPLOAD': 'upload', 'REST.POST.UPLOADS': 'upload',
  'REST.PUT.PART': 'upload', 'REST.COPY.OBJECT': 'upload', 'REST.COPY.PART': 'upload', 'REST.COPY.OBJECT_GET': 'other',
  'SOAP.PUT.OBJECT': 'upload', 'REST.POST.RESTORE': 'other',
  'REST.GET.BUCKET': 'list', 'REST.GET.BUCKETVERSIONS': 'list', 'REST.GET.UPLOADS': 'list', 'REST.GET.SERVICE': 'list',
  'REST.HEAD.OBJECT': 'head', 'REST.HEAD.BUCKET': 'head', 'WEBSITE.HEAD.OBJECT': 'head',
  'REST.DELETE.OBJECT': 'delete', 'BATCH.DELETE.OBJECT': 'delete', 'REST.POST.MULTI_OBJECT_DELETE': 'delete',
  'S3.EXPIRE.OBJECT': 'delete', 'S3.CREATE.DELETEMARKER': 'delete', 'REST.DELETE.UPLOAD': 'delete',
  'REST.PUT.ACL': 'acl-change', 'REST.PUT.OBJECT_ACL': 'acl-change', 'REST.PUT.BUCKET_ACL': 'acl-change',
  'REST.PUT.BUCKETPOLICY': 'policy-change', 'REST.DELETE.BUCKETPOLICY': 'policy-change',
  'REST.PUT.PUBLIC_ACCESS_BLOCK': 'public-access-change', 'REST.DELETE.PUBLIC_ACCESS_BLOCK': 'public-access-change',
  'REST.PUT.OWNERSHIP_CONTROLS': 'acl-change', 'REST.DELETE.OWNERSHIP_CONTROLS': 'acl-change',
  'REST.PUT.LOGGING_STATUS': 'logging-change',
};

const CLOUDTRAIL_EVENTS: Record<string, Kind> = {
  GetObject: 'other', // a download only without errorCode; see classifyCloudTrail
  PutObject: 'upload', CopyObject: 'upload', CompleteMultipartUpload: 'upload', UploadPart: 'upload', UploadPartCopy: 'upload',
  CreateMultipartUpload: 'upload', RestoreObject: 'other',
  ListObjects: 'list', ListObjectsV2: 'list', ListObjectVersions: 'list', ListBuckets: 'list', ListMultipartUploads: 'list',
  HeadObject: 'head', HeadBucket: 'head', GetObjectAttributes: 'head',
  DeleteObject: 'delete', DeleteObjects: 'delete', DeleteBucket: 'delete',
  PutBucketAcl: 'acl-change', PutObjectAcl: 'acl-change', PutBucketOwnershipControls: 'acl-change', DeleteBucketOwnershipControls: 'acl-change',
  PutBucketPolicy: 'policy-change', DeleteBucketPolicy: 'policy-change',
  PutBucketPublicAccessBlock: 'public-access-change', DeleteBucketPublicAccessBlock: 'public-access-change',
  PutPublicAccessBlock: 'public-access-change', DeletePublicAccessBlock: 'public-access-change',
  PutAccountPublicAccessBlock: 'public-access-change', DeleteAccountPublicAccessBlock: 'public-access-change',
  PutBucketLogging: 'logging-change', StopLogging: 'logging-change', StartLogging: 'logging-change', DeleteTrail: 'logging-change',
  UpdateTrail: 'logging-change', PutEventSelectors: 'logging-change', PutInsightSelectors: 'logging-change', CreateTrail: 'logging-change',
};

export function classifyS3(operation: string, status: number | null): Kind {
  if ((operation === 'REST.GET.OBJECT' || operation === 'WEBSITE.GET.OBJECT') && (status === 200 || status === 206)) return 'download';
  return S3_OPERATIONS[operation] ?? 'other';
}

export function classifyCloudTrail(eventName: string, errorCode: string | null): Kind {
  if (eventName === 'GetObject' && errorCode === null) return 'download';
  return CLOUDTRAIL_EVENTS[eventName] ?? 'other';
}
