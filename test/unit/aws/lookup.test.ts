import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { checkLookupParams } from '../../../main/aws/lookup';
import { EvidenceLocator } from '../../../main/integrity/locate';
import { lookupEvents } from '../../support/aws-standin/records';
import { newState, type Standin } from '../../support/aws-standin/server';
import { pullToCase } from '../../../main/aws/pull';
import { PROFILE } from '../../support/aws-standin/env';
import { fast, inCase, newCasePath, pull, standinForSuite } from './helpers';

const now = new Date();
const from = new Date(now.getTime() - 3 * 86400_000).toISOString();
const to = now.toISOString();

describe('LookupEvents pull', () => {
  let standin: Standin;
  standinForSuite((s) => { standin = s; });
  beforeEach(() => {
    const s = newState();
    s.cloudtrail.events = { 'us-east-1': lookupEvents(120, now, 'us-east-1'), 'eu-west-1': lookupEvents(30, now, 'eu-west-1') };
    Object.assign(standin.state, s);
    standin.requests.length = 0;
  });

  it('fetches every page of every region and imports them with their provenance', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { regions: ['us-east-1', 'eu-west-1'], from, to, source: { type: 'lookup' } });
    assert.equal(summary.records, 150);
    assert.equal(summary.files, 4); // 50 + 50 + 20, and 30
    assert.equal(summary.account, '111122223333');
    assert.equal(summary.import?.events, 150);

    const calls = standin.calls('cloudtrail:LookupEvents');
    assert.deepEqual(calls.map((c) => c.region).sort(), ['eu-west-1', 'us-east-1', 'us-east-1', 'us-east-1']);
    const east = calls.filter((c) => c.region === 'us-east-1');
    assert.equal(east[0].json?.NextToken, undefined);
    assert.ok(east[1].json?.NextToken && east[2].json?.NextToken, 'later pages carry the NextToken');
    assert.equal(east[0].json?.StartTime, Date.parse(from) / 1000);
    assert.match(String(east[0].headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIASTANDINEXAMPLE01\//, 'signed with the profile\'s key');

    const { evidence, events, custody } = inCase(casePath);
    assert.equal(events, 150);
    assert.equal(evidence.length, 4);
    for (const e of evidence) {
      assert.equal(e.format, 'lookup-events');
      assert.match(e.path, /^aws:cloudtrail:LookupEvents\/111122223333\/\d{8}T\d{6}Z-[0-9a-f]{12}\/(us-east-1|eu-west-1)\/page-0000[1-3]\.json$/);
      const origin = JSON.parse(e.origin);
      assert.equal(origin.type, 'aws');
      assert.equal(origin.api, 'cloudtrail:LookupEvents');
      assert.equal(origin.accountId, '111122223333');
      assert.equal(origin.principal, 'arn:aws:iam::111122223333:user/examiner');
      assert.equal(origin.examiner, 'J. Examiner');
      assert.equal(origin.parameters.StartTime, from);
      assert.ok(origin.fetchedAt);
      assert.equal(e.examiner, 'J. Examiner');
      assert.equal((await new EvidenceLocator(casePath).check(e)).status, 'ok', 'verification finds the page again');
    }
    const page = evidence.find((e) => e.path.endsWith('/page-00001.json') && e.path.includes('/eu-west-1/'))!;
    const file = JSON.parse(page.origin).run as string;
    const text = readFileSync(`${file}/eu-west-1/page-00001.json`, 'utf8');
    assert.match(text, /^\{"Events":\[\n\{"EventId":/);
    assert.match(JSON.parse(text).Events[0].EventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(custody.some((c) => c.action === 'aws-pull' && JSON.parse(c.details).records === 150));
  });

  it('passes lookup attributes, one lookup per attribute', async () => {
    standin.state.cloudtrail.events['us-east-1'].push(...lookupEvents(5, now, 'us-east-1', 'other-bucket'));
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup', attributes: [{ key: 'ResourceName', value: 'other-bucket' }] } });
    assert.equal(summary.import?.events, 5);
    const calls = standin.calls('cloudtrail:LookupEvents');
    assert.deepEqual(calls[0].json?.LookupAttributes, [{ AttributeKey: 'ResourceName', AttributeValue: 'other-bucket' }]);
  });

  it('recovers from throttling (HTTP 400 ThrottlingException) through the SDK backoff', async () => {
    standin.state.faults.push({ op: 'cloudtrail:LookupEvents', times: 2, status: 400, code: 'ThrottlingException', message: 'Rate exceeded' });
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } });
    assert.equal(summary.import?.events, 120);
    assert.equal(standin.calls('cloudtrail:LookupEvents').length, 3 + 2);
  });

  it('stops on expired credentials with a clear error, imports nothing, and the next pull resumes at the failed page', async () => {
    standin.state.faults.push({ op: 'cloudtrail:LookupEvents', times: 1, status: 400, code: 'ExpiredTokenException', message: 'The security token included in the request is expired', when: (r) => !!r.json?.NextToken && standin.calls('cloudtrail:LookupEvents').length === 3 });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } }), (err: Error) => {
      assert.match(err.message, /LookupEvents in us-east-1, page 3/);
      assert.match(err.message, /credentials of profile "standin" have expired \(ExpiredTokenException\)/);
      assert.match(err.message, /aws sso login --profile standin/);
      assert.match(err.message, /nothing from this call was imported/);
      return true;
    });
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0, 'nothing half-imported');
    const before = standin.calls('cloudtrail:LookupEvents').length;
    const messages: string[] = [];
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } }, messages);
    const resumed = standin.calls('cloudtrail:LookupEvents').slice(before);
    assert.equal(resumed.length, 1, 'only the page that failed is asked for again');
    assert.ok(resumed[0].json?.NextToken, 'the resumed call continues from the checkpointed NextToken');
    assert.ok(summary.resumed);
    assert.ok(messages.some((m) => /resuming .* \(2 pages already fetched\)/.test(m)));
    assert.equal(summary.import?.events, 120);
    assert.equal(inCase(casePath).events, 120);
  });

  it('reports expired credentials at the identity check, before any evidence is fetched', async () => {
    standin.state.faults.push({ op: 'sts:GetCallerIdentity', times: 1, status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' });
    await assert.rejects(pull(newCasePath(), { region: 'us-east-1', from, to, source: { type: 'lookup' } }), /^Error: STS GetCallerIdentity: the AWS credentials of profile "standin" have expired \(ExpiredToken/);
    assert.equal(standin.calls('cloudtrail:LookupEvents').length, 0);
  });

  it('a cancelled pull stops between pages and the next one continues from the checkpoint', async () => {
    const casePath = newCasePath();
    const abort = new AbortController();
    await assert.rejects(pullToCase(casePath, { profile: PROFILE, region: 'us-east-1', from, to, source: { type: 'lookup' } }, {
      access: fast, signal: abort.signal,
      onMessage: (m) => { if (/page 1,/.test(m)) abort.abort(new Error('cancelled by the examiner')); },
      importer: () => { throw new Error('nothing may be imported from a cancelled pull'); },
    }), /cancelled by the examiner/);
    assert.equal(standin.calls('cloudtrail:LookupEvents').length, 1);
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } });
    assert.equal(summary.resumed, true);
    assert.equal(standin.calls('cloudtrail:LookupEvents').length, 3, 'pages 2 and 3 only');
    assert.equal(summary.import?.events, 120);
  });

  it('starts a lookup over when its checkpointed NextToken has expired', async () => {
    const casePath = newCasePath();
    const abort = new AbortController();
    await assert.rejects(pullToCase(casePath, { profile: PROFILE, region: 'us-east-1', from, to, source: { type: 'lookup' } }, {
      access: fast, signal: abort.signal,
      onMessage: (m) => { if (/page 1,/.test(m)) abort.abort(new Error('stopped')); },
      importer: () => { throw new Error('not reached'); },
    }), /stopped/);
    standin.state.faults.push({ op: 'cloudtrail:LookupEvents', times: 1, status: 400, code: 'InvalidNextTokenException', message: 'A token that is not valid is specified.', when: (r) => !!r.json?.NextToken });
    const messages: string[] = [];
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } }, messages);
    assert.ok(messages.some((m) => /NextToken has expired; fetching this lookup again/.test(m)));
    assert.equal(summary.import?.events, 120);
    assert.equal(summary.files, 4, 'the first page fetched before, and the three of the new lookup');
  });

  it('a second pull of the same period adds no events', async () => {
    const casePath = newCasePath();
    const first = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } });
    assert.equal(first.import?.events, 120);
    const second = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'lookup' } });
    assert.equal(second.resumed, false, 'a finished pull is not resumed; it is fetched again');
    assert.equal(second.import?.events, 0);
    assert.ok(second.import?.files.every((f) => f.status === 'already-in-case' || f.events === 0));
    assert.equal(inCase(casePath).events, 120);
  });

  it('refuses a range beyond the 90 days LookupEvents keeps, and attributes it does not know', () => {
    const old = new Date(now.getTime() - 91 * 86400_000);
    assert.throws(() => checkLookupParams({ from: old, to: now, regions: ['us-east-1'], attributes: [] }, now), /only reaches back 90 days.*--lake, --athena or --logs/);
    assert.throws(() => checkLookupParams({ from: now, to: old, regions: ['us-east-1'], attributes: [] }, now), /--from must be before --to/);
    assert.throws(() => checkLookupParams({ from: old, to: now, regions: ['us-east-1'], attributes: [{ key: 'Nope' as never, value: 'x' }] }, new Date(old.getTime() + 86400_000)), /unknown lookup attribute Nope/);
  });
});
