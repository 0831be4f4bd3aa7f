// Security regressions fail the build: the window's webPreferences, the CSP, the app:// path rules
// and the sandboxed preload's imports are asserted exactly.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  APP_ENTRY, CSP, isAllowedNavigation, isAllowedRequest, isTrustedSenderUrl, RESPONSE_HEADERS, resolveAppPath,
  SCHEME_PRIVILEGES, userDataOverride, WEB_PREFERENCES, windowOptions,
} from '../../../main/app/security';
import { readAppFile } from '../../../main/app/static-files';

test('webPreferences are exactly the hardened set', () => {
  assert.deepEqual(WEB_PREFERENCES, {
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
  });
  const opts = windowOptions('/x/preload.js');
  assert.deepEqual(opts.webPreferences, { ...WEB_PREFERENCES, preload: '/x/preload.js' });
});

test('the CSP is exactly the strict policy, with no remote origin, inline script or eval', () => {
  assert.equal(CSP, "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    + "connect-src 'self'; media-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'self'; base-uri 'none'; "
    + "form-action 'none'; frame-ancestors 'none'");
  assert.doesNotMatch(CSP, /unsafe-inline|unsafe-eval|wasm-unsafe-eval|https?:|\*|blob:/);
  assert.equal(RESPONSE_HEADERS['Content-Security-Policy'], CSP);
  assert.equal(RESPONSE_HEADERS['X-Content-Type-Options'], 'nosniff');
  assert.deepEqual(SCHEME_PRIVILEGES, { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, stream: false });
});

test('app:// URLs resolve inside the renderer folder only', () => {
  const root = '/opt/trailmark/dist/renderer';
  assert.equal(resolveAppPath(root, 'app://trailmark/'), join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://trailmark/index.html'), join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://trailmark/assets/index-abc.js?x=1#y'), join(root, 'assets/index-abc.js'));
  // A literal `..` is collapsed by URL parsing and cannot climb above the root.
  assert.equal(resolveAppPath(root, 'app://trailmark/../../main/app/main.js'), join(root, 'main/app/main.js'));
  assert.equal(resolveAppPath(root, 'app://trailmark/%2e%2e/%2e%2e/etc/passwd'), join(root, 'etc/passwd'));
  for (const bad of [
    'app://trailmark/assets/..%2f..%2fsecret', 'app://trailmark/%2e%2e%2f%2e%2e%2fsecret',
    'app://trailmark/..%5c..%5csecret', 'app://trailmark/a%00.js', 'app://other/index.html', 'file:///etc/passwd',
    'https://trailmark/index.html', 'app://trailmark/%E0%A4%A', 'not a url',
  ]) {
    assert.equal(resolveAppPath(root, bad), null, bad);
  }
});

test('served files carry the CSP; traversal out of the folder is a 404', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailmark-static-'));
  try {
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    const ok = await readAppFile(join(dir, 'renderer'), 'app://trailmark/');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.equal(ok.headers['Content-Security-Policy'], CSP);
    const out = await readAppFile(join(dir, 'renderer'), 'app://trailmark/..%2fsecret.txt');
    assert.equal(out.status, 404);
    assert.doesNotMatch(out.body.toString(), /secret/);
    assert.equal(out.headers['Content-Security-Policy'], CSP);
    assert.equal((await readAppFile(join(dir, 'renderer'), 'app://trailmark/missing.js')).status, 404);
    assert.equal((await readAppFile(join(dir, 'renderer'), 'app://trailmark/', 'POST')).status, 405);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('only our own page may call IPC, navigate, or load anything', () => {
  assert.equal(isTrustedSenderUrl('app://trailmark/index.html'), true);
  assert.equal(isTrustedSenderUrl('app://evil/index.html'), false);
  assert.equal(isTrustedSenderUrl('https://trailmark/index.html'), false);
  assert.equal(isTrustedSenderUrl('file:///index.html'), false);
  assert.equal(isTrustedSenderUrl(''), false);
  assert.equal(isAllowedNavigation(APP_ENTRY), true);
  assert.equal(isAllowedNavigation('https://example.com/'), false);
  assert.equal(isAllowedNavigation('app://trailmark/other.html'), false);
  assert.equal(isAllowedRequest('app://trailmark/assets/a.js'), true);
  assert.equal(isAllowedRequest('https://example.com/x.js'), false);
  assert.equal(isAllowedRequest('file:///etc/passwd'), false);
  assert.equal(isAllowedRequest('app://trailmark.evil.com/x'), false);
});

test('the sandboxed preload bundle requires nothing but electron', () => {
  const bundle = readFileSync(join(__dirname, '../../../main/app/preload.js'), 'utf8');
  const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.match(bundle, /exposeInMainWorld\(\s*["']trailmark["']/);
});

test('TRAILMARK_USER_DATA moves the profile of a development build only', () => {
  assert.equal(userDataOverride(false, { TRAILMARK_USER_DATA: '/tmp/profile' }), '/tmp/profile');
  assert.equal(userDataOverride(true, { TRAILMARK_USER_DATA: '/tmp/profile' }), null);
  assert.equal(userDataOverride(false, {}), null);
  assert.equal(userDataOverride(false, { TRAILMARK_USER_DATA: '' }), null);
});
