// Pseudonyms for wider circulation: every IP address and principal becomes IP-n / Principal-n,
// the same value always the same name within a report, numbered in the order first met (the
// report meets them in time order, so IP-1 is the first address to download anything).

export class Namer {
  private readonly ips = new Map<string, string>();
  private readonly principals = new Map<string, string>();
  private readonly accounts = new Map<string, string>();

  constructor(readonly redact: boolean) {}

  ip(value: string): string;
  ip(value: string | null): string | null;
  ip(value: string | null): string | null {
    if (value === null || !this.redact) return value;
    return name(this.ips, value, 'IP');
  }

  /** `anonymous` is a kind of caller, not a name, and stays. */
  principal(value: string): string {
    if (!this.redact || value === 'anonymous') return value;
    return name(this.principals, value, 'Principal');
  }

  account(value: string): string {
    if (!this.redact) return value;
    return name(this.accounts, value, 'Account');
  }

  /**
   * Free text (the investigator's notes, analysis notes) with every value already named replaced.
   * Longest first, so an ARN is replaced whole before an account ID inside it.
   */
  text(value: string): string {
    if (!this.redact) return value;
    const pairs = [...this.principals, ...this.accounts, ...this.ips].sort((a, b) => b[0].length - a[0].length);
    let out = value;
    for (const [from, to] of pairs) out = out.split(from).join(to);
    // Addresses the report never met elsewhere still must not leak through a note.
    out = out.replace(/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, (m) => name(this.ips, m, 'IP'));
    out = out.replace(/\barn:aws[\w-]*:[^\s"'<>,;)]+/g, (m) => name(this.principals, m, 'Principal'));
    // AWS account IDs (in evidence paths such as AWSLogs/<account>/ or <account>_CloudTrail_…) name the victim's accounts.
    out = out.replace(/(?<!\d)\d{12}(?!\d)/g, (m) => name(this.accounts, m, 'Account'));
    return out;
  }
}

function name(map: Map<string, string>, value: string, prefix: string): string {
  let n = map.get(value);
  if (!n) map.set(value, (n = `${prefix}-${map.size + 1}`));
  return n;
}
