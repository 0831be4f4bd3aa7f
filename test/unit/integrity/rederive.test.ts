// `trailmark verify` re-derives what the timeline, the summaries, the exports and the report read, on
// a real case imported from the sample evidence (access logs, trail files, a bucket listing). Each
// derived table's columns and each normalized column of `events` is tampered with, one at a time, as
// someone bypassing Trailmark would (immutability triggers dropped, one row updated), and verify must
// name the table, the row and the field. And a report or export is checked against the case by its ID.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main as cli } from '../../../main/cli/index';
import { CODED_COLUMNS } from '../../../main/case/event-terms';
import { DERIVED_TABLES, EVENT_COLUMNS_NOT_COMPARED } from '../../../main/case/rederive';
import { importPaths } from '../../../main/import/run-import';
import { verifyCase } from '../../../main/integrity/verify-case';
import { writeSample } from '../../../main/sample/write';
import { writeAccessLogs, writeTrailFiles } from '../../bench/generate';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-rederive-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let pristine = '';
let evidence: string[] = [];
let n = 0;

function freshCase(): string {
  const path = join(tmp, `case-${++n}.sqlite`);
  copyFileSync(pristine, path);
  return path;
}

/** Raw SQL on the case file with the immutability triggers dropped, as a tamperer would do it. */
function tamper(casePath: string, statement: string, ...params: unknown[]): number {
  const db = new Database(casePath);
  try {
    for (const t of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`).all() as { name: string }[]) db.exec(`DROP TRIGGER "${t.name}"`);
    return db.prepare(statement).run(...params).changes;
  } finally {
    db.close();
  }
}

function columns(casePath: string, table: string): { name: string; pk: number; hidden: number }[] {
  const db = new Database(casePath, { readonly: true });
  try {
    return db.prepare(`SELECT name, pk, hidden FROM pragma_table_xinfo(?)`).all(table) as { name: string; pk: number; hidden: number }[];
  } finally {
    db.close();
  }
}

/** A value other than the one there, whatever its type (NULL becomes a number). */
const CHANGED = (c: string) => `CASE WHEN "${c}" IS NULL THEN 7 WHEN typeof("${c}") IN ('integer', 'real') THEN "${c}" + 1 ELSE "${c}" || 'x' END`;

async function cliRun(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cli(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

before(async () => {
  const dir = join(tmp, 'evidence');
  evidence = writeSample(dir).files.map((f) => join(dir, f));
  pristine = join(tmp, 'pristine.sqlite');
  const summary = await importPaths(pristine, [dir], { examiner: 'test examiner' });
  assert.deepEqual(summary.files.filter((f) => f.status !== 'imported'), []);
});

describe('verify re-derives the case from its raw records', () => {
  test('an untouched case verifies, and every derived table was compared and holds rows', async () => {
    const r = await verifyCase(freshCase());
    assert.deepEqual(r.problems, []);
    assert.equal(r.verdict, 'verified');
    assert.ok(r.rederived);
    assert.equal(r.rederived.events, r.events.checked);
    for (const t of DERIVED_TABLES) assert.ok(r.rederived.tables.includes(t.table), t.table);
    assert.ok(r.rederived.tables.includes('exposure windows') && r.rederived.tables.includes('evidence gaps'));
    // Each table must hold rows, or the tampering tests below would test nothing.
    const db = new Database(pristine, { readonly: true });
    try {
      for (const t of DERIVED_TABLES) {
        const rows = (db.prepare(`SELECT count(*) AS n FROM "${t.table}"${t.where ? ` WHERE ${t.where}` : ''}`).get() as { n: number }).n;
        assert.ok(rows > 0, `${t.table} is empty in the sample case`);
      }
    } finally {
      db.close();
    }
  });

  test('a case imported file by file, in another order, verifies too: the derived tables do not depend on how they were built', async () => {
    const casePath = join(tmp, 'one-by-one.sqlite');
    const files = [...evidence].sort().reverse();
    for (const f of files) await importPaths(casePath, [f]);
    const r = await verifyCase(casePath);
    assert.deepEqual(r.problems, []);
  });

  test('the brief\'s case: one download given to an innocent principal with its object size hidden, caught by table, row and field; exit 1', async () => {
    const casePath = freshCase();
    const db = new Database(casePath, { readonly: true });
    const row = db.prepare(`SELECT id, request_key, actor, object_size FROM downloads WHERE object_size > 1 AND s3_event_id IS NOT NULL AND ct_event_id IS NOT NULL ORDER BY id LIMIT 1`).get() as { id: number; request_key: string; actor: string; object_size: number };
    db.close();
    // The ledger reads sizes from its events: cut from its access-log line, the download shows CloudTrail's (no object size logged).
    // The ledger names its actor by an id into its dictionary: the innocent principal is added to it.
    tamper(casePath, `INSERT INTO ledger_actors (actor) VALUES ('arn:aws:iam::123456789012:user/innocent')`);
    tamper(casePath, `UPDATE download_ledger SET actor_id = (SELECT id FROM ledger_actors WHERE actor = 'arn:aws:iam::123456789012:user/innocent'), s3_event_id = NULL WHERE id = ?`, row.id);
    const { code, out } = await cliRun(['verify', '--case', casePath]);
    assert.equal(code, 1);
    const line = out.split('\n').find((l) => l.startsWith('DISCREPANCY  downloads:'));
    assert.ok(line, out);
    assert.ok(line.includes(JSON.stringify(row.request_key)), line);
    assert.ok(line.includes(`actor is "arn:aws:iam::123456789012:user/innocent" in the case, ${JSON.stringify(row.actor)} re-derived from the raw records`), line);
    assert.ok(line.includes(`object_size is NULL in the case, ${row.object_size} re-derived`), line);
    // The dictionary holds a value no derived event names.
    assert.match(out, /DISCREPANCY {2}ledger_actors: row actor="arn:aws:iam::123456789012:user\/innocent" is in the case but not derived from any raw record/);
    assert.match(out, /VERDICT: FAILED/);
  });

  test('each normalized column of events, tampered with alone, is caught and named', async () => {
    const cols = columns(pristine, 'events').filter((c) => !(c.name in EVENT_COLUMNS_NOT_COMPARED));
    assert.ok(cols.length >= 20, 'the normalized columns');
    for (const { name } of cols) {
      const casePath = freshCase();
      // A download's event: the row the timeline and the report read most.
      // A coded column (migration 018) is changed by pointing it at another text.
      const value = (CODED_COLUMNS as readonly string[]).includes(name) ? `(SELECT id FROM terms WHERE text = 'tampered')` : CHANGED(name);
      tamper(casePath, `INSERT OR IGNORE INTO terms (text) VALUES ('tampered')`);
      const changed = tamper(casePath, `UPDATE event_rows SET "${name}" = ${value} WHERE id = (SELECT coalesce(s3_event_id, ct_event_id) FROM downloads ORDER BY id LIMIT 1)`);
      assert.equal(changed, 1);
      const r = await verifyCase(casePath);
      assert.equal(r.verdict, 'failed', name);
      assert.ok(r.problems.some((p) => p.startsWith('events: event id=') && p.includes(`: ${name} is `)), `${name}: ${r.problems.join('\n')}`);
    }
  });

  test('a term of the events\' dictionary changed is caught on every event that reads it, by column', async () => {
    const casePath = freshCase();
    const db = new Database(casePath, { readonly: true });
    const { agent, uses } = db.prepare(`SELECT user_agent AS agent, count(*) AS uses FROM event_rows WHERE user_agent IS NOT NULL GROUP BY user_agent ORDER BY 2 DESC LIMIT 1`).get() as { agent: number; uses: number };
    const text = db.prepare(`SELECT text FROM terms WHERE id = ?`).pluck().get(agent) as string;
    db.close();
    assert.ok(uses > 1);
    tamper(casePath, `UPDATE terms SET text = 'curl/0.0 (tampered)' WHERE id = ?`, agent);
    const r = await verifyCase(casePath);
    assert.equal(r.verdict, 'failed');
    const named = r.problems.filter((p) => p.startsWith('events: event id=') && p.includes(`user_agent is "curl/0.0 (tampered)" in the case, ${JSON.stringify(text)} re-derived`));
    assert.equal(named.length, Math.min(uses, 20), r.problems.join('\n'));
  });

  test('an event\'s code pointing at no term is caught (the column reads NULL, the raw record says otherwise)', async () => {
    const casePath = freshCase();
    tamper(casePath, `UPDATE event_rows SET action = 999999 WHERE id = 1`);
    const r = await verifyCase(casePath);
    assert.ok(r.problems.some((p) => p.startsWith('events: event id=1: action is NULL in the case')), r.problems.join('\n'));
  });

  for (const t of DERIVED_TABLES) {
    test(`each column of ${t.table}, tampered with alone, is caught and named`, async () => {
      // The downloads view is tampered with through its ledger: every ledger column but the request hash
      // (a lookup aid, probed onward on a collision) is one the view shows or keys its rows by.
      const table = t.table === 'downloads' ? 'download_ledger' : t.table;
      const cols = columns(pristine, table);
      const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => `"${c.name}"`);
      const row = pk.length ? `(${pk.join(', ')}) = (SELECT ${pk.join(', ')} FROM "${table}"${t.where ? ` WHERE ${t.where}` : ''} ORDER BY ${pk.join(', ')} LIMIT 1)` : 'rowid = (SELECT min(rowid) FROM listings)';
      // Generated columns follow the others; surrogate ids are compared through the rows they join (below).
      const tampered = cols.filter((c) => c.hidden === 0 && !t.surrogate.includes(c.name) && !(table === 'download_ledger' && c.name === 'rk'));
      assert.ok(tampered.length > 0);
      for (const { name } of tampered) {
        const casePath = freshCase();
        assert.equal(tamper(casePath, `UPDATE "${table}" SET "${name}" = ${CHANGED(name)} WHERE ${row}`), 1, `${t.table}.${name}`);
        const r = await verifyCase(casePath);
        assert.equal(r.verdict, 'failed', `${t.table}.${name}`);
        const mine = r.problems.filter((p) => p.startsWith(`${t.table}: row `));
        assert.ok(mine.length > 0, `${t.table}.${name}: ${r.problems.join('\n')}`);
        // A key changed is a row missing and a row not derived; any other column is named as a field.
        // The ledger's dictionary ids show as the values they decode to (an object's is part of the row's key).
        const shown = table === 'download_ledger' ? ({ actor_id: 'actor', object_id: 'request_key' } as Record<string, string>)[name] ?? name : name;
        const named = t.key.includes(shown) || mine.some((p) => p.includes(`: ${shown} is `));
        assert.ok(named || mine.some((p) => /missing from the case|not derived from any raw record/.test(p)), `${t.table}.${name}: ${mine.join('\n')}`);
      }
    });
  }

  test('a surrogate id pointed elsewhere is caught through the rows that join it', async () => {
    const casePath = freshCase();
    tamper(casePath, `UPDATE actor_objects SET aid = (SELECT max(aid) FROM actor_stats) WHERE aid = (SELECT min(aid) FROM actor_stats)`);
    const r = await verifyCase(casePath);
    assert.ok(r.problems.some((p) => p.startsWith('actor_objects: row actor_key=')), r.problems.join('\n'));
  });

  test('a row deleted from a derived table is named as missing from the case', async () => {
    const casePath = freshCase();
    tamper(casePath, `DELETE FROM download_ledger WHERE id = (SELECT max(id) FROM download_ledger)`);
    const r = await verifyCase(casePath);
    assert.ok(r.problems.some((p) => /^downloads: row request_key=.* is missing from the case/.test(p)), r.problems.join('\n'));
  });

  test('a case of many batches (the bench\'s generator: 12,000 access-log lines and trail records) verifies, and an event of a late batch tampered with is caught', async () => {
    const dir = join(tmp, 'generated');
    writeAccessLogs(join(dir, 's3'), 6000, 2500);
    writeTrailFiles(join(dir, 'ct'), 6000, 1000);
    const casePath = join(tmp, 'generated.sqlite');
    await importPaths(casePath, [dir]);
    const clean = await verifyCase(casePath);
    assert.deepEqual(clean.problems, []);
    assert.equal(clean.rederived?.events, 12_000);
    tamper(casePath, `UPDATE event_rows SET bytes_sent = 1 WHERE id = 11000`);
    const r = await verifyCase(casePath);
    assert.ok(r.problems.some((p) => p.startsWith('events: event id=11000: bytes_sent is 1 in the case')), r.problems.join('\n'));
  });

  test('verify leaves the case file as it was', async () => {
    const casePath = freshCase();
    const before = readFileSync(casePath);
    const mtime = statSync(casePath).mtimeMs;
    await verifyCase(casePath);
    assert.ok(readFileSync(casePath).equals(before));
    assert.equal(statSync(casePath).mtimeMs, mtime);
  });
});

describe('answers digest: reports and exports say what they were built from', () => {
  test('a report matches the case by its ID until a new import changes the answers', async () => {
    const casePath = freshCase();
    const html = join(tmp, 'report.html');
    const made = await cliRun(['report', '--case', casePath, '--out', html, '--html']);
    assert.equal(made.code, 0, made.err);
    const reportId = /^Report ([0-9a-f]{64})$/m.exec(made.out)![1];
    const digest = /Answers digest<\/dt><dd class="mono nowrap">([0-9a-f]{64})</.exec(readFileSync(html, 'utf8'))?.[1];
    assert.ok(digest, 'the cover carries the answers digest');

    const ok = await cliRun(['verify', '--case', casePath, '--report', reportId]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Report {11}report [0-9a-f]{64} \(custody entry \d+, .*\): matches the case/);
    assert.ok(ok.out.includes(digest));
    // By the answers digest itself, and by the short prefix a report's file name carries.
    assert.equal((await cliRun(['verify', '--case', casePath, '--report', digest])).code, 0);
    assert.equal((await cliRun(['verify', '--case', casePath, '--report', reportId.slice(0, 8)])).code, 0);

    // New evidence: a second sample, other requests.
    const more = join(tmp, 'more');
    writeSample(more, 7);
    await importPaths(casePath, [more]);
    const stale = await cliRun(['verify', '--case', casePath, '--report', reportId]);
    assert.equal(stale.code, 1, stale.out);
    assert.match(stale.out, /NO LONGER MATCHES the case/);
    assert.match(stale.out, new RegExp(`DISCREPANCY  report ${reportId}: built from answers ${digest}, the case now gives [0-9a-f]{64} \\(changed since by custody entry \\d+: import`));
  });

  test('each export carries the answers digest, and verify finds it by the file\'s SHA-256', async () => {
    const casePath = freshCase();
    const csv = join(tmp, 'export.csv');
    const made = await cliRun(['export', '--case', casePath, '--format', 'csv', '--out', csv]);
    assert.equal(made.code, 0, made.err);
    const sha = /SHA-256 ([0-9a-f]{64})/.exec(made.out)![1];
    const [head, first] = readFileSync(csv, 'utf8').split(/\r?\n/);
    const at = head.split(',').indexOf('answers_digest');
    assert.ok(at >= 0, head);
    const digest = first.split(',')[at];
    assert.match(digest, /^[0-9a-f]{64}$/);
    const json = await cliRun(['timeline', '--case', casePath, '--json']);
    assert.equal((JSON.parse(json.out) as { answersDigest: string }).answersDigest, digest, 'timeline --json carries the same digest');
    const jsonl = join(tmp, 'export.jsonl');
    await cliRun(['export', '--case', casePath, '--format', 'jsonl', '--out', jsonl]);
    assert.equal((JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]) as { answers_digest: string }).answers_digest, digest);
    const ok = await cliRun(['verify', '--case', casePath, '--report', sha]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Report {11}export [0-9a-f]{64} .*: matches the case/);
    // A summary tampered with after the export: the raw records still give what the export says (its
    // answers match), but the case no longer shows them, and verify fails naming the table.
    tamper(casePath, `UPDATE actor_stats SET bytes = bytes + 1 WHERE aid = (SELECT min(aid) FROM actor_stats)`);
    const bad = await cliRun(['verify', '--case', casePath, '--report', sha]);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /: matches the case/);
    assert.match(bad.out, /DISCREPANCY {2}actor_stats: row actor_key=.*: bytes is/);
  });

  test('a reference no report or export has is a usage of verify that fails with the reason', async () => {
    const r = await verifyCase(freshCase(), { report: 'not-a-report' });
    assert.ok(r.problems.some((p) => /no report or export in the custody log has the ID/.test(p)), r.problems.join('\n'));
  });
});
