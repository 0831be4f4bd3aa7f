// A tagged template for HTML in which every interpolated value is escaped unless it is itself
// the output of this tag. Log text (user agents, keys, notes) cannot become markup by mistake.

export class Html {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

type Value = Html | string | number | null | undefined | false | Value[];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0];
  values.forEach((v, i) => { out += render(v) + strings[i + 1]; });
  return new Html(out);
}

/** For the few fixed strings written in code (CSS), never for data. */
export function trusted(text: string): Html {
  return new Html(text);
}
