// What one configuration change grants, read from its CloudTrail record: ACL grants (canned,
// x-amz-grant-* headers, AccessControlPolicy), bucket policy statements, public access blocks.
// Pure: raw record in, facts out. Nothing here decides windows; exposure.ts does.
import type { ExposureScope } from '../../shared/analysis';

const ALL_USERS = /acs\.amazonaws\.com\/groups\/global\/AllUsers/i;
const AUTH_USERS = /acs\.amazonaws\.com\/groups\/global\/AuthenticatedUsers/i;
/** Permissions that let the grantee read object data (bucket READ only lists keys; see exposure note). */
const READ_PERMISSIONS = new Set(['READ', 'FULL_CONTROL']);

export interface Grant {
  scope: ExposureScope;
  /** Other accounts (IDs, canonical IDs or e-mail grantees) for cross-account grants. */
  accounts: string[];
  conditional: boolean;
  conditions: string[];
}

export interface AclFacts { grants: Grant[] }

type Json = Record<string, unknown>;
const asArray = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
};

/** Reads a header-ish request parameter whatever its case and whether CloudTrail wrapped it in an array. */
function param(rp: Json, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(rp)) if (k.toLowerCase() === lower) return str(v);
  return null;
}

/**
 * The grants an ACL change leaves in place. An ACL write replaces the whole ACL, so the result
 * is the complete new state for that bucket or object (empty = private).
 */
export function aclGrants(rp: Json | null | undefined, ownerAccount: string | null): AclFacts {
  if (!rp) return { grants: [] };
  const grants: Grant[] = [];
  const canned = param(rp, 'x-amz-acl');
  if (canned === 'public-read' || canned === 'public-read-write') grants.push(plain('public'));
  if (canned === 'authenticated-read') grants.push(plain('authenticated-users'));

  for (const header of ['x-amz-grant-read', 'x-amz-grant-full-control']) {
    const v = param(rp, header);
    if (!v) continue;
    if (ALL_USERS.test(v)) grants.push(plain('public'));
    if (AUTH_USERS.test(v)) grants.push(plain('authenticated-users'));
    const others = [...v.matchAll(/(?:id|emailAddress)="?([^",]+)"?/gi)].map((m) => m[1]).filter((a) => a !== ownerAccount);
    if (others.length) grants.push({ ...plain('cross-account'), accounts: others });
  }

  const policy = (rp.AccessControlPolicy ?? rp.accessControlPolicy) as Json | undefined;
  const list = policy?.AccessControlList as Json | undefined;
  const ownerId = str((policy?.Owner as Json | undefined)?.ID);
  for (const g of asArray(list?.Grant as Json | Json[] | undefined)) {
    const permission = str(g.Permission);
    if (!permission || !READ_PERMISSIONS.has(permission)) continue;
    const grantee = (g.Grantee ?? {}) as Json;
    const uri = str(grantee.URI) ?? '';
    if (ALL_USERS.test(uri)) grants.push(plain('public'));
    else if (AUTH_USERS.test(uri)) grants.push(plain('authenticated-users'));
    else {
      const id = str(grantee.ID) ?? str(grantee.EmailAddress);
      if (id && id !== ownerId) grants.push({ ...plain('cross-account'), accounts: [id] });
    }
  }
  return { grants: dedupe(grants) };
}

export interface PolicyFacts {
  grants: Grant[];
  /** The policy text could not be read: say so rather than guess. */
  unreadable: string | null;
  /** Deny statements or NotPrincipal present: the window may be narrower than the Allow suggests. */
  hasDeny: boolean;
}

const READ_ACTIONS = /^(\*|s3:\*|s3:Get\*|s3:GetObject\*?|s3:GetObjectVersion)$/i;

