// AWS failures turned into messages an investigator can act on. The SDK has already retried
// throttling and 5xx answers by the time an error reaches here.

export class AwsPullError extends Error {
  constructor(message: string, readonly code: string | null, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'SlowDown', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** `what` says what was being done ("LookupEvents in eu-west-1, page 3"); `profile` names the credentials. */
export function explainAwsError(err: unknown, what: string, profile: string | undefined, resumable: boolean): AwsPullError {
  if (err instanceof AwsPullError) return err;
  const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const code = e?.Code ?? e?.name ?? null;
  const who = profile ? `profile "${profile}"` : 'the default credentials';
  const again = resumable ? ' Run the same pull again to continue where it stopped.' : '';
  let message: string;
  if (code && EXPIRED.has(code)) {
    message = `${what}: the AWS credentials of ${who} have expired (${code}). Renew them (for SSO: aws sso login${profile ? ` --profile ${profile}` : ''}); nothing from this call was imported.${again}`;
  } else if (code && DENIED.has(code)) {
    message = `${what}: AWS refused the credentials of ${who} (${code}: ${e.message ?? ''}). See docs/iam-policy.md for the read-only permissions Trailmark needs.${again}`;
  } else if (code && THROTTLED.has(code)) {
    message = `${what}: AWS kept throttling after ${e.$metadata?.attempts ?? 'several'} attempts (${code}). Wait a few minutes.${again}`;
  } else if (code === 'CredentialsProviderError' || /Could not load credentials|profile .* could not be found/i.test(e?.message ?? '')) {
    message = `${what}: no AWS credentials for ${who}: ${e?.message ?? ''}`;
  } else {
    const status = e?.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
    message = `${what}: ${code ?? 'error'}${status}: ${e?.message ?? String(err)}.${again}`;
  }
  return new AwsPullError(message, code, { cause: err });
}
