import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { RateLimiter } from '../../../main/aws/limiter';
import { classifySegment, cloudTrailRegionOf, daysBetween, descend, logKindOf, parseS3Uri, safeRelativePath, segmentsOf } from '../../../main/aws/s3-layout';

describe('log key layouts', () => {
  it('lists the UTC days of a range, with a day of slack after it', () => {
    const days = daysBetween(new Date('2025-02-27T23:00:00+05:00'), new Date('2025-03-01T01:00:00Z'));
    assert.deepEqual(days.map((d) => d.toISOString().slice(0, 10)), ['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    assert.throws(() => daysBetween(new Date('2000-01-01'), new Date('2025-01-01')), /at most ten years/);
  });

  it('walks only the layouts\' own folders', () => {
    assert.deepEqual(['AWSLogs', '111122223333', 'o-a1b2c3d4e5', 'CloudTrail', 'CloudTrail-Digest', 'eu-west-1', 'us-gov-west-1', '2025', 'access'].map(classifySegment),
      ['AWSLogs', 'account', 'org', 'cloudtrail', 'cloudtrail', 'region', 'region', 'year', 'other']);
    assert.deepEqual(segmentsOf('logs/AWSLogs/111122223333/'), ['other', 'AWSLogs', 'account']);
    assert.equal(descend(['AWSLogs', 'account'], 'cloudtrail', null, 'CloudTrail'), true);
    assert.equal(descend(['AWSLogs', 'account'], 'other', null, 'Config'), false, 'other services\' logs are skipped');
    assert.equal(descend(['AWSLogs', 'account', 'cloudtrail'], 'region', ['eu-west-1'], 'us-east-1'), false, 'regions not asked for are skipped');
    assert.equal(descend(['account', 'region'], 'other', null, 'acme-backups'), true, 'the source bucket folder of partitioned access logs');
    assert.equal(descend([], 'other', null, 'access'), true);
    assert.equal(descend(['other'], 'other', null, 'deeper'), false);
    assert.equal(descend(['AWSLogs'], 'org', null, 'o-a1b2c3d4e5'), true, 'organization trails');
    assert.equal(descend(['AWSLogs', 'org'], 'account', null, '111122223333'), true);
    assert.equal(descend(['AWSLogs', 'org', 'account'], 'cloudtrail', null, 'CloudTrail'), true);
  });

  it('tells log kinds and regions from keys', () => {
    assert.equal(logKindOf('AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2025/03/01/x.json.gz'), 'cloudtrail-digest');
    assert.equal(logKindOf('AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2025/03/01/x.json.gz'), 'cloudtrail');
    assert.equal(logKindOf('access/2025-03-01-00-00-00-ABCDEF'), 'access-log');
    assert.equal(cloudTrailRegionOf('AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2025/03/01/x.json.gz'), 'eu-west-1');
  });

  it('maps keys to local paths that stay inside their folder', () => {
    assert.equal(safeRelativePath('a/../../etc/passwd'), 'a/%2E%2E/%2E%2E/etc/passwd');
    assert.equal(safeRelativePath('/x//y:z*?.gz'), '%20/x/%20/y%3Az%2A%3F.gz');
    assert.equal(safeRelativePath('logs/2025-03-01-00-00-00-AB'), 'logs/2025-03-01-00-00-00-AB');
  });

  it('parses s3:// URIs and refuses bucket names S3 would not', () => {
    assert.deepEqual(parseS3Uri('s3://acme-logs/AWSLogs/'), { bucket: 'acme-logs', prefix: 'AWSLogs/' });
    assert.deepEqual(parseS3Uri('s3://acme-logs'), { bucket: 'acme-logs', prefix: '' });
    assert.throws(() => parseS3Uri('https://acme-logs.s3.amazonaws.com/'), /not an s3:\/\/bucket\/prefix URI/);
    assert.throws(() => parseS3Uri('s3://Acme_Logs/'), /not a valid S3 bucket name/);
  });
});

describe('rate limiter', () => {
  it('spaces calls evenly at the rate given', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const limiter = new RateLimiter(2);
      const started: number[] = [];
      const calls = [0, 1, 2, 3].map(() => limiter.take().then(() => started.push(Date.now())));
      await Promise.resolve();
      for (let i = 0; i < 4; i++) {
        mock.timers.tick(500);
        await new Promise((r) => setImmediate(r));
      }
      await Promise.all(calls);
      assert.deepEqual(started.map((t) => t - started[0]), [0, 500, 1000, 1500]);
    } finally {
      mock.timers.reset();
    }
  });
});
