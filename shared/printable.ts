// Log text is written by whoever sent the request: before it reaches a terminal, control characters
// (an ANSI escape in a user agent can rewrite the screen) are shown as visible escapes instead.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(s: string | null | undefined): string {
  if (s === null || s === undefined) return '-';
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
