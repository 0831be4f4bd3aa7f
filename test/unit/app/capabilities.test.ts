// Capabilities, not paths: every channel main answers over IPC from the window (shared/page-api) is
// walked to each string it accepts. A string field whose name says it is a place (path, dir, file,
// uri, bucket, location, output, profile…) or that accepts a file path or S3 URI must be one this
// file has reviewed — text stored in or matched against the case, or a proposal main puts before the
// user in a native dialog — and those proposals are shown to do nothing when the user says no.
// The same classifier run over the case service's whole contract finds its path-taking operations,
// which is why they are main's own.
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { join } from 'node:path';
import { channels, type Channel } from '../../../shared/api';
import { IPC_CHANNELS, PAGE_CHANNELS, ipcSchema, isIpcChannel, isPageChannel } from '../../../shared/page-api';
import { createDispatch, type Dialogs } from '../../../main/app/dispatch';
import { describePull, type Confirmation } from '../../../main/app/confirmations';
import { recentStore } from '../../../main/app/recent';
import { CaseService } from '../../../main/service';
import { PROFILE, useStandin } from '../../support/aws-standin/env';
import { lookupEvents } from '../../support/aws-standin/records';
import { startStandin, type Standin } from '../../support/aws-standin/server';
import { tempDir } from '../../support/paths';
import { stringFields } from './schema-walk';
import type { z } from 'zod';

const PLACE_NAME = /path|dir|folder|file|uri|url|location|output|bucket|prefix|profile|endpoint|workgroup|store|table|region|dest/i;
const PROBES = ['/etc/passwd', '../../.ssh/id_rsa', 'C:\\Users\\x\\.aws\\credentials', '\\\\server\\share\\x', 'file:///etc/passwd', 's3://attacker-bucket/x', 'https://attacker.example/x'];

/** Strings the page may send that name nothing to open or fetch: each is stored in the case, matched against its rows through bind parameters, or an id main looks up. */
const CASE_DATA: [RegExp, string][] = [
  [/^(import|aws):cancel jobId$/, 'a job id main handed out, looked up in a map'],
  [/^(timeline:page|timeline:position|analysis:histogram|app:export) filter\.(bucket|keyPrefix|key|actor|sourceIp)$/, "selects rows of the case (SQL bind parameters); nothing is opened or fetched"],
  [/^(notes|tags):\w+ target\.id$/, 'the annotated event, actor or object, stored in the case'],
  [/^(notes:add text|tags:(add|remove) tag)$/, 'note and tag text, stored in the case'],
  [/ examiner$/, "the examiner's name, stored in the case"],
  [/^app:new-case name$/, "the case's name; only suggests a file name in the save dialog"],
  [/ timeZone$/, 'an IANA zone name handed to Intl'],
  [/^analysis:set-patterns (extensions|globs)\[\]$/, 'backup-file patterns matched against object keys in the case'],
  [/^analysis:set-exfil-settings tools\[\]\.(label|match)$/, "bulk-tool labels and user-agent substrings, stored in the case's settings and matched against its rows"],
];

/** Proposals main shows the user in a native dialog, acting only on their yes (tested below). */
const CONFIRMED_IN_MAIN: [RegExp, string][] = [
  [/^app:pull (profile|regions?(\[\])?|source\.(bucket|keyPrefix|eventDataStore|table|workgroup|outputLocation|create\.location|uri))$/, "the pull's credentials and destinations, listed by describePull"],
  [/^app:pull source\.(attributes\[\]\.value|eventNames\[\]|operations\[\])$/, "the pull's query filters, listed by describePull"],
  [/^app:import-dropped paths\[\]$/, "files dropped on the window (the preload's channel, not on window.trailmark), listed by describeDrop"],
];

interface Flagged { field: string; why: string }

function classify(name: string, schema: z.ZodType): Flagged[] {
  // Union members can carry the same field; every member's schema is probed, findings merged.
  const found = new Map<string, Set<string>>();
  for (const f of stringFields(schema)) {
    const field = `${name} ${f.path}`;
    const why = found.get(field) ?? new Set<string>();
    if (PLACE_NAME.test(f.path.split('.').at(-1)!)) why.add('named like a place');
    for (const p of PROBES) if (f.schema.safeParse(p).success) why.add(`accepts ${p}`);
    if (why.size) found.set(field, why);
  }
  return [...found].map(([field, why]) => ({ field, why: [...why].join('; ') }));
}

const reviewed = (field: string) => [...CASE_DATA, ...CONFIRMED_IN_MAIN].find(([re]) => re.test(field));

test('no channel reachable from the window accepts a file-system path or an AWS destination unreviewed', () => {
  const unreviewed = IPC_CHANNELS.flatMap((c) => classify(c, ipcSchema(c))).filter((f) => !reviewed(f.field));
  assert.deepEqual(unreviewed, []);
});

test('the page itself (window.trailmark) can propose a place only in app:pull, and every review entry is still used', () => {
  const flagged = IPC_CHANNELS.flatMap((c) => classify(c, ipcSchema(c)));
  const onPage = flagged.filter((f) => (PAGE_CHANNELS as readonly string[]).includes(f.field.split(' ')[0]));
  for (const f of onPage) {
    if (CONFIRMED_IN_MAIN.some(([re]) => re.test(f.field))) assert.match(f.field, /^app:pull /);
  }
  assert.ok(!PAGE_CHANNELS.includes('app:import-dropped' as never), 'the drop channel is the preload\'s, not the page\'s');
  // A stale entry would let a later field slip through under an old reason.
  for (const [re, why] of [...CASE_DATA, ...CONFIRMED_IN_MAIN]) {
    assert.ok(flagged.some((f) => re.test(f.field)), `review entry ${re} (${why}) matches no field any more`);
  }
});

