// Which events analysis reads in full, listed in marked_events (migration 004) as they are stored:
// configuration changes, marked with their kind, and STS / sign-in events, marked 'identity'.
import { IDENTITY_ACTIONS } from '../analysis/identity';

export const CONFIG_KINDS = ['acl-change', 'policy-change', 'public-access-change', 'logging-change'] as const;

const configKinds = new Set<string>(CONFIG_KINDS);
const identityActions = new Set<string>(IDENTITY_ACTIONS);

export function markOf(kind: string, action: string): string | null {
  if (configKinds.has(kind)) return kind;
  return identityActions.has(action) ? 'identity' : null;
}
