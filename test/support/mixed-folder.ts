// A small, realistic evidence folder: access logs and gzipped trail files (in the AWSLogs/… tree)
// recording the same anonymous downloads of backup files, one bad log line, a digest and a stray file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessLogLine, cloudTrailGetObject, gzipTrailFile } from './synth';

export const BUCKET = 'voter-backups';
export const T0 = Date.parse('2017-08-12T03:11:40Z');

export const REQUESTS = [
  { time: T0, key: 'db/voters-2017.sql.gz', ip: '198.51.100.7', requestId: 'A1B2C3D4E5F60001', hostId: 'aG9zdDE=', bytesSent: 5000, objectSize: 5000, status: 200 },
  { time: T0 + 60_000, key: 'db/voters-2016.bak', ip: '203.0.113.9', requestId: 'A1B2C3D4E5F60002', hostId: 'aG9zdDI=', bytesSent: 1000, objectSize: 9000, status: 206 },
  { time: T0 + 120_000, key: 'db/voters 2015.dump', ip: '198.51.100.7', requestId: 'A1B2C3D4E5F60003', hostId: 'aG9zdDM=', bytesSent: 7000, objectSize: 7000, status: 200 },
];

export function writeMixedFolder(dir: string): { root: string; badLine: number } {
  const logs = join(dir, 'access-logs');
  const trail = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2017', '08', '12');
  mkdirSync(logs, { recursive: true });
  mkdirSync(trail, { recursive: true });
  const lines = REQUESTS.map((r) => accessLogLine({ ...r, bucket: BUCKET }));
  // A listing and a HEAD are events but not downloads; a 403 is not a download either.
  lines.push(accessLogLine({ ...REQUESTS[0], requestId: 'A1B2C3D4E5F60004', operation: 'REST.HEAD.OBJECT', bucket: BUCKET }));
  lines.push(accessLogLine({ ...REQUESTS[0], requestId: 'A1B2C3D4E5F60005', status: 403, bytesSent: 243, bucket: BUCKET }));
  lines.splice(2, 0, 'this line was cut short by a broken copy');
  writeFileSync(join(logs, '2017-08-12-03-20-11-0A1B2C3D4E5F6A7B'), `${lines.join('\n')}\n`);
  // CloudTrail saw the first two requests (data events), not the third.
  const records = REQUESTS.slice(0, 2).map((r, i) => cloudTrailGetObject({ ...r, bucket: BUCKET, eventId: `0000000${i}-aaaa-bbbb-cccc-dddddddddddd` }));
  writeFileSync(join(trail, '111122223333_CloudTrail_us-east-1_20170812T0315Z_abcdefgh.json.gz'), gzipTrailFile(records));
  writeFileSync(join(dir, 'notes.txt'), 'investigator scratch notes\n');
  return { root: dir, badLine: 3 };
}
