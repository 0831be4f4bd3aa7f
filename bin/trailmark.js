#!/usr/bin/env node
'use strict';
require('../dist/main/cli/index.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`trailmark: ${err && err.message ? err.message : err}`); process.exitCode = 2; },
);
