import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { cloudTrailRecord } from '../../support/aws-standin/records';
import { newState, type Standin } from '../../support/aws-standin/server';
import { inCase, newCasePath, pull, standinForSuite } from './helpers';

const EDS_ID = 'EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
const EDS_ARN = `arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/${EDS_ID}`;
const from = '2025-06-01T00:00:00Z';
const to = '2025-09-01T00:00:00Z';

/** A Lake result row for a GetObject data event, with the aliases lake-sql.ts selects and Lake's time format. */
export function lakeRow(n: number): Record<string, string> {
  const r = cloudTrailRecord({ time: new Date(Date.parse('2025-07-01T00:00:00Z') + n * 60_000), anonymous: n % 3 === 0, key: `db/it's_${n}.sql.gz` }, n) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const row: Record<string, string> = {
    eventID: r.eventID, eventTime: (r.eventTime as string).replace('T', ' ').replace('Z', '.000'), eventSource: r.eventSource, eventName: r.eventName,
    awsRegion: r.awsRegion, sourceIPAddress: r.sourceIPAddress, userAgent: r.userAgent, requestID: r.requestID, eventType: r.eventType,
    eventCategory: r.eventCategory, recipientAccountId: r.recipientAccountId,
    userIdentityType: r.userIdentity.type, userIdentityAccountId: r.userIdentity.accountId,
    bucketName: r.requestParameters.bucketName, objectKey: r.requestParameters.key,
    bytesTransferredOut: String(r.additionalEventData.bytesTransferredOut), hostId: r.additionalEventData['x-amz-id-2'],
  };
  if (r.userIdentity.arn) Object.assign(row, { userIdentityArn: r.userIdentity.arn, userIdentityPrincipalId: r.userIdentity.principalId, userIdentityAccessKeyId: r.userIdentity.accessKeyId });
  return row;
}

describe('CloudTrail Lake pull', () => {
  let standin: Standin;
  const rows = Array.from({ length: 250 }, (_, i) => lakeRow(i));
  standinForSuite((s) => { standin = s; });
  beforeEach(() => {
    Object.assign(standin.state, newState());
    standin.state.cloudtrail.dataStores = [{ arn: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/OTHER', name: 'mgmt' }, { arn: EDS_ARN, name: 'data-events' }];
    standin.state.cloudtrail.lake.answer = () => ({ rows });
    standin.state.cloudtrail.lake.pageSize = 100;
    standin.state.cloudtrail.lake.pollsBeforeDone = 2;
    standin.requests.length = 0;
  });

  const source = { type: 'lake' as const, eventDataStore: 'data-events', bucket: 'acme-backups', keyPrefix: "db/it's_", eventNames: ['GetObject'], pollIntervalMs: 5 };

  it('pushes the filters down as escaped SQL, polls, pages the results and imports them', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source });
    const sql = String(standin.calls('cloudtrail:StartQuery')[0].json?.QueryStatement);
    assert.match(sql, new RegExp(`FROM ${EDS_ID}\\n`));
    assert.match(sql, /eventTime >= '2025-06-01 00:00:00'/);
    assert.match(sql, /eventTime <= '2025-09-01 00:00:00'/);
    assert.match(sql, /element_at\(requestParameters, 'bucketName'\) = 'acme-backups'/);
    assert.ok(sql.includes("element_at(requestParameters, 'key') LIKE 'db/it''s\\_%' ESCAPE '\\'"), sql);
    assert.match(sql, /eventName IN \('GetObject'\)/);
    assert.equal(standin.calls('cloudtrail:DescribeQuery').length, 3, 'polled until FINISHED');
    assert.equal(standin.calls('cloudtrail:GetQueryResults').length, 3);
    assert.equal(summary.records, 250);
    assert.equal(summary.import?.events, 250);

    const { evidence, events } = inCase(casePath);
    assert.equal(events, 250);
    assert.equal(evidence.length, 3);
    assert.ok(evidence.every((e) => e.format === 'lake-results' && e.rejected === 0));
    const origin = JSON.parse(evidence[0].origin);
    assert.equal(origin.api, 'cloudtrail:StartQuery+GetQueryResults');
    assert.equal(origin.queryId, standin.state.cloudtrail.lake.queries.keys().next().value);
    assert.equal(origin.parameters.QueryStatement, sql);
    assert.equal(origin.parameters.EventDataStore, EDS_ARN);
    const text = readFileSync(`${origin.run}/page-00001.json`, 'utf8');
    assert.match(text, /^\{"QueryResultRows":\[\n\[\{"eventID":/);
  });

  it('reports a failed query with its reason and imports nothing; the next pull starts a new query', async () => {
    standin.state.cloudtrail.lake.answer = () => ({ rows: [], error: 'Query was cancelled: exceeded maximum data scanned' });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source }), /CloudTrail Lake query q-1\S* ended FAILED: Query was cancelled: exceeded maximum data scanned\. Nothing was imported\./);
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0);
    standin.state.cloudtrail.lake.answer = () => ({ rows });
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(standin.calls('cloudtrail:StartQuery').length, 2);
    assert.equal(summary.import?.events, 250);
  });

  it('resumes an interrupted pull on the same query, from the page it stopped at', async () => {
    standin.state.faults.push({ op: 'cloudtrail:GetQueryResults', times: 1, code: 'ExpiredTokenException', message: 'The security token included in the request is expired', when: (r) => r.json?.NextToken === 'off-200' });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source }), /have expired \(ExpiredTokenException\)/);
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0, 'nothing half-imported');
    const seen = standin.calls('cloudtrail:GetQueryResults').length;
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(standin.calls('cloudtrail:StartQuery').length, 1, 'no second query');
    const resumed = standin.calls('cloudtrail:GetQueryResults').slice(seen);
    assert.deepEqual(resumed.map((r) => r.json?.NextToken), ['off-200']);
    assert.equal(summary.import?.events, 250);
  });

  it('runs the query again when Lake no longer knows the checkpointed one', async () => {
    standin.state.faults.push({ op: 'cloudtrail:GetQueryResults', times: 1, code: 'ExpiredTokenException', message: 'expired', when: (r) => r.json?.NextToken === 'off-100' });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source }), /have expired/);
    standin.state.cloudtrail.lake.queries.clear();
    const messages: string[] = [];
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source }, messages);
    assert.ok(messages.some((m) => /is no longer available; running the query again/.test(m)));
    assert.equal(standin.calls('cloudtrail:StartQuery').length, 2);
    assert.equal(summary.import?.events, 250);
  });

  it('a second pull adds no events', async () => {
    const casePath = newCasePath();
    await pull(casePath, { region: 'us-east-1', from, to, source });
    const second = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(second.import?.events, 0);
    assert.equal(inCase(casePath).events, 250);
  });

  it('names the event data stores it found when the one asked for is not there', async () => {
    await assert.rejects(pull(newCasePath(), { region: 'us-east-1', from, to, source: { ...source, eventDataStore: 'nope' } }), /no event data store "nope".*found: mgmt \(OTHER\), data-events \(EXAMPLE-/);
  });

  it('refuses filter values outside the allow-list before calling AWS', async () => {
    await assert.rejects(pull(newCasePath(), { region: 'us-east-1', from, to, source: { ...source, keyPrefix: "x' OR 1=1 --\n" } }), /key prefix .* is not allowed/);
    await assert.rejects(pull(newCasePath(), { region: 'us-east-1', from, to, source: { ...source, eventNames: ["GetObject') OR ('1'='1"] } }), /event name .* is not allowed/);
    assert.equal(standin.calls('cloudtrail:StartQuery').length, 0);
  });
});
