// `npm run screenshots`: runs the e2e suite with its screenshots written to docs/screenshots (the
// README's pictures) instead of the ignored test-results/screenshots an ordinary test run uses.
import { execFileSync } from 'node:child_process';

try {
  execFileSync(process.execPath, ['scripts/e2e.mjs', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, TRAILMARK_SCREENSHOTS: 'docs' } });
} catch (err) {
  process.exit(err.status ?? 1);
}
