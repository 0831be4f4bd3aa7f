// Where the Electron binary is, when it is installed — found without `require('electron')`, which
// since Electron 45 downloads the binary when it is missing (on an offline machine: a failed fetch on
// every test run; on a CI machine: a download in the middle of the tests). The same answer as the
// package's index.js: ELECTRON_OVERRIDE_DIST_PATH, else node_modules/electron/dist + path.txt.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, rel || 'electron') : rel ? join(dir, 'dist', rel) : null;
  return full && existsSync(full) ? full : null;
}

module.exports = { electronBinary };
