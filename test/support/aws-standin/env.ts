// Points the AWS SDK in this process (and in children given `childEnv`) at a stand-in: AWS_ENDPOINT_URL
// plus a throwaway config/credentials pair holding a static-key profile, so the profile chain is used
// exactly as with a real account. Nothing here reaches AWS.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROFILE = 'standin';
const KEYS = ['AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EC2_METADATA_DISABLED'];

export function awsFiles(region = 'us-east-1'): { config: string; credentials: string } {
  const dir = mkdtempSync(join(tmpdir(), 'trailmark-aws-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, `[profile ${PROFILE}]\nregion = ${region}\n`);
  writeFileSync(credentials, `[${PROFILE}]\naws_access_key_id = AKIASTANDINEXAMPLE01\naws_secret_access_key = standinSecretKeyExample0000000000000000000\n`);
  return { config, credentials };
}

/** Environment for a child process (or this one) that should reach only the stand-in. */
export function standinEnv(url: string, region = 'us-east-1'): Record<string, string> {
  const f = awsFiles(region);
  return { AWS_ENDPOINT_URL: url, AWS_CONFIG_FILE: f.config, AWS_SHARED_CREDENTIALS_FILE: f.credentials, AWS_EC2_METADATA_DISABLED: 'true' };
}

/** Sets this process's environment for the stand-in; returns a function restoring it. */
export function useStandin(url: string, region = 'us-east-1'): () => void {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, standinEnv(url, region));
  return () => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
