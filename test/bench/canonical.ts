// The cost of reading canonical records instead of raw text: a case of N marked events (AssumeRole, the
// most numerous kind the analysis reads in full) imported as a trail file and as LookupEvents output,
// then the identity events read three ways: raw text only; raw text + JSON.parse (what the rules did
// before); the canonical reading (canonical-records.ts), which is what they do now. Also the first
// identity index of a fresh connection. Called by run.ts as benchCanonical(workDir); BENCH_MARKED_EVENTS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_EVENTS_SQL, identityIndex } from '../../main/case/analysis';
import { canonicalRecords, type RecordRef } from '../../main/case/canonical-records';
import { all, openReadable } from '../../main/case/db';
import { rawRecords } from '../../main/case/raw-records';
import { importPaths } from '../../main/import/run-import';
import { wrap, type Rec } from '../support/envelopes';
import { secondsSince } from './clock';
import type { Row } from './row';

function assumeRoles(n: number): Rec[] {
  const t0 = Date.parse('2024-03-01T00:00:00Z');
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const session = `s${i}`;
    out.push({
      eventVersion: '1.09', eventTime: new Date(t0 + i * 1000).toISOString(), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole',
      awsRegion: 'us-east-1', sourceIPAddress: 'ec2.amazonaws.com', userAgent: 'ec2.amazonaws.com', eventID: `bench-${i}`, requestID: `r-${i}`,
      userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' }, recipientAccountId: '111122223333', eventType: 'AwsApiCall',
      requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/app', roleSessionName: session },
      responseElements: { credentials: { accessKeyId: `ASIA${String(i).padStart(16, '0')}`, expiration: 'x', sessionToken: 'y' }, assumedRoleUser: { arn: `arn:aws:sts::111122223333:assumed-role/app/${session}`, assumedRoleId: `AROA:${session}` } },
    });
  }
  return out;
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

export async function benchCanonical(work: string): Promise<Row[]> {
  const n = Number(process.env.BENCH_MARKED_EVENTS ?? 100_000);
  const records = assumeRoles(n);
  const rows: Row[] = [];
  for (const [label, build] of [['trail file', wrap.trailFile], ['lookup-events', wrap.lookupEvents]] as const) {
    const file = build(records);
    const path = join(work, `canonical-${file.name}`);
    writeFileSync(path, file.bytes);
    const casePath = join(work, `canonical-${label.replace(/\W/g, '')}.sqlite`);
    await importPaths(casePath, [path]);
    const db = openReadable(casePath);
    try {
      const refs = all<{ id: number } & RecordRef>(db, IDENTITY_EVENTS_SQL(0));
      // Best of three runs each, interleaved: the machine is shared, and the best run is the cost itself.
      const best = [Infinity, Infinity, Infinity];
      let canonical: ReturnType<typeof canonicalRecords<{ id: number } & RecordRef>> = [];
      for (let round = 0; round < 3; round++) {
        let t = process.hrtime.bigint();
        rawRecords(db, refs);
        best[0] = Math.min(best[0], secondsSince(t));
        t = process.hrtime.bigint();
        for (const r of rawRecords(db, refs)) JSON.parse(r.raw);
        best[1] = Math.min(best[1], secondsSince(t));
        t = process.hrtime.bigint();
        canonical = canonicalRecords(db, refs);
        best[2] = Math.min(best[2], secondsSince(t));
      }
      const [rawOnly, parsed, read] = best;
      if (canonical.length !== refs.length || canonical.some((c) => c.record === null)) throw new Error('a marked event has no canonical record');
      const t = process.hrtime.bigint();
      identityIndex(db);
      const index = secondsSince(t);
      rows.push(
        { name: `${label}: raw text only`, value: ms(rawOnly), note: `${refs.length.toLocaleString('en')} identity events` },
        { name: `${label}: raw text + JSON.parse (the rules before)`, value: ms(parsed) },
        { name: `${label}: canonical records (the rules now)`, value: ms(read), note: `${(read / refs.length * 1e6).toFixed(1)} µs per event` },
        { name: `${label}: first identity index of a connection`, value: ms(index) },
      );
    } finally {
      db.close();
    }
  }
  return rows;
}

if (require.main === module) {
  const work = require('node:fs').mkdtempSync(join(require('node:os').tmpdir(), 'trailmark-bench-')) as string;
  benchCanonical(work).then((rows) => {
    for (const r of rows) console.log(`${r.name.padEnd(56)} ${r.value}${r.note ? `   (${r.note})` : ''}`);
  }).finally(() => require('node:fs').rmSync(work, { recursive: true, force: true }));
}
