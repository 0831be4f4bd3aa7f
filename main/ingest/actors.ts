// Who made a request, from the principal strings the two sources write.
import type { ActorType } from '../../shared/events';

const CANONICAL_ID = /^[0-9a-f]{64}$/;

/** Actor type and account of an S3 access-log Requester field (already '-'-normalized to null). */
export function classifyRequester(requester: string | null): { actor: string; actorType: ActorType; accountId: string | null } {
  // '-' today; the 2006 log format wrote the word "Anonymous".
  if (requester === null || requester === 'Anonymous') return { actor: 'anonymous', actorType: 'anonymous', accountId: null };
  if (requester.startsWith('arn:')) return { actor: requester, actorType: arnType(requester), accountId: arnAccount(requester) };
  if (requester.startsWith('svc:') || requester === 'AmazonS3') return { actor: requester, actorType: 'AWSService', accountId: null };
  if (CANONICAL_ID.test(requester)) return { actor: requester, actorType: 'canonical-user', accountId: null };
  return { actor: requester, actorType: 'unknown', accountId: null };
}

function arnType(arn: string): ActorType {
  const resource = arn.split(':').slice(5).join(':');
  if (resource === 'root') return 'Root';
  if (resource.startsWith('user/')) return 'IAMUser';
  if (resource.startsWith('assumed-role/')) return 'AssumedRole';
  if (resource.startsWith('federated-user/')) return 'FederatedUser';
  return 'unknown';
}

export function arnAccount(arn: string): string | null {
  const account = arn.split(':')[4];
  return account ? account : null;
}
