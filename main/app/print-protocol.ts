// The print window's page, served from memory over a scheme of its own instead of a temporary
// file:// page: nothing is written to disk, no file:// URL is ever loaded (the fuse that gives
// file:// extra privileges is off), and the one URL answered is the report being printed. Pure (no
// electron import), so the rules are tested under Node; print.ts puts them behind protocol.handle.
import type { Privileges } from 'electron';

export const PRINT_SCHEME = 'trailmark-print';
/** Standard (so the URL parses like http's) and secure; no fetch, no CORS, no CSP bypass, no service workers. */
export const PRINT_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, stream: false, allowServiceWorkers: false } as const satisfies Privileges;

/** The report's own CSP (renderReportHtml's), repeated as a header: a page that dropped its meta tag still runs nothing and loads nothing. */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export interface PrintResponse { status: number; headers: Record<string, string>; body: string | null }

/** A fresh URL per print job; the token only keeps two jobs' pages apart. */
export function printUrl(token: string): string {
  if (!/^[0-9a-f-]{8,64}$/.test(token)) throw new Error('print token: hex digits and dashes only');
  return `${PRINT_SCHEME}://report/${token}.html`;
}

/** The answer to a request on the print scheme: the report for exactly its URL, nothing else. */
export function printResponse(served: { url: string; html: string }, url: string, method = 'GET'): PrintResponse {
  const headers = { 'Content-Security-Policy': PRINT_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'method not allowed' };
  if (url !== served.url) return { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not found' };
  return { status: 200, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }, body: method === 'HEAD' ? null : served.html };
}

/** What the print window's session lets through: its own page, and data: URLs inside it (the report's images). */
export function isAllowedPrintRequest(servedUrl: string, url: string): boolean {
  return url === servedUrl || url.startsWith('data:');
}
