// The built page loads as classic scripts only (renderer/vite.config.ts says why): no module script,
// no crossorigin fetch, no inline script (the CSP refuses those), and the bundle itself compiles as a
// classic script — an import, export or import.meta left in it would be a SyntaxError here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { ROOT } from '../../support/paths';

const RENDERER = join(ROOT, 'dist', 'renderer');

test('dist/renderer/index.html has no module script and nothing fetched in CORS mode', () => {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1, 'the page has its script');
  for (const [tag, attrs, body] of scripts) {
    assert.doesNotMatch(attrs, /type=/, tag);
    assert.doesNotMatch(attrs, /crossorigin/, tag);
    assert.match(attrs, /\sdefer\b/, `${tag}: runs after the document is parsed, as a module would`);
    assert.equal(body.trim(), '', `${tag}: no inline script`);
    const src = /src="\.\/([^"]+)"/.exec(attrs)?.[1];
    assert.ok(src && existsSync(join(RENDERER, src)), `${tag}: its file is in the build`);
    assert.doesNotThrow(() => new Script(readFileSync(join(RENDERER, src), 'utf8'), { filename: src }), `${src} compiles as a classic script`);
  }
  assert.doesNotMatch(html, /modulepreload|crossorigin|type="module"/);
  const styles = [...html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)">/g)];
  assert.equal(styles.length, 1, 'one stylesheet file (no styles injected at run time)');
  assert.ok(existsSync(join(RENDERER, styles[0][1])));
});
