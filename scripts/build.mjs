// Builds everything the app, the CLI and the tests run: tsc for main/shared/test (CommonJS in dist/),
// the sandboxed preload bundled into one file (a sandboxed preload cannot require project files),
// the numbered SQL migrations and the shipped AWS ranges copied beside their loaders, and the renderer by Vite.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { build } from 'esbuild';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

// Compiled files of sources since moved or deleted would stay behind and shadow their new places
// (dist/main/cli.js before dist/main/cli/index.js for require('…/main/cli')): they are removed first.
const removeOrphans = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { removeOrphans(path); continue; }
    const m = /^dist\/(.*)\.(js|js\.map|d\.ts)$/.exec(path.split(sep).join('/'));
    if (m && !existsSync(`${m[1]}.ts`) && !existsSync(`${m[1]}.tsx`)) rmSync(path);
  }
};
for (const dir of ['dist/main', 'dist/shared', 'dist/test']) removeOrphans(dir);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
mkdirSync('dist/main/case/migrations', { recursive: true });
cpSync('main/case/migrations', 'dist/main/case/migrations', { recursive: true, filter: (f) => !f.endsWith('.ts') });
cpSync('main/enrich/data', 'dist/main/enrich/data', { recursive: true }); // AWS's ranges, shipped compacted
// The IPv4 ASN table packed once here, so no run parses its CSV (main/enrich/asn.ts, PACKED_V4).
{
  const require = createRequire(import.meta.url);
  const { packV4, PACKED_V4 } = require('../dist/main/enrich/asn.js');
  const { dataPaths } = require('../dist/main/enrich/data.js');
  const paths = dataPaths();
  packV4(paths.asnV4, paths.asnVersion, PACKED_V4);
}

if (existsSync('main/app/preload.ts')) {
  await build({
    entryPoints: ['main/app/preload.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['electron'], outfile: 'dist/main/app/preload.js', logLevel: 'warning',
  });
}
if (existsSync('renderer/index.html')) {
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'renderer/tsconfig.json', '--noEmit']);
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}