/** Grants of object read in a bucket policy (PutBucketPolicy requestParameters.bucketPolicy or .policy text). */
export function policyGrants(rp: Json | null | undefined, ownerAccount: string | null): PolicyFacts {
  let policy: unknown = rp?.bucketPolicy ?? null;
  if (!policy && typeof rp?.policy === 'string' && rp.policy.trim()) {
    try {
      policy = JSON.parse(rp.policy as string);
    } catch (err) {
      return { grants: [], unreadable: `policy text is not JSON: ${(err as Error).message}`, hasDeny: false };
    }
  }
  if (typeof policy === 'string') {
    try {
      policy = JSON.parse(policy);
    } catch (err) {
      return { grants: [], unreadable: `policy text is not JSON: ${(err as Error).message}`, hasDeny: false };
    }
  }
  if (!policy || typeof policy !== 'object') return { grants: [], unreadable: 'no policy document in the request', hasDeny: false };
  const grants: Grant[] = [];
  let hasDeny = false;
  for (const s of asArray((policy as Json).Statement as Json | Json[])) {
    if (s.Effect === 'Deny' || s.NotPrincipal !== undefined) {
      hasDeny = true;
      continue;
    }
    if (s.Effect !== 'Allow') continue;
    const actions = asArray(s.Action as string | string[]);
    if (s.NotAction !== undefined) {
      if (asArray(s.NotAction as string | string[]).some((a) => READ_ACTIONS.test(a))) continue;
    } else if (!actions.some((a) => typeof a === 'string' && READ_ACTIONS.test(a))) continue;
    if (!coversObjects(s)) continue;
    const conditions = s.Condition ? [JSON.stringify(s.Condition)] : [];
    const base = { conditional: conditions.length > 0, conditions };
    for (const p of principals(s.Principal)) {
      if (p === '*') grants.push({ scope: 'public', accounts: [], ...base });
      else {
        const account = /^\d{12}$/.test(p) ? p : /^arn:aws[\w-]*:iam::(\d{12}):/.exec(p)?.[1] ?? null;
        if (account && account !== ownerAccount) grants.push({ scope: 'cross-account', accounts: [account], ...base });
      }
    }
  }
  return { grants: dedupe(grants), unreadable: null, hasDeny };
}

/** AWS principals of a statement; "*" for anyone (Principal "*" or {"AWS": "*"}); services are left out. */
function principals(p: unknown): string[] {
  if (p === '*') return ['*'];
  if (!p || typeof p !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(p as Json)) {
    if (k === 'AWS' || k === 'CanonicalUser') out.push(...asArray(v as string | string[]).filter((x) => typeof x === 'string'));
  }
  return out;
}

function coversObjects(s: Json): boolean {
  if (s.NotResource !== undefined) return true;
  const resources = asArray(s.Resource as string | string[]);
  return resources.length === 0 || resources.some((r) => typeof r === 'string' && (r === '*' || /^arn:aws[\w-]*:s3:::[^/]+\/.*/.test(r)));
}

export interface BlockFacts {
  /** Public ACL grants are ignored. */
  ignorePublicAcls: boolean;
  /** Public and cross-account policy grants are restricted to the owner account and services. */
  restrictPublicBuckets: boolean;
}

export const NO_BLOCK: BlockFacts = { ignorePublicAcls: false, restrictPublicBuckets: false };

/** A PutPublicAccessBlock configuration; Delete* passes null and gets NO_BLOCK. */
export function blockFacts(rp: Json | null | undefined): BlockFacts {
  const conf = (rp?.PublicAccessBlockConfiguration ?? rp?.publicAccessBlockConfiguration ?? rp?.PublicAccessBlock) as Json | undefined;
  if (!conf) return NO_BLOCK;
  const flag = (k: string) => conf[k] === true || conf[k] === 'true';
  return { ignorePublicAcls: flag('IgnorePublicAcls'), restrictPublicBuckets: flag('RestrictPublicBuckets') };
}

function plain(scope: ExposureScope): Grant {
  return { scope, accounts: [], conditional: false, conditions: [] };
}

function dedupe(grants: Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of grants) {
    const k = `${g.scope}|${g.accounts.join(',')}|${g.conditions.join('|')}`;
    if (!seen.has(k)) seen.set(k, g);
  }
  return [...seen.values()];
}
