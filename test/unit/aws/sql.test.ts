import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { athenaQuery, checkLocation, createTableSql, isPartitionedLocation } from '../../../main/aws/athena-sql';
import { lakeQuery } from '../../../main/aws/lake-sql';
import { checkKeyPrefix, likePrefix, literal, QueryValueError } from '../../../main/aws/query-values';

const from = new Date('2025-07-01T00:00:00Z');
const to = new Date('2025-07-02T06:30:00Z');

describe('SQL built from investigator input', () => {
  it('quotes literals and escapes LIKE wildcards', () => {
    assert.equal(literal("it's"), "'it''s'");
    assert.equal(likePrefix('db_2025/50%/'), "'db\\_2025/50\\%/%'");
    assert.equal(checkKeyPrefix('Résumés/année 2025/'), 'Résumés/année 2025/');
  });

  it('refuses what the allow-lists do not hold, naming the value', () => {
    for (const bad of ["a\\' --", 'a\nb', 'a"b', 'a`b', 'a\u0000b', 'x'.repeat(1025)]) {
      assert.throws(() => lakeQuery('eds', { from, to, keyPrefix: bad }), QueryValueError, JSON.stringify(bad));
    }
    assert.throws(() => lakeQuery('eds', { from, to, bucket: 'Acme_Backups' }), /bucket "Acme_Backups" is not allowed/);
    assert.throws(() => lakeQuery("eds; DROP", { from, to }), /event data store ID/);
    assert.throws(() => athenaQuery('access-log', 'db', 'tbl', false, { from, to, operations: ["REST.GET.OBJECT') OR (1=1"] }), /operation .* is not allowed/);
    assert.throws(() => athenaQuery('access-log', 'db-x', 'tbl', false, { from, to }), /Athena database "db-x" is not allowed/);
    assert.throws(() => createTableSql('access-log', 'db', 'tbl', "s3://acme-logs/x'/", from), /must be s3:\/\/bucket\/prefix/);
  });

  it('writes the Lake query with the window and filters', () => {
    const q = lakeQuery('EXAMPLE-eds', { from, to, bucket: 'acme-backups', keyPrefix: 'prod/', eventNames: ['GetObject', 'HeadObject'] });
    assert.match(q, /^SELECT eventID, eventTime, .*userIdentity\.arn AS userIdentityArn.*element_at\(additionalEventData, 'bytesTransferredOut'\) AS bytesTransferredOut/);
    assert.match(q, /\nFROM EXAMPLE-eds\nWHERE eventTime >= '2025-07-01 00:00:00'\n {2}AND eventTime <= '2025-07-02 06:30:00'/);
    assert.match(q, /eventName IN \('GetObject', 'HeadObject'\)/);
  });

  it('selects the CloudTrail request, response and additionalEventData whole from Athena, for the rules that need them', () => {
    const q = athenaQuery('cloudtrail', 'db', 'tbl', false, { from, to });
    assert.match(q, /AS hostId, requestParameters, responseElements, additionalEventData, "\$path" AS source_file\nFROM/);
  });

  it('prunes Athena partitions by day and compares times as timestamps', () => {
    const q = athenaQuery('access-log', 'db', 'tbl', true, { from, to });
    assert.match(q, /"timestamp" BETWEEN '2025\/07\/01' AND '2025\/07\/03'/);
    assert.match(q, /parse_datetime\(requestdatetime, 'dd\/MMM\/yyyy:HH:mm:ss Z'\) BETWEEN from_iso8601_timestamp\('2025-07-01T00:00:00Z'\) AND from_iso8601_timestamp\('2025-07-02T06:30:00Z'\)/);
    assert.doesNotMatch(athenaQuery('access-log', 'db', 'tbl', false, { from, to }), /"timestamp"/);
  });

  it('creates partition projection only over day-partitioned locations', () => {
    assert.equal(isPartitionedLocation('access-log', 's3://acme-logs/p/111122223333/eu-west-1/acme-backups/'), true);
    assert.equal(isPartitionedLocation('access-log', 's3://acme-logs/access/'), false);
    assert.equal(isPartitionedLocation('cloudtrail', 's3://acme-logs/AWSLogs/111122223333/CloudTrail/eu-west-1/'), true);
    const ct = createTableSql('cloudtrail', 'db', 'ct', 's3://acme-logs/AWSLogs/111122223333/CloudTrail/eu-west-1', new Date('2024-01-01T00:00:00Z'));
    assert.match(ct, /LOCATION 's3:\/\/acme-logs\/AWSLogs\/111122223333\/CloudTrail\/eu-west-1\/'/);
    assert.match(ct, /'projection\.timestamp\.range'='2024\/01\/01,NOW'/);
    assert.match(ct, /com\.amazon\.emr\.cloudtrail\.CloudTrailInputFormat/);
    const flat = createTableSql('access-log', 'db', 'al', 's3://acme-logs/access/', from);
    assert.doesNotMatch(flat, /PARTITIONED BY|projection/);
    assert.equal(checkLocation('s3://acme-logs/access'), 's3://acme-logs/access/');
  });
});
