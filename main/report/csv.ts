// CSV cells (RFC 4180) that are safe to open in a spreadsheet.

/**
 * Text that a spreadsheet would run as a formula (starting = + - @, or a tab or carriage return that
 * some strip before looking) gets a leading apostrophe, as OWASP advises. Log fields are attacker
 * controlled: a user agent of `=HYPERLINK(...)` must stay text. Numbers are written as numbers.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const t = neutralise(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function csvLine(cells: Array<string | number | boolean | null>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
