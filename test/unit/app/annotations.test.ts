import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { channels } from '../../../shared/api';
import { addNote, addTag, listNotes, listTags, removeTag } from '../../../main/case/annotations';
import { checkCustodyChain, listCustody } from '../../../main/case/custody';
import { openWritable, type WritableDB } from '../../../main/case/db';

let dir: string;
let db: WritableDB;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailmark-annotations-'));
  db = openWritable(join(dir, 'case.trailmark'));
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const download = { type: 'download', id: '42' } as const;
const actor = { type: 'actor', id: 'anonymous' } as const;

test('a note is stored with its target, trimmed, listed per target and logged in custody', () => {
  const at = new Date('2026-03-01T10:00:00Z');
  const n = addNote(db, { target: download, text: '  first exfil of the db dump  ', examiner: 'ana' }, at);
  assert.deepEqual(n, { id: n.id, target: download, text: 'first exfil of the db dump', includeInReport: false, examiner: 'ana', createdAt: '2026-03-01T10:00:00.000Z' });
  addNote(db, { target: actor, text: '<script>alert(1)</script>', includeInReport: true });
  assert.deepEqual(listNotes(db, download).map((x) => x.text), ['first exfil of the db dump']);
  assert.equal(listNotes(db, actor)[0].text, '<script>alert(1)</script>');
  assert.equal(listNotes(db, actor)[0].includeInReport, true);
  assert.equal(listNotes(db).length, 2);
  const notes = listCustody(db).filter((c) => c.action === 'note');
  assert.equal(notes.length, 2);
  assert.equal(JSON.parse(notes[0].details).text, 'first exfil of the db dump');
  assert.deepEqual(checkCustodyChain(db), []);
});

test('an empty note is refused', () => {
  assert.throws(() => addNote(db, { target: download, text: '   ' }), /needs some text/);
});

test('tags are idempotent, removable, and each change is in custody once', () => {
  const before = listCustody(db).length;
  addTag(db, download, 'exfil');
  addTag(db, download, ' exfil ');
  addTag(db, download, 'confirmed');
  addTag(db, actor, 'exfil');
  assert.deepEqual(listTags(db, download).map((t) => t.tag), ['confirmed', 'exfil']);
  assert.equal(listTags(db).length, 3);
  assert.equal(removeTag(db, download, 'exfil'), true);
  assert.equal(removeTag(db, download, 'exfil'), false);
  assert.deepEqual(listTags(db, download).map((t) => t.tag), ['confirmed']);
  const actions = listCustody(db).slice(before).map((c) => c.action);
  assert.deepEqual(actions, ['tag', 'tag', 'tag', 'untag']);
  assert.deepEqual(checkCustodyChain(db), []);
});

test('annotation channels validate their requests', () => {
  assert.equal(channels['notes:add'].req.safeParse({ target: download, text: 'x' }).success, true);
  assert.equal(channels['notes:add'].req.safeParse({ target: { type: 'bucket', id: 'x' }, text: 'x' }).success, false);
  assert.equal(channels['tags:add'].req.safeParse({ target: download, tag: '' }).success, false);
  assert.equal(channels['tags:list'].req.safeParse({}).success, true);
  assert.equal(channels['tags:remove'].req.safeParse({ target: download, tag: 'a', extra: 1 }).success, false);
});
