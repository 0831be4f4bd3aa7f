// The packaged app's configuration, read by electron-builder's own loader and checked against its
// own schema (as `npm run dist` does): Electron's fuses flipped as the security checklist asks, the
// release configuration forcing code signing while a local build may stay unsigned, and a minimal
// macOS entitlements file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { Writable } from 'node:stream';
import { DebugLogger, log } from 'builder-util';
import { ROOT } from '../../support/paths';

// electron-builder's logger prints to stdout, which node's test runner reads as its own protocol
// from each test file: a stray line there fails the file with "Unable to deserialize cloned data".
(log as unknown as { stream: NodeJS.WritableStream }).stream = new Writable({ write: (_chunk, _encoding, done) => done() });

const load = async (file: string) => {
  const config = await getConfig(ROOT, join(ROOT, file), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
};

const FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
};

test("electron-builder.yml sets Electron's fuses, and the release build inherits them", async () => {
  const local = await load('electron-builder.yml');
  assert.deepEqual(local.electronFuses, FUSES);
  assert.equal(local.asar, true, 'onlyLoadAppFromAsar needs an asar archive');
  const release = await load('electron-builder.release.yml');
  assert.deepEqual(release.electronFuses, FUSES);
});

test('a release build must be signed; a local build may be unsigned', async () => {
  const local = await load('electron-builder.yml');
  const release = await load('electron-builder.release.yml');
  assert.ok(!local.forceCodeSigning);
  assert.equal(release.forceCodeSigning, true);
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.match(scripts['dist:release'], /--config electron-builder\.release\.yml/);
  for (const c of [local, release]) {
    assert.equal(c.mac?.hardenedRuntime, true);
    assert.equal(c.mac?.notarize, true);
    assert.equal(c.mac?.entitlements, 'build/entitlements.mac.plist');
    assert.deepEqual(c.win?.signtoolOptions?.signingHashAlgorithms, ['sha256']);
  }
});

test('the macOS entitlements allow the JIT and nothing that weakens code signing', () => {
  const plist = readFileSync(join(ROOT, 'build', 'entitlements.mac.plist'), 'utf8');
  const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
  assert.deepEqual(keys, ['com.apple.security.cs.allow-jit']);
  assert.doesNotMatch(plist.replace(/<!--[\s\S]*?-->/g, ''), /disable-library-validation|allow-unsigned-executable-memory|allow-dyld-environment-variables|get-task-allow/);
});
