// The IPv4 ASN table packed by the build: the same answers as the CSV it was packed from, and never
// used once the data it was packed from has changed.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AsnTable, packV4, readPackedV4 } from '../../../main/enrich/asn';
import { dataPaths } from '../../../main/enrich/data';
import { tempDir } from '../../support/paths';

test('the packed table answers every address as the shipped CSV does', (t) => {
  const paths = dataPaths();
  const pack = join(tempDir(t), 'asn-ipv4.bin');
  packV4(paths.asnV4, paths.asnVersion, pack);
  assert.ok(readPackedV4(pack, paths.asnV4, paths.asnVersion), 'the pack is current for the data it was made from');
  const fromCsv = AsnTable.load(paths.asnV4, null);
  const fromPack = AsnTable.load(paths.asnV4, null, { path: pack, version: paths.asnVersion });
  // Every range's first and last address and the ones just outside, then addresses spread over the space.
  const probes: number[] = [];
  for (const line of readFileSync(paths.asnV4, 'latin1').split('\n').filter((_, i) => i % 97 === 0)) {
    const [a, b] = line.split(',').map(Number);
    if (Number.isFinite(a) && Number.isFinite(b)) probes.push(a, b, a - 1, b + 1);
  }
  for (let ip = 0; ip < 2 ** 32; ip += 7_654_321) probes.push(ip);
  assert.ok(probes.length > 10_000);
  let answered = 0;
  for (const ip of probes) {
    const want = fromCsv.lookup4(ip);
    assert.deepEqual(fromPack.lookup4(ip), want, String(ip));
    if (want) answered++;
  }
  assert.ok(answered > probes.length / 4, `most probes fall in a range (${answered} of ${probes.length})`);
});

test('a pack of other data is not used: another version or another CSV size; a cut pack names itself', (t) => {
  const dir = tempDir(t);
  const csv = join(dir, 'asn.csv');
  writeFileSync(csv, '16777216,16777471,13335,Cloudflare\n16777472,16778239,0,"Quoted ""name"""\n');
  const pack = join(dir, 'asn.bin');
  packV4(csv, '1.0.2026010100', pack);
  const table = readPackedV4(pack, csv, '1.0.2026010100');
  assert.deepEqual(table && { size: table.size, names: table.names, asn: [...table.asn] }, { size: 2, names: ['Cloudflare', 'Quoted "name"'], asn: [13335, 0] });
  assert.equal(readPackedV4(pack, csv, '1.0.2026020100'), null);
  assert.equal(readPackedV4(join(dir, 'none.bin'), csv, '1.0.2026010100'), null);
  appendFileSync(csv, '16778240,16779263,4134,CHINANET\n');
  assert.equal(readPackedV4(pack, csv, '1.0.2026010100'), null);
  assert.equal(AsnTable.load(csv, null, { path: pack, version: '1.0.2026010100' }).lookup4(16778300)?.asn, 4134, 'the CSV is read instead');
  packV4(csv, '1.0.2026010100', pack);
  writeFileSync(pack, readFileSync(pack).subarray(0, -4));
  assert.throws(() => readPackedV4(pack, csv, '1.0.2026010100'), new RegExp(`${pack.replaceAll('/', '\\/')}: a packed ASN table of 3 ranges`));
});
