// Exposure windows: replay the configuration changes of each bucket in time order and record when
// objects became readable by anyone (or by any AWS account, or by other named accounts) and when
// that stopped. Failed calls change nothing. Evidence that starts with a bucket already public
// (anonymous downloads before any opening change) gives a window with from: null and a note.
import type { ExposureScope, ExposureVia, ExposureWindow } from '../../shared/analysis';
import { tells, type CloudTrailRecord } from '../ingest/canonical-record';
import { aclGrants, blockFacts, NO_BLOCK, policyGrants, type BlockFacts, type Grant } from './grants';

/** A configuration event as the case holds it (CloudTrail only: access logs carry no request body). */
export interface ConfigEvent {
  id: number;
  time: number;
  action: string;
  bucket: string | null;
  key: string | null;
  errorCode: string | null;
  eventId: string | null;
  /** Its canonical CloudTrail record; null for an event that carries none (an access-log line). */
  record: CloudTrailRecord | null;
}

/** First and last anonymous download per bucket, from the downloads. */
export interface AnonymousActivity { bucket: string; first: number; last: number }

interface BucketState {
  account: string | null;
  acl: Grant[];
  policy: Grant[];
  policyHasDeny: boolean;
  block: BlockFacts;
  objectAcls: Map<string, Grant[]>;
}

interface Effective { scope: ExposureScope; accounts: string[]; conditional: boolean; conditions: string[]; via: ExposureVia }

interface Open { window: ExposureWindow; sig: string }

const BUCKET_ACL = new Set(['PutBucketAcl']);
const OBJECT_ACL = new Set(['PutObjectAcl']);
const PUT_POLICY = new Set(['PutBucketPolicy']);
const DELETE_POLICY = new Set(['DeleteBucketPolicy']);
const PUT_BLOCK = new Set(['PutPublicAccessBlock', 'PutBucketPublicAccessBlock']);
const DELETE_BLOCK = new Set(['DeletePublicAccessBlock', 'DeleteBucketPublicAccessBlock']);
const PUT_ACCOUNT_BLOCK = new Set(['PutAccountPublicAccessBlock']);
const DELETE_ACCOUNT_BLOCK = new Set(['DeleteAccountPublicAccessBlock']);

export const EXPOSURE_ACTIONS = [
  ...BUCKET_ACL, ...OBJECT_ACL, ...PUT_POLICY, ...DELETE_POLICY, ...PUT_BLOCK, ...DELETE_BLOCK, ...PUT_ACCOUNT_BLOCK, ...DELETE_ACCOUNT_BLOCK,
];

/** Changes whose effect is in their request body: without it, what they granted is unknown. */
const READS_REQUEST = new Set([...BUCKET_ACL, ...OBJECT_ACL, ...PUT_POLICY, ...PUT_BLOCK, ...PUT_ACCOUNT_BLOCK]);

/** A successful change the case cannot replay: its record does not tell its request (a Lake row, say). */
export function requestUnknown(ev: ConfigEvent): boolean {
  return !ev.errorCode && ev.record !== null && READS_REQUEST.has(ev.action) && !tells(ev.record, 'requestParameters');
}

type Json = Record<string, unknown>;

