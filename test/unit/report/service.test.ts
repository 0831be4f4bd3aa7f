// report:render and export:timeline through main/service, as the app and the e2e host call them.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { channels } from '../../../shared/api';
import { CaseService } from '../../../main/service';
import { pdfPages, pdfText, flat, smallCase } from './support';

describe('report and export channels', () => {
  let kase: Awaited<ReturnType<typeof smallCase>>;
  let service: CaseService;
  const printed: string[] = [];
  before(async () => {
    kase = await smallCase();
    service = new CaseService({ examiner: 'Jane Examiner' });
    await service.invoke('case:open', { path: kase.casePath });
  });
  after(() => service.close());

  it('returns the report HTML for a preview when no path is given', async () => {
    const r = await service.invoke('report:render', channels['report:render'].req.parse({ timeZone: 'Europe/Berlin', date: '2017-08-20T10:00:00Z' }));
    assert.match(r.reportId, /^[0-9a-f]{64}$/);
    assert.equal(r.path, null);
    assert.ok(r.html?.includes(r.reportId));
    assert.match(r.suggestedName, /^ACME-backup-bucket-exposure-report-[0-9a-f]{8}\.pdf$/);
    assert.equal(r.downloads, 8);
  });

  it('prints to the path with Chromium by default and logs it in custody', async () => {
    const out = join(kase.dir, 'service.pdf');
    const r = await service.invoke('report:render', { date: '2017-08-20T10:00:00Z', path: out });
    assert.ok(existsSync(out));
    assert.equal(r.sha256, createHash('sha256').update(readFileSync(out)).digest('hex'));
    assert.ok(pdfPages(out) >= 5);
    assert.match(flat(pdfText(out)), /During that time 3 unauthenticated parties/);
    const last = (await service.invoke('custody:list', {})).at(-1)!;
    assert.equal(last.action, 'report');
    assert.equal(last.examiner, 'Jane Examiner');
    assert.equal(JSON.parse(last.details).reportId, r.reportId);
  });

  it('uses the printer it was given (the desktop shell passes printToPDF)', async () => {
    const custom = new CaseService({ printPdf: async (html, path) => { printed.push(path); writeFileSync(path, html); } });
    await custom.invoke('case:open', { path: kase.casePath });
    const out = join(kase.dir, 'custom.html');
    const r = await custom.invoke('report:render', { path: out });
    custom.close();
    assert.deepEqual(printed, [out]);
    assert.ok(readFileSync(out, 'utf8').includes(r.reportId));
  });

  it('exports the filtered timeline to the path in the format asked', async () => {
    const out = join(kase.dir, 'service.jsonl');
    const req = channels['export:timeline'].req.parse({ format: 'jsonl', path: out, filter: { exposure: 'inside' } });
    const r = await service.invoke('export:timeline', req);
    assert.equal(r.rows, 6, 'only the downloads inside the exposure window');
    assert.equal(readFileSync(out, 'utf8').trimEnd().split('\n').length, 6);
    assert.equal(r.sha256, createHash('sha256').update(readFileSync(out)).digest('hex'));
    assert.throws(() => channels['export:timeline'].req.parse({ format: 'xlsx', path: out, filter: {} }));
  });
});
