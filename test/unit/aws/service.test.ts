import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { channels, type ImportProgress } from '../../../shared/api';
import { CaseService } from '../../../main/service';
import { PROFILE, useStandin } from '../../support/aws-standin/env';
import { lookupEvents } from '../../support/aws-standin/records';
import { startStandin, type Standin } from '../../support/aws-standin/server';
import { inCase, newCasePath } from './helpers';

describe('aws:pull through the service', () => {
  let standin: Standin;
  let restore: () => void;
  const now = new Date();
  before(async () => {
    standin = await startStandin();
    standin.state.cloudtrail.events = { 'eu-west-1': lookupEvents(70, now, 'eu-west-1') };
    restore = useStandin(standin.url);
  });
  after(async () => {
    restore();
    await standin.close();
  });

  it('pulls into the open case, reporting progress, with the import in the service worker', async () => {
    const service = new CaseService({ examiner: 'J. Examiner' });
    const casePath = newCasePath();
    await service.invoke('case:create', { path: casePath });
    const progress: ImportProgress[] = [];
    service.onProgress((p) => progress.push(p));
    const req = channels['aws:pull'].req.parse({
      profile: PROFILE, region: 'eu-west-1', from: new Date(now.getTime() - 86400_000).toISOString(), to: now.toISOString(),
      source: { type: 'lookup', attributes: [{ key: 'EventSource', value: 's3.amazonaws.com' }] },
    });
    try {
      const summary = await service.invoke('aws:pull', req);
      assert.equal(summary.account, '111122223333');
      assert.equal(summary.import?.events, 70);
      assert.ok(progress.some((p) => /LookupEvents eu-west-1 EventSource=s3.amazonaws.com: page 2/.test(p.message ?? '')));
      assert.ok(progress.some((p) => p.phase === 'done'));
    } finally {
      service.close();
    }
    assert.equal(inCase(casePath).events, 70);
    assert.ok(inCase(casePath).custody.some((c) => c.action === 'aws-pull'));
  });

  it('aws:cancel stops a running pull; pulling again continues it', async () => {
    const service = new CaseService();
    const casePath = newCasePath();
    await service.invoke('case:create', { path: casePath });
    const req = channels['aws:pull'].req.parse({ profile: PROFILE, region: 'eu-west-1', from: new Date(now.getTime() - 86400_000).toISOString(), to: now.toISOString(), source: { type: 'lookup' } });
    let cancelled: Promise<{ cancelled: boolean }> | null = null;
    const off = service.onProgress((p) => {
      if (!cancelled && /page 1,/.test(p.message ?? '')) cancelled = service.invoke('aws:cancel', { jobId: p.jobId });
    });
    try {
      await assert.rejects(service.invoke('aws:pull', req), /the pull was cancelled; run it again to continue where it stopped/);
      assert.deepEqual(await cancelled, { cancelled: true });
      off();
      assert.deepEqual(await service.invoke('aws:cancel', { jobId: 'aws-pull-unknown' }), { cancelled: false });
      const summary = await service.invoke('aws:pull', req);
      assert.equal(summary.resumed, true);
      assert.equal(summary.import?.events, 70);
    } finally {
      service.close();
    }
  });

  it('refuses malformed requests at the channel schema', () => {
    const base = { from: now.toISOString(), to: now.toISOString(), source: { type: 'lookup' } };
    assert.equal(channels['aws:pull'].req.safeParse(base).success, true);
    for (const bad of [
      { ...base, region: 'mars-1' },
      { ...base, profile: 'p; rm -rf /' },
      { ...base, source: { type: 'logs', uri: 'https://example.com/x' } },
      { ...base, source: { type: 'lookup', attributes: [{ key: 'Bogus', value: 'x' }] } },
      { ...base, source: { type: 'athena', table: 'a.b', create: { kind: 'elb', location: 's3://acme-logs/x/' } } },
      { ...base, credentials: { accessKeyId: 'x' } },
    ]) assert.equal(channels['aws:pull'].req.safeParse(bad).success, false, JSON.stringify(bad));
  });
});