export function exposureWindows(events: ConfigEvent[], anonymous: AnonymousActivity[] = []): ExposureWindow[] {
  const sorted = [...events].sort((a, b) => a.time - b.time || a.id - b.id);
  const buckets = new Map<string, BucketState>();
  const accountBlocks = new Map<string, BlockFacts>();
  const open = new Map<string, Open>(); // `${bucket}\0${key}\0${scope}`
  const done: ExposureWindow[] = [];
  /** Per bucket, the successful changes after which nothing public remained, for from:null windows. */
  const closers = new Map<string, ConfigEvent[]>();

  const stateOf = (bucket: string): BucketState => {
    let s = buckets.get(bucket);
    if (!s) buckets.set(bucket, (s = { account: null, acl: [], policy: [], policyHasDeny: false, block: NO_BLOCK, objectAcls: new Map() }));
    return s;
  };

  for (const ev of sorted) {
    if (ev.errorCode) continue;
    const rec = ev.record;
    if (!rec) continue; // not a CloudTrail record (an access-log line): it cannot say what was granted
    if (requestUnknown(ev)) continue; // unknown, not "granted nothing": unknown-changes.ts reports it
    const rp = (rec.requestParameters ?? null) as Json | null;
    const account = (rec.recipientAccountId as string | undefined) ?? ((rec.userIdentity as Json | undefined)?.accountId as string | undefined) ?? null;
    const bucket = ev.bucket ?? (typeof rp?.bucketName === 'string' ? rp.bucketName : null);
    const touched: string[] = [];

    if (PUT_ACCOUNT_BLOCK.has(ev.action) || DELETE_ACCOUNT_BLOCK.has(ev.action) || ((PUT_BLOCK.has(ev.action) || DELETE_BLOCK.has(ev.action)) && !bucket)) {
      if (!account) continue;
      accountBlocks.set(account, PUT_ACCOUNT_BLOCK.has(ev.action) || PUT_BLOCK.has(ev.action) ? blockFacts(rp) : NO_BLOCK);
      for (const [b, s] of buckets) if (s.account === account) touched.push(b);
    } else {
      if (!bucket) continue;
      const s = stateOf(bucket);
      s.account ??= account;
      const key = ev.key ?? (typeof rp?.key === 'string' ? rp.key : null);
      if (BUCKET_ACL.has(ev.action)) s.acl = aclGrants(rp, s.account).grants;
      else if (OBJECT_ACL.has(ev.action)) {
        if (!key) continue;
        s.objectAcls.set(key, aclGrants(rp, s.account).grants);
      } else if (PUT_POLICY.has(ev.action)) {
        const p = policyGrants(rp, s.account);
        s.policy = p.grants;
        s.policyHasDeny = p.hasDeny;
      } else if (DELETE_POLICY.has(ev.action)) {
        s.policy = [];
        s.policyHasDeny = false;
      } else if (PUT_BLOCK.has(ev.action)) s.block = blockFacts(rp);
      else if (DELETE_BLOCK.has(ev.action)) s.block = NO_BLOCK;
      else continue;
      touched.push(bucket);
    }

    for (const b of touched) {
      const s = buckets.get(b)!;
      const block = combine(s.block, s.account ? accountBlocks.get(s.account) : undefined);
      const targets: Array<[string | null, Effective[]]> = [[null, effective(s.acl, s.policy, s.policyHasDeny, block)]];
      for (const [k, grants] of s.objectAcls) targets.push([k, effective(grants, [], false, block)]);
      for (const [key, eff] of targets) reconcile(open, done, b, key, eff, ev);
      if (!targets[0][1].some((e) => e.scope === 'public')) {
        let list = closers.get(b);
        if (!list) closers.set(b, (list = []));
        list.push(ev);
      }
    }
  }

  const windows = [...done, ...[...open.values()].map((o) => o.window)];
  windows.push(...alreadyPublic(windows, anonymous, closers));
  return windows.sort((a, b) => (a.fromMs ?? -Infinity) - (b.fromMs ?? -Infinity) || a.bucket.localeCompare(b.bucket) || (a.key ?? '').localeCompare(b.key ?? ''));
}

function combine(a: BlockFacts, b: BlockFacts | undefined): BlockFacts {
  if (!b) return a;
  return { ignorePublicAcls: a.ignorePublicAcls || b.ignorePublicAcls, restrictPublicBuckets: a.restrictPublicBuckets || b.restrictPublicBuckets };
}

/** What the grants add up to once public access blocks are applied, one entry per scope. */
function effective(acl: Grant[], policy: Grant[], policyHasDeny: boolean, block: BlockFacts): Effective[] {
  const aclLive = block.ignorePublicAcls ? acl.filter((g) => g.scope === 'cross-account') : acl;
  const policyPublic = policy.some((g) => g.scope === 'public' && !g.conditional);
  const policyLive = block.restrictPublicBuckets && policyPublic ? [] : policy;
  const out = new Map<ExposureScope, Effective>();
  const add = (g: Grant, via: ExposureVia, extraConditional: boolean) => {
    const conditional = g.conditional || extraConditional;
    const cur = out.get(g.scope);
    if (!cur) {
      out.set(g.scope, { scope: g.scope, accounts: [...g.accounts], conditional, conditions: [...g.conditions], via });
      return;
    }
    // Any unconditional grant of a scope makes the scope unconditional.
    cur.conditional = cur.conditional && conditional;
    for (const a of g.accounts) if (!cur.accounts.includes(a)) cur.accounts.push(a);
    for (const c of g.conditions) if (!cur.conditions.includes(c)) cur.conditions.push(c);
  };
  for (const g of aclLive) add(g, 'acl', false);
  for (const g of policyLive) add(g, 'policy', policyHasDeny);
  for (const e of out.values()) {
    e.accounts.sort();
    if (!e.conditional) e.conditions = [];
  }
  return [...out.values()];
}