test("the classifier finds the case service's path-taking operations, and none of them is reachable from the window", () => {
  const all = Object.keys(channels) as Channel[];
  const unreviewed = all.flatMap((c) => classify(c, channels[c].req)).filter((f) => !reviewed(f.field));
  const offending = [...new Set(unreviewed.map((f) => f.field.split(' ')[0]))].sort();
  assert.deepEqual(offending, ['aws:pull', 'case:create', 'case:open', 'import:start', 'integrity:validate', 'report:render', 'export:timeline'].sort());
  for (const f of ['case:open path', 'import:start paths[]', 'integrity:validate keysPath', 'integrity:validate evidenceDir', 'report:render path', 'export:timeline path', 'aws:pull source.uri', 'aws:pull source.outputLocation']) {
    assert.ok(unreviewed.some((u) => u.field === f), `${f} is found`);
  }
  for (const c of offending) {
    assert.ok(!isIpcChannel(c), `${c} is not registered for the window`);
    assert.ok(!isPageChannel(c), `${c} is not on window.trailmark`);
  }
  assert.ok(isIpcChannel('app:import-dropped') && !isPageChannel('app:import-dropped'), "the drop channel is main's answer to the preload only");
  // What the window can reach is a strict subset of the service's contract plus the shell's own app:* channels.
  for (const c of IPC_CHANNELS) assert.ok(c.startsWith('app:') || Object.hasOwn(channels, c), c);
});

describe('a pull goes out only after the user confirms its profile and destinations in main', () => {
  let standin: Standin;
  let restore: () => void;
  const now = new Date();
  before(async () => {
    standin = await startStandin();
    standin.state.cloudtrail.events = { 'eu-west-1': lookupEvents(12, now, 'eu-west-1') };
    restore = useStandin(standin.url);
  });
  after(async () => {
    restore();
    await standin.close();
  });

  it('says no: nothing is sent; says yes: the pull runs', async (t) => {
    const dir = tempDir(t);
    const asked: Confirmation[] = [];
    const answers: boolean[] = [];
    const none = async () => null;
    const dialogs: Dialogs = {
      chooseNewCasePath: async () => join(dir, 'pull.trailmark'), chooseCasePath: none, chooseImportPaths: none, chooseExportPath: none, chooseKeysFile: none, askUpgrade: none, chooseUpgradeCopyPath: none,
      confirm: async (q) => (asked.push(q), answers.shift() ?? false),
    };
    const service = new CaseService({ examiner: 'unit' });
    t.after(() => service.close());
    const dispatch = createDispatch(service, { dialogs, recent: recentStore(join(dir, 'recent.json')), sample: { root: dir, generate: () => {} } });
    const pull = { profile: PROFILE, region: 'eu-west-1', from: new Date(now.getTime() - 86400_000).toISOString(), to: now.toISOString(), source: { type: 'lookup' as const } };

    assert.deepEqual(await dispatch('app:pull', pull), { ok: false, error: 'open a case before pulling from AWS' });
    assert.equal(asked.length, 0);
    assert.equal(((await dispatch('app:new-case', {})) as { ok: boolean }).ok, true);

    answers.push(false);
    assert.deepEqual(await dispatch('app:pull', pull), { ok: true, value: null });
    assert.equal(standin.requests.length, 0);
    assert.deepEqual(asked[0], describePull(pull));
    assert.ok(asked[0].lines.includes(`AWS profile: ${PROFILE}`));

    answers.push(true);
    const done = (await dispatch('app:pull', pull)) as { ok: true; value: { records: number; import: { events: number } } };
    assert.equal(done.ok, true);
    assert.equal(done.value.import.events, 12);
    assert.ok(standin.requests.length > 0);
  });

  it("names every destination a route can carry", () => {
    const base = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };
    const athena = describePull({ ...base, profile: 'ir', region: 'eu-west-1', source: { type: 'athena', table: 'logs.s3', workgroup: 'wg', outputLocation: 's3://results-bucket/q/', create: { kind: 'access-log', location: 's3://log-bucket/p/' }, bucket: 'acme', keyPrefix: 'db/' } });
    assert.deepEqual(athena.lines, [
      'AWS profile: ir', 'Region: eu-west-1', 'Time range: 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z', 'Athena table: logs.s3', 'Workgroup: wg',
      'Query results written to: s3://results-bucket/q/', 'Table created over: s3://log-bucket/p/ (access-log)', 'Bucket (filter): acme/db/',
    ]);
    assert.ok(describePull({ ...base, source: { type: 'athena', table: 'logs.s3' } }).lines.includes("Query results written to: the workgroup's output location"));
    assert.ok(describePull({ ...base, source: { type: 'logs', uri: 's3://log-bucket/AWSLogs/' } }).lines.includes('Log location: s3://log-bucket/AWSLogs/'));
    assert.ok(describePull({ ...base, source: { type: 'listing', uri: 's3://acme/db/' } }).lines.includes('Bucket: s3://acme/db/'));
    assert.ok(describePull({ ...base, source: { type: 'lake', eventDataStore: 'eds-1', bucket: 'acme' } }).lines.includes('Event data store: eds-1'));
    assert.equal(describePull({ ...base, source: { type: 'lookup' } }).lines[0], 'AWS profile: the default credential chain');
  });
});
