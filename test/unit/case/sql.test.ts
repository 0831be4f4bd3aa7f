import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { join, raw, sql } from '../../../main/case/sql';

test('values become bind parameters, never SQL text', () => {
  const hostile = "x'); DROP TABLE events; --";
  const q = sql`SELECT ${hostile} AS v, ${sql`${2} + ${3}`} AS n FROM ${raw('t')} WHERE ${join([sql`a = ${1}`, sql`b = ${null}`], ' AND ')}`;
  assert.equal(q.text, 'SELECT ? AS v, ? + ? AS n FROM t WHERE a = ? AND b = ?');
  assert.deepEqual(q.params, [hostile, 2n, 3n, 1n, null]);
  const db = new Database(':memory:');
  assert.deepEqual(db.prepare(sql`SELECT ${hostile} AS v`.text).get(...sql`SELECT ${hostile} AS v`.params), { v: hostile });
});

test('whole numbers bind as integers, so SQLite arithmetic truncates as written', () => {
  const db = new Database(':memory:');
  const q = sql`SELECT (${7_200_001} / ${3_600_000}) * ${3_600_000} AS bin, ${0.5} * ${3} AS half`;
  assert.deepEqual(db.prepare(q.text).get(...q.params), { bin: 7_200_000, half: 1.5 });
});
