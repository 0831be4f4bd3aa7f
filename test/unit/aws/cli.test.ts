import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { logBucket } from '../../support/aws-standin/buckets';
import { PROFILE, standinEnv } from '../../support/aws-standin/env';
import { lookupEvents } from '../../support/aws-standin/records';
import { startStandin, type Standin } from '../../support/aws-standin/server';
import { inCase, newCasePath } from './helpers';

const BIN = join(__dirname, '../../../../bin/trailmark.js');
const DAY = 86400_000;

/** The environment of a user's shell: nothing AWS-related but what the test gives. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return { ...env, ...extra };
}

function trailmark(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  // Asynchronous on purpose: the stand-in answering the child lives in this process's event loop.
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('trailmark pull (spawned CLI)', () => {
  let standin: Standin;
  const now = new Date();
  before(async () => {
    standin = await startStandin();
    standin.state.cloudtrail.events = { 'us-east-1': lookupEvents(60, now) };
    const today = Math.floor(Date.now() / DAY) * DAY;
    standin.state.s3.buckets.set('acme-logs', logBucket([5, 4].map((n) => ({ day: new Date(today - n * DAY), accessLines: 3, trailRecords: 2 }))));
  });
  after(() => standin.close());

  it('reaches the stand-in through AWS_ENDPOINT_URL and a profile from AWS_CONFIG_FILE', async () => {
    const casePath = newCasePath();
    const from = new Date(now.getTime() - 2 * DAY).toISOString();
    const r = await trailmark(['pull', '--case', casePath, '--profile', PROFILE, '--lookup', '--from', from, '--to', now.toISOString(), '--examiner', 'J. Examiner'], childEnv(standinEnv(standin.url)));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /AWS account 111122223333 as arn:aws:iam::111122223333:user\/examiner, region us-east-1/);
    assert.match(r.stderr, /LookupEvents us-east-1: page 2, 10 events \(last page\)/);
    assert.match(r.stdout, /Pulled lookup from account 111122223333 .*: 60 record\(s\) in 2 file\(s\)/);
    assert.match(r.stdout, /Imported 2 file\(s\): 60 events/);
    assert.equal(standin.calls('sts:GetCallerIdentity').length, 1);
    assert.equal(inCase(casePath).events, 60);
    assert.doesNotMatch(r.stderr, /NodeVersionSupportWarning/);
  });

  it('honours the per-service AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL', async () => {
    const env = standinEnv(standin.url);
    const casePath = newCasePath();
    const today = Math.floor(Date.now() / DAY) * DAY;
    const r = await trailmark(
      ['pull', '--case', casePath, '--profile', PROFILE, '--logs', 's3://acme-logs/', '--from', new Date(today - 5 * DAY).toISOString(), '--to', new Date(today - 4 * DAY).toISOString(), '--json'],
      childEnv({ ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: standin.url, AWS_ENDPOINT_URL_STS: standin.url, AWS_ENDPOINT_URL_CLOUDTRAIL: standin.url, AWS_MAX_ATTEMPTS: '1' }),
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.files, 8);
    assert.equal(summary.import.events, 2 * (3 + 3 + 2));
    assert.equal(summary.kept.length, 1, 'public keys for the digests');
  });

  it('explains what is missing on the command line', async () => {
    const r = await trailmark(['pull', '--case', newCasePath(), '--from', now.toISOString()], childEnv({}));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /choose exactly one of --lookup, --lake EDS, --athena DB\.TABLE, --logs s3:\/\/bucket\/prefix/);
    assert.match(r.stderr, /usage: trailmark pull --case/);
  });
});
