// The case worker starts without the AWS SDK: it loads with the first pull (the pull tests through
// the stand-in server show that road still works). Each test file runs in its own process, so the
// module cache here holds only what this file's imports brought in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CaseCore } from '../../../main/case-worker/core';

test('loading the case worker does not load the AWS SDK', () => {
  assert.equal(typeof CaseCore, 'function');
  const sdk = Object.keys(require.cache).filter((m) => m.includes(`${'@aws-sdk'}`));
  assert.deepEqual(sdk, []);
});
