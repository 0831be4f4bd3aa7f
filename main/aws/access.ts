// How Trailmark reaches AWS: a profile name for the standard credential chain (config/credentials
// files, SSO, environment, credential_process), an optional region, and retry settings. Credentials
// are resolved by the SDK at call time and never stored in the case. Endpoints are not set here: the
// SDK reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> itself, which is how stand-ins are reached.
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export interface AwsAccess {
  /** Profile in ~/.aws/config; absent: AWS_PROFILE or the default chain. */
  profile?: string;
  /** Region for regional calls; absent: the profile's (or AWS_REGION's). */
  region?: string;
  /** SDK attempts per call, throttling retries included (SDK standard mode, exponential backoff). */
  maxAttempts?: number;
  /** Client-side limit on calls per second per region for rate-limited APIs (LookupEvents: 2). */
  callsPerSecond?: number;
  /** For embedding and tests only: explicit credentials instead of the chain. Never persisted. */
  credentials?: AwsCredentialIdentity;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** Client configuration common to every service client. */
export function clientConfig(access: AwsAccess, region?: string): {
  region?: string; profile?: string; maxAttempts: number; retryMode: string; credentials?: AwsCredentialIdentity;
} {
  const cfg: ReturnType<typeof clientConfig> = { maxAttempts: access.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, retryMode: 'standard' };
  const r = region ?? access.region;
  if (r) cfg.region = r;
  if (access.profile) cfg.profile = access.profile;
  if (access.credentials) cfg.credentials = access.credentials;
  return cfg;
}
