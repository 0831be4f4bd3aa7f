// Synthetic evidence at benchmark scale: S3 access-log files and gzipped CloudTrail trail files of a
// backup bucket being downloaded, shaped like the real thing (sizes, field mix, key layout).
import { once } from 'node:events';
import { appendFileSync, createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { accessLogLine, cloudTrailGetObject, hexId, seeded } from '../support/synth';

const BUCKET = 'acme-db-backups';
const START = Date.parse('2017-08-01T00:00:00Z');

function keys(rand: () => number, n: number): string[] {
  const ext = ['.sql.gz', '.bak', '.dump', '.tar.gz', '.csv', '.json', '.zip'];
  return Array.from({ length: n }, (_, i) => `backups/${2016 + (i % 3)}/${String(i % 12 + 1).padStart(2, '0')}/db-${i}${ext[Math.floor(rand() * ext.length)]}`);
}

function ips(rand: () => number, n: number): string[] {
  return Array.from({ length: n }, () => `${Math.floor(rand() * 223) + 1}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 254) + 1}`);
}

/** Writes `lines` access-log lines in files of `perFile`, named as S3 delivers them (appended 10,000 lines at a time, so a file of millions fits). */
export function writeAccessLogs(dir: string, lines: number, perFile = 10_000): { files: number; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const rand = seeded(1);
  const objectKeys = keys(rand, 500);
  const addresses = ips(rand, 300);
  const users = ['arn:aws:iam::111122223333:user/backup-bot', 'arn:aws:sts::111122223333:assumed-role/ops/alice'];
  let t = START;
  let files = 0;
  let bytes = 0;
  for (let written = 0; written < lines; files++) {
    const name = join(dir, `${new Date(t).toISOString().slice(0, 19).replace(/[T:]/g, '-')}-${hexId(rand, 16)}`);
    for (let inFile = 0; inFile < perFile && written < lines;) {
      const out: string[] = [];
      for (let i = 0; i < 10_000 && inFile < perFile && written < lines; i++, inFile++, written++) {
        t += Math.floor(rand() * 3000);
        const r = rand();
        const size = 1_000_000 + Math.floor(rand() * 50_000_000);
        const ranged = r < 0.1;
        out.push(accessLogLine({
          time: t, bucket: BUCKET, key: objectKeys[Math.floor(rand() * objectKeys.length)], ip: addresses[Math.floor(rand() * addresses.length)],
          requester: rand() < 0.9 ? null : users[Math.floor(rand() * users.length)], requestId: hexId(rand, 16), hostId: `${hexId(rand, 56)}=`,
          operation: r < 0.75 ? 'REST.GET.OBJECT' : r < 0.85 ? 'REST.HEAD.OBJECT' : 'REST.GET.BUCKET',
          status: r > 0.95 ? 403 : ranged ? 206 : 200, bytesSent: ranged ? 8_388_608 : size, objectSize: size,
          userAgent: rand() < 0.5 ? 'aws-cli/2.13.0 Python/3.11.4 Linux/5.15 exe/x86_64.ubuntu.22' : 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Safari/537.36',
        }));
      }
      const text = `${out.join('\n')}\n`;
      appendFileSync(name, text);
      bytes += text.length;
    }
  }
  return { files, bytes };
}

/** Writes `records` CloudTrail GetObject data events as gzipped trail files in the AWSLogs tree. */
export function writeTrailFiles(dir: string, records: number, perFile = 1000): { files: number; bytes: number } {
  const rand = seeded(2);
  const objectKeys = keys(rand, 500);
  const addresses = ips(rand, 300);
  let t = START;
  let files = 0;
  let bytes = 0;
  for (let written = 0; written < records; files++) {
    const recs: object[] = [];
    for (let i = 0; i < perFile && written < records; i++, written++) {
      t += Math.floor(rand() * 3000);
      recs.push(cloudTrailGetObject({
        time: t, bucket: BUCKET, key: objectKeys[Math.floor(rand() * objectKeys.length)], ip: addresses[Math.floor(rand() * addresses.length)],
        requester: rand() < 0.9 ? null : 'arn:aws:iam::111122223333:user/backup-bot', requestId: hexId(rand, 16), hostId: `${hexId(rand, 56)}=`,
        eventId: `${hexId(rand, 8)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 12)}`.toLowerCase(), bytesSent: Math.floor(rand() * 50_000_000),
      }));
    }
    const d = new Date(t);
    const day = join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0'));
    mkdirSync(day, { recursive: true });
    const stamp = d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', 'T');
    const gz = gzipSync(`{"Records":[${recs.map((r) => JSON.stringify(r)).join(',')}]}`);
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_${stamp}Z_${hexId(rand, 16)}.json.gz`), gz);
    bytes += gz.length;
  }
  return { files, bytes };
}

/**
 * A hostile trail file: one record whose user agent is `userAgentMB` MB of one letter, so 600 KB of
 * gzip inflate to 600 MB. Streamed through gzip, never held whole.
 */
export async function writeHostileTrailFile(path: string, userAgentMB: number): Promise<number> {
  const gz = createGzip();
  const done = pipeline(gz, createWriteStream(path));
  const [head, tail] = JSON.stringify({ Records: [cloudTrailGetObject({ time: START, bucket: BUCKET, key: 'k', ip: '192.0.2.1', requestId: 'R', hostId: 'H', eventId: 'hostile', userAgent: '\u0000' })] }).split('\\u0000');
  gz.write(head);
  const mb = Buffer.alloc(1 << 20, 0x41);
  for (let i = 0; i < userAgentMB; i++) if (!gz.write(mb)) await once(gz, 'drain');
  gz.end(tail);
  await done;
  return statSync(path).size;
}

/**
 * The same GET requests logged twice: an access log (`<dir>/s3`, one file per 50,000 lines) and a
 * CloudTrail trail (`<dir>/cloudtrail`, gzipped files of 1,000 records), with the same request IDs,
 * times, keys, addresses and requesters, so importing the second source merges into every download
 * the first one brought (a tenth of them by named principals, the rest anonymous from 300 addresses).
 */
export function writeMergedSources(dir: string, requests: number): { s3: string; cloudtrail: string } {
  const rand = seeded(3);
  const objectKeys = keys(rand, 500);
  const addresses = ips(rand, 300);
  const users = ['arn:aws:iam::111122223333:user/backup-bot', 'arn:aws:iam::111122223333:user/alice'];
  const s3 = join(dir, 's3');
  const cloudtrail = join(dir, 'cloudtrail');
  mkdirSync(s3, { recursive: true });
  let t = START;
  let lines: string[] = [];
  let records: object[] = [];
  let s3Files = 0;
  let ctFiles = 0;
  const flushLog = () => { if (lines.length) writeFileSync(join(s3, `access-${String(++s3Files).padStart(5, '0')}`), `${lines.join('\n')}\n`); lines = []; };
  const flushTrail = () => {
    if (!records.length) return;
    const day = join(cloudtrail, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2017', '08', '01');
    mkdirSync(day, { recursive: true });
    writeFileSync(join(day, `111122223333_CloudTrail_us-east-1_20170801T0000Z_${String(++ctFiles).padStart(6, '0')}.json.gz`), gzipSync(`{"Records":[${records.map((r) => JSON.stringify(r)).join(',')}]}`));
    records = [];
  };
  for (let i = 0; i < requests; i++) {
    t += Math.floor(rand() * 3000);
    const size = 1_000_000 + Math.floor(rand() * 50_000_000);
    const r = {
      time: t, bucket: BUCKET, key: objectKeys[Math.floor(rand() * objectKeys.length)], ip: addresses[Math.floor(rand() * addresses.length)],
      requester: rand() < 0.9 ? null : users[Math.floor(rand() * users.length)], requestId: hexId(rand, 16), hostId: `${hexId(rand, 56)}=`,
      bytesSent: size, objectSize: size, status: 200,
    };
    lines.push(accessLogLine(r));
    records.push(cloudTrailGetObject({ ...r, eventId: `${hexId(rand, 8)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 4)}-${hexId(rand, 12)}`.toLowerCase() }));
    if (lines.length === 50_000) flushLog();
    if (records.length === 1000) flushTrail();
  }
  flushLog();
  flushTrail();
  return { s3, cloudtrail };
}
