// The window's security settings and the app:// origin rules, as plain data and pure functions.
// No runtime electron import here: test/unit/app/security.test.ts asserts these under Node, so a
// weakened setting fails the build instead of shipping.
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { BrowserWindowConstructorOptions, Privileges, WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'trailmark';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Only our own bundled files: no remote origins, no inline script or style elements, no eval, no plugins, no framing. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every app:// response. */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
  enableWebSQL: false,
} as const satisfies WebPreferences;

export const WINDOW_OPTIONS = {
  width: 1440,
  height: 900,
  minWidth: 960,
  minHeight: 600,
  title: 'Trailmark',
  backgroundColor: '#f6f7f9',
  show: false,
} as const satisfies BrowserWindowConstructorOptions;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return { ...WINDOW_OPTIONS, webPreferences: { ...WEB_PREFERENCES, preload: preloadPath } };
}

/** Privileges of the app:// scheme, registered before the app is ready. No CSP bypass, no fetch from pages. */
export const SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, stream: false } as const satisfies Privileges;

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * The file under `root` an app:// URL names, or null when the URL is not ours or would leave root
 * (`..`, encoded `%2e%2e`, backslashes, NUL). The root itself maps to index.html.
 */
export function resolveAppPath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '/' || path === '') path = '/index.html';
  if (path.split('/').some((part) => part === '..')) return null;
  const full = normalize(join(root, path));
  const rel = relative(root, full);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return full;
}

/**
 * The profile folder a test asked for (TRAILMARK_USER_DATA), in a development build only. A packaged
 * app keeps its own: an environment variable must not move the recent-case list and sample cases.
 */
export function userDataOverride(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): string | null {
  return !isPackaged && env.TRAILMARK_USER_DATA ? env.TRAILMARK_USER_DATA : null;
}

/** Whether an IPC sender's URL is our own page (app://trailmark/…). */
export function isTrustedSenderUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The one case the window may navigate: a reload of our own entry page. */
export function isAllowedNavigation(url: string): boolean {
  return url === APP_ENTRY || url === `${APP_ORIGIN}/`;
}

/** Requests the session lets through: our own scheme, and DevTools' own pages. Everything else is remote or local-file content. */
export function isAllowedRequest(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || url.startsWith('devtools://');
}
