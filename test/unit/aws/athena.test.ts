import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { ACCESS_LOG_COLUMNS } from '../../../main/aws/athena-sql';
import { accessLogLine } from '../../support/aws-standin/buckets';
import { cloudTrailRecord } from '../../support/aws-standin/records';
import { newState, type Standin } from '../../support/aws-standin/server';
import { inCase, newCasePath, pull, standinForSuite } from './helpers';

const from = '2025-03-01T00:00:00Z';
const to = '2025-03-03T00:00:00Z';
const LOCATION = 's3://acme-logs/partitioned/111122223333/us-east-1/acme-backups/';

/** What the documented RegexSerDe table makes of an access-log line. */
function accessRow(n: number): (string | null)[] {
  const line = accessLogLine(new Date(Date.parse('2025-03-01T10:00:00Z') + n * 1000), n, `backups/full ${n}.tar.gz`.replace(/ /g, '+'));
  const m = /^(\S+) (\S+) \[(.*?)\] (\S+) (\S+) (\S+) (\S+) (\S+) ("[^"]*"|-) (-|\d+) (\S+) (\S+) (\S+) (\S+) (\S+) ("[^"]*"|-) ("[^"]*"|-) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)/.exec(line)!;
  return [...m.slice(1, 27).map((v) => v), `${LOCATION}2025/03/01/2025-03-01-10-00-00-ABC`];
}