function reconcile(open: Map<string, Open>, done: ExposureWindow[], bucket: string, key: string | null, eff: Effective[], ev: ConfigEvent): void {
  const prefix = `${bucket}\0${key ?? ''}\0`;
  const now = new Map(eff.map((e) => [e.scope, e]));
  for (const [k, o] of open) {
    if (!k.startsWith(prefix)) continue;
    const e = now.get(o.window.scope);
    if (e && signature(e) === o.sig) {
      now.delete(o.window.scope);
      // A block that left this grant standing (e.g. IgnorePublicAcls while a policy still grants) was in force over part of it.
      if (/^Put(Bucket|Account)?PublicAccessBlock$/.test(ev.action) && o.window.blockedBy === null) o.window.blockedBy = ev.eventId ?? `event ${ev.id}`;
      continue;
    }
    close(o.window, ev, e ? 'the grant changed (accounts or conditions); a new window follows' : null);
    done.push(o.window);
    open.delete(k);
  }
  for (const e of now.values()) {
    open.set(prefix + e.scope, {
      sig: signature(e),
      window: {
        bucket, key, from: new Date(ev.time).toISOString(), fromMs: ev.time, to: null, toMs: null,
        scope: e.scope, accounts: e.accounts, via: e.via, conditional: e.conditional, conditions: e.conditions,
        openedBy: ev.eventId, openedByEvent: ev.id, closedBy: null, closedByEvent: null, note: openNote(e, ev), blockedBy: null,
      },
    });
  }
}

function signature(e: Effective): string {
  return `${e.accounts.join(',')}|${e.conditional}|${e.conditions.join('|')}`;
}

function openNote(e: Effective, ev: ConfigEvent): string | null {
  const notes: string[] = [];
  if (e.via === 'acl' && ev.action === 'PutBucketAcl') {
    notes.push('a bucket ACL read grant lets the grantee list keys; reading objects also takes object ACLs or a policy — downloads in the window show whether it happened');
  }
  if (e.conditional) notes.push('the grant carries a Condition: who could read depended on it');
  return notes.length ? notes.join('; ') : null;
}

function close(w: ExposureWindow, ev: ConfigEvent, note: string | null): void {
  w.to = new Date(ev.time).toISOString();
  w.toMs = ev.time;
  w.closedBy = ev.eventId;
  w.closedByEvent = ev.id;
  if (/PublicAccessBlock/.test(ev.action) && ev.action.startsWith('Put')) {
    note = [note, 'closed by a public access block: the grant itself remained'].filter(Boolean).join('; ');
  }
  if (note) w.note = [w.note, note].filter(Boolean).join('; ');
}

/**
 * Anonymous downloads before any change that made the bucket public: the bucket was already
 * public when the evidence starts. The window ends at the first change after which nothing public
 * remained, or where the first recorded public window begins; otherwise it stays open.
 */
function alreadyPublic(windows: ExposureWindow[], anonymous: AnonymousActivity[], closers: Map<string, ConfigEvent[]>): ExposureWindow[] {
  const out: ExposureWindow[] = [];
  for (const a of anonymous) {
    const publicWindows = windows.filter((w) => w.bucket === a.bucket && w.key === null && w.scope === 'public' && w.fromMs !== null);
    const firstOpen = Math.min(...publicWindows.map((w) => w.fromMs!), Infinity);
    if (a.first >= firstOpen) continue;
    const closer = (closers.get(a.bucket) ?? []).find((c) => c.time >= a.first && c.time < firstOpen);
    const toMs = closer ? closer.time : Number.isFinite(firstOpen) ? firstOpen : null;
    const first = new Date(a.first).toISOString();
    let note = `the evidence starts with the bucket already readable by anyone: anonymous downloads from ${first}, and no change in the case that opened it`;
    if (closer) note += `; ends at ${closer.action} (${closer.eventId ?? `event ${closer.id}`}), after which no grant to anyone remained`;
    else if (toMs !== null) note += '; runs into the first recorded public window';
    out.push({
      bucket: a.bucket, key: null, from: null, fromMs: null, to: toMs === null ? null : new Date(toMs).toISOString(), toMs,
      scope: 'public', accounts: [], via: 'observed', conditional: false, conditions: [],
      openedBy: null, openedByEvent: null, closedBy: closer?.eventId ?? null, closedByEvent: closer?.id ?? null, note, blockedBy: null,
    });
  }
  return out;
}
