import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonArrayScanner, JsonStructureError } from '../../../main/ingest/json-scan';

function scanInPieces(text: string, key: string | null, size: number): string[] {
  const s = new JsonArrayScanner(key);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  s.end();
  return out;
}

test('elements come back as their exact source text, whatever the chunk boundaries', () => {
  const doc = '{"meta": {"a": [1, {"b": "]}"}]}, "Records" : [ {"x": "a\\"}\\\\", "y": [1,2]} ,\n {"z": "\\u005d"}, 3, "s" ], "after": 1}';
  const expected = ['{"x": "a\\"}\\\\", "y": [1,2]}', '{"z": "\\u005d"}', '3', '"s"'];
  for (const size of [1, 2, 3, 7, 1000]) assert.deepEqual(scanInPieces(doc, 'Records', size), expected, `chunk size ${size}`);
  assert.deepEqual(scanInPieces('[ ]', null, 1), []);
  assert.deepEqual(scanInPieces('\uFEFF[{"a":1},{"b":[{}]}]', null, 4), ['{"a":1}', '{"b":[{}]}']);
});

test('structure errors are reported, not swallowed', () => {
  assert.throws(() => scanInPieces('{"Other": []}', 'Records', 5), JsonStructureError);
  assert.throws(() => scanInPieces('[1, 2,', null, 5), /after record 2/);
  assert.throws(() => scanInPieces('[1, 2', null, 5), /after record 1/, 'a number at the very end may be cut short');
  assert.throws(() => scanInPieces('', null, 5), /empty/);
  assert.throws(() => scanInPieces('{"a":1}', null, 5), /not a JSON array/);
});