describe('Athena pull', () => {
  let standin: Standin;
  standinForSuite((s) => { standin = s; });
  beforeEach(() => {
    Object.assign(standin.state, newState());
    standin.state.athena.pageSize = 4; // header + 3 rows, then 4 rows a page
    standin.state.athena.pollsBeforeDone = 2;
    standin.state.athena.answer = () => ({ columns: [...ACCESS_LOG_COLUMNS, 'source_file'], rows: Array.from({ length: 10 }, (_, i) => accessRow(i)) });
    standin.requests.length = 0;
  });

  const source = {
    type: 'athena' as const, table: 'trailmark.acme_access', bucket: 'acme-backups', keyPrefix: 'backups/', operations: ['REST.GET.OBJECT'],
    workgroup: 'primary', outputLocation: 's3://acme-athena-results/trailmark/', create: { kind: 'access-log' as const, location: LOCATION }, pollIntervalMs: 5,
  };

  it('creates the documented access-log table with partition projection, runs the query and imports every page', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source });
    const starts = standin.calls('athena:StartQueryExecution');
    assert.equal(starts.length, 2);
    const ddl = String(starts[0].json?.QueryString);
    assert.match(ddl, /^CREATE EXTERNAL TABLE IF NOT EXISTS `trailmark`\.`acme_access` \(/);
    assert.match(ddl, /PARTITIONED BY \(`timestamp` string\)/);
    assert.match(ddl, /'projection\.timestamp\.format'='yyyy\/MM\/dd'/);
    assert.ok(ddl.includes(`'storage.location.template'='${LOCATION}\${timestamp}'`));
    assert.match(ddl, /org\.apache\.hadoop\.hive\.serde2\.RegexSerDe/);
    const query = String(starts[1].json?.QueryString);
    assert.match(query, /"timestamp" BETWEEN '2025\/03\/01' AND '2025\/03\/04'/);
    assert.match(query, /bucket_name = 'acme-backups'/);
    assert.ok(query.includes("url_decode(key) LIKE 'backups/%' ESCAPE '\\'"), query);
    assert.match(query, /operation IN \('REST\.GET\.OBJECT'\)/);
    assert.deepEqual(starts[1].json?.QueryExecutionContext, { Database: 'trailmark' });
    assert.equal(starts[1].json?.WorkGroup, 'primary');
    assert.deepEqual(starts[1].json?.ResultConfiguration, { OutputLocation: 's3://acme-athena-results/trailmark/' });

    assert.equal(summary.records, 10, 'the header row is not a record');
    assert.equal(summary.import?.events, 10);
    const { evidence, events } = inCase(casePath);
    assert.equal(events, 10);
    assert.equal(evidence.length, 3);
    assert.ok(evidence.every((e) => e.format === 'athena-results' && e.rejected === 0), JSON.stringify(evidence.map((e) => [e.format, e.rejected])));
    const origin = JSON.parse(evidence[0].origin);
    assert.equal(origin.queryExecutionId, 'ath-2');
    assert.equal(origin.parameters.QueryString, query);
    assert.equal(origin.parameters.TableKind, 'access-log');
  });

  it('reuses an existing CloudTrail table and reads its rows as CloudTrail events', async () => {
    standin.state.athena.tables.set('trailmark.cloudtrail_logs', { columns: ['eventversion', 'useridentity', 'eventtime', 'eventname', 'requestparameters'], partitionKeys: ['timestamp'] });
    const cols = ['eventid', 'eventtime', 'eventsource', 'eventname', 'awsregion', 'sourceipaddress', 'useragent', 'errorcode', 'requestid', 'useridentitytype', 'useridentityaccountid', 'bucketname', 'objectkey', 'bytestransferredout', 'hostid'];
    standin.state.athena.answer = () => ({
      columns: cols,
      rows: Array.from({ length: 5 }, (_, i) => {
        const r = cloudTrailRecord({ time: new Date(Date.parse('2025-03-01T12:00:00Z') + i * 1000), anonymous: true }, i) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        return [r.eventID, r.eventTime, r.eventSource, r.eventName, r.awsRegion, r.sourceIPAddress, r.userAgent, null, r.requestID, 'AWSAccount', 'ANONYMOUS_PRINCIPAL', 'acme-backups', r.requestParameters.key, '1048576', r.additionalEventData['x-amz-id-2']];
      }),
    });
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'athena', table: 'trailmark.cloudtrail_logs', bucket: 'acme-backups', operations: ['GetObject'], pollIntervalMs: 5 } });
    const starts = standin.calls('athena:StartQueryExecution');
    assert.equal(starts.length, 1, 'no DDL for an existing table');
    const query = String(starts[0].json?.QueryString);
    assert.match(query, /json_extract_scalar\(requestParameters, '\$\.bucketName'\) = 'acme-backups'/);
    assert.match(query, /eventName IN \('GetObject'\)/);
    assert.match(query, /"timestamp" BETWEEN/);
    assert.equal(summary.import?.events, 5);
    const { evidence } = inCase(casePath);
    assert.ok(evidence.every((e) => e.format === 'athena-results' && e.rejected === 0));
  });

  it('a failed query is reported with Athena\'s reason and nothing is imported', async () => {
    standin.state.athena.answer = () => ({ columns: [], rows: [], error: 'HIVE_BAD_DATA: Error parsing field value' });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source }), /Athena query ath-2 FAILED: HIVE_BAD_DATA: Error parsing field value\. Nothing was imported\./);
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0);
  });

  it('an interrupted pull pages on from the same query execution', async () => {
    standin.state.faults.push({ op: 'athena:GetQueryResults', times: 1, status: 400, code: 'ExpiredTokenException', message: 'The security token included in the request is expired', when: (r) => r.json?.NextToken === 'off-8' });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source }), /Athena query on trailmark\.acme_access in us-east-1: the AWS credentials of profile "standin" have expired/);
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0, 'nothing half-imported');
    const seen = standin.calls('athena:GetQueryResults').length;
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(standin.calls('athena:StartQueryExecution').length, 2, 'the table and the query, once each');
    assert.deepEqual(standin.calls('athena:GetQueryResults').slice(seen).map((r) => r.json?.NextToken), ['off-8']);
    assert.equal(summary.import?.events, 10);
  });

  it('asks for the table\'s kind and location when it does not exist', async () => {
    await assert.rejects(pull(newCasePath(), { region: 'us-east-1', from, to, source: { ...source, create: undefined } }), /table trailmark\.acme_access does not exist; give its kind and log location/);
  });

  it('throttled Athena calls are retried; a second pull adds no events', async () => {
    standin.state.faults.push({ op: 'athena:GetQueryResults', times: 1, status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    const casePath = newCasePath();
    const first = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(first.import?.events, 10);
    const second = await pull(casePath, { region: 'us-east-1', from, to, source });
    assert.equal(second.import?.events, 0);
    assert.equal(inCase(casePath).events, 10);
  });
});
