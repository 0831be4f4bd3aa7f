// Who the credentials are: the account ID and principal recorded in every pull's provenance.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, type AwsAccess } from './access';
import { explainAwsError } from './errors';

export interface CallerIdentity { account: string; arn: string; userId: string }

export async function callerIdentity(access: AwsAccess, region: string, signal?: AbortSignal): Promise<CallerIdentity> {
  const sts = new STSClient(clientConfig(access, region));
  try {
    const r = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
    return { account: r.Account ?? '', arn: r.Arn ?? '', userId: r.UserId ?? '' };
  } catch (err) {
    throw explainAwsError(err, 'STS GetCallerIdentity', access.profile, false);
  } finally {
    sts.destroy();
  }
}

/** The region the profile resolves to, when none was given. */
export async function resolveRegion(access: AwsAccess): Promise<string> {
  if (access.region) return access.region;
  const sts = new STSClient(clientConfig(access));
  try {
    return await sts.config.region();
  } catch {
    throw new Error(`no region: give --region, or set one for ${access.profile ? `profile "${access.profile}"` : 'the default profile'} in ~/.aws/config`);
  } finally {
    sts.destroy();
  }
}
