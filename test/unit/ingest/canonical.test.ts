// The canonical reading of a stored record: the record itself, the inner record of a LookupEvents
// Event, or a record rebuilt from a Lake / Athena row that says which fields the row told.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { canonicalRecord } from '../../../main/ingest/canonical';
import { REBUILT, tells, type Rebuilt } from '../../../main/ingest/canonical-record';
import { parseLookupEvent } from '../../../main/ingest/formats/lookup-events';
import { athenaRow, lakeRow } from '../../support/envelopes';
import { fixture, publicSample } from '../../support/paths';

test('a LookupEvents Event reads as its CloudTrailEvent; the event parsed from it keeps the Event as raw', () => {
  const line = readFileSync(publicSample('plaso', 'aws_cloudtrail.jsonl'), 'utf8').split('\n')[0];
  const record = canonicalRecord('lookup-events-lines', line)!;
  const inner = JSON.parse((JSON.parse(line) as { CloudTrailEvent: string }).CloudTrailEvent) as Record<string, unknown>;
  assert.deepEqual(record, inner);
  assert.equal(canonicalRecord('lookup-events', line)?.eventID, '0828c0d2-3589-4390-b954-c78b4a7df44b');
  const event = parseLookupEvent(line, 1);
  assert.ok(event && !('reject' in event));
  assert.equal(event.raw, line);
  assert.equal(event.time, Date.parse(record.eventTime as string));
});

test('a LookupEvents record without eventTime takes the Event\'s EventTime, offset honoured, as the parse does', () => {
  const line = JSON.stringify({ EventId: 'e1', EventTime: '2022-02-08 09:23:37+11:00', CloudTrailEvent: JSON.stringify({ eventName: 'ListBuckets', eventID: 'e1' }) });
  assert.equal(canonicalRecord('lookup-events', line)?.eventTime, '2022-02-07T22:23:37.000Z');
});

test('Lake and Athena rows are rebuilt and say what they told: a flat column is not the whole object', () => {
  const rec = {
    eventTime: '2024-03-01T10:05:00Z', eventName: 'PutBucketAcl', eventID: 'e2', eventSource: 's3.amazonaws.com', recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333' },
    requestParameters: { bucketName: 'b', 'x-amz-acl': ['public-read'] }, responseElements: null,
  };
  const lake = canonicalRecord('lake-results', JSON.stringify(lakeRow(rec)))!;
  assert.equal((lake[REBUILT] as Rebuilt).from, 'lake-results');
  assert.deepEqual(lake.requestParameters, { bucketName: 'b' });
  assert.equal(tells(lake, 'requestParameters.bucketName'), true);
  assert.equal(tells(lake, 'requestParameters'), false);
  assert.equal(tells(lake, 'responseElements'), false);
  assert.equal(lake.eventTime, '2024-03-01T10:05:00.000Z');

  const athena = canonicalRecord('athena-results', JSON.stringify(athenaRow(rec)))!;
  assert.deepEqual(athena.requestParameters, rec.requestParameters);
  assert.equal(tells(athena, 'requestParameters'), true);
  assert.equal(tells(athena, 'responseElements'), true, 'selected but null: told, and absent');
  assert.equal(athena.responseElements, undefined);
  assert.equal(tells(athena, 'userIdentity.sessionContext'), false);

  const flat = canonicalRecord('athena-results', JSON.stringify(athenaRow(rec, false)))!;
  assert.equal(tells(flat, 'requestParameters'), false);
  // A trail record tells everything, including fields it does not have.
  assert.equal(tells(rec, 'responseElements'), true);
});

test('an Athena access-log row carries no CloudTrail record', () => {
  const { AthenaRows } = JSON.parse(readFileSync(fixture('aws', 'athena-access-log-rows.json'), 'utf8')) as { AthenaRows: unknown[] };
  assert.equal(canonicalRecord('athena-results', JSON.stringify(AthenaRows[0])), null);
});
