// Values that go into SQL sent to CloudTrail Lake and Athena. That SQL is built from investigator input,
// and neither service takes bind parameters for it, so every value is checked against an allow-list of
// characters first and then written as a quoted literal with its quotes (and LIKE wildcards) escaped.
// Anything outside the allow-list is refused with the reason, never "cleaned".

export class QueryValueError extends Error {}

function check(what: string, value: string, re: RegExp, rule: string): string {
  if (!re.test(value)) throw new QueryValueError(`${what} ${JSON.stringify(value.slice(0, 80))} is not allowed: ${rule}`);
  return value;
}

export const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Letters and digits of any script and the punctuation S3's guidelines call safe, plus a few common ones. */
const KEY_PREFIX = /^[\p{L}\p{N}!\-_.*'()/ +=,@:~&$;%#[\]]{0,1024}$/u;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
const OPERATION = /^[A-Z][A-Z0-9._]{1,63}$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const EDS = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

export const checkBucket = (v: string) => check('bucket', v, BUCKET, 'S3 bucket names are 3-63 lowercase letters, digits, dots and hyphens');
export const checkKeyPrefix = (v: string) => check('key prefix', v, KEY_PREFIX, 'letters, digits, spaces and !-_.*\'()/+=,@:~&$;%#[] only, at most 1024');
export const checkEventName = (v: string) => check('event name', v, EVENT_NAME, 'CloudTrail event names are letters and digits (GetObject)');
export const checkOperation = (v: string) => check('operation', v, OPERATION, 'S3 access-log operations are upper-case words joined by dots (REST.GET.OBJECT)');
export const checkIdentifier = (what: string, v: string) => check(what, v, IDENT, 'letters, digits and underscores, starting with a letter or underscore');
export const checkEventDataStoreId = (v: string) => check('event data store ID', v, EDS, 'letters, digits and hyphens');

/** A checked string as a SQL literal. */
export function literal(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** A LIKE pattern matching values that start with `prefix`; use with ESCAPE '\'. */
export function likePrefix(prefix: string): string {
  return literal(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/** `2024-03-01 12:00:00` (UTC): the timestamp literal both engines compare eventTime with. */
export function timestampText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new QueryValueError('invalid time');
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
