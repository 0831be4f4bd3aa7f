// Identity resolution: from an access key or an assumed-role session back to the IAM user, SSO user
// or federated identity behind it, through the STS and sign-in events in the case. Pure: records in,
// a resolver out. A link is only made where an event shows it; nothing is inferred from names,
// except IAM Identity Center roles (AWSReservedSSO_*) whose session name is the user name by design.
import type { IdentityVia, ResolvedIdentity } from '../../shared/analysis';
import { tells, type CloudTrailRecord } from '../ingest/canonical-record';

export const IDENTITY_ACTIONS = [
  'AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin',
] as const;

export interface IdentityEvent { time: number; action: string; errorCode: string | null; eventId: string | null; record: CloudTrailRecord | null }

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const s = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export interface IdentityIndex {
  byAccessKey: Map<string, ResolvedIdentity>;
  bySession: Map<string, ResolvedIdentity>;
}

function callerOf(rec: Json): string | null {
  const u = obj(rec.userIdentity);
  return s(u.arn) ?? s(u.invokedBy) ?? (s(u.type) === 'AWSService' ? s(rec.sourceIPAddress) : null);
}

/** Builds an index, or extends one with events read since (links from later events win). */
export function buildIdentityIndex(events: IdentityEvent[], into?: IdentityIndex): IdentityIndex {
  const byAccessKey = into?.byAccessKey ?? new Map<string, ResolvedIdentity>();
  const bySession = into?.bySession ?? new Map<string, ResolvedIdentity>();
  for (const ev of [...events].sort((a, b) => a.time - b.time)) {
    if (ev.errorCode) continue;
    const rec = ev.record;
    // A record that does not tell the response (a Lake row) links nothing: the identity stays unknown.
    if (!rec || !tells(rec, 'responseElements')) continue;
    const resp = obj(rec.responseElements);
    const req = obj(rec.requestParameters);
    const time = new Date(ev.time).toISOString();
    let identity: string | null = null;
    const via = ev.action as IdentityVia;
    if (ev.action === 'AssumeRole' || ev.action === 'GetSessionToken' || ev.action === 'GetFederationToken') {
      identity = callerOf(rec);
      const source = s(req.sourceIdentity);
      if (identity && source) identity = `${identity} (source identity ${source})`;
    } else if (ev.action === 'AssumeRoleWithSAML') {
      identity = s(resp.subject) ?? s(obj(rec.userIdentity).userName) ?? s(obj(rec.userIdentity).principalId);
    } else if (ev.action === 'AssumeRoleWithWebIdentity') {
      const subject = s(resp.subjectFromWebIdentityToken);
      const provider = s(resp.provider) ?? s(obj(rec.userIdentity).identityProvider);
      identity = subject ? (provider ? `${subject} via ${provider}` : subject) : null;
    } else if (ev.action === 'ConsoleLogin') {
      // A federated console sign-in names the role session; the identity provider's user is its session name.
      const u = obj(rec.userIdentity);
      if (s(u.type) === 'AssumedRole' && s(u.arn) && s(obj(rec.responseElements).ConsoleLogin) === 'Success') {
        const session = s(u.arn)!.split('/').pop() ?? null;
        if (session) bySession.set(s(u.arn)!, { identity: session, via, eventId: ev.eventId, time });
      }
      continue;
    }
    if (!identity) continue;
    const link: ResolvedIdentity = { identity, via, eventId: ev.eventId, time };
    const key = s(obj(resp.credentials).accessKeyId);
    if (key) byAccessKey.set(key, link);
    const session = s(obj(resp.assumedRoleUser).arn) ?? s(obj(resp.federatedUser).arn);
    if (session) bySession.set(session, link);
  }
  return { byAccessKey, bySession };
}

const SSO_ROLE = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/AWSReservedSSO_[^/]+\/(.+)$/;

/** The identity behind a principal (and the access key it used, when logged); follows role chains. */
export function resolveIdentity(index: IdentityIndex, actor: string | null, accessKeyId: string | null = null): ResolvedIdentity | null {
  let found: ResolvedIdentity | null = (accessKeyId && index.byAccessKey.get(accessKeyId)) || (actor && index.bySession.get(actor)) || null;
  if (!found && actor) {
    const sso = SSO_ROLE.exec(actor);
    if (sso) return { identity: sso[1], via: 'IdentityCenter', eventId: null, time: null };
    return null;
  }
  // Role chaining: the caller of AssumeRole may itself be a session; follow it a few steps.
  for (let i = 0; found && i < 5; i++) {
    const base = found.identity.split(' ')[0];
    const next = index.bySession.get(base) ?? (SSO_ROLE.test(base) ? resolveIdentity(index, base) : null);
    if (!next || next.identity === found.identity) break;
    found = { ...next, identity: `${next.identity} → ${found.identity}` };
  }
  return found;
}
