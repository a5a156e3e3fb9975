// Runs test/**/*.test.ts under node's own test runner, with tsx for TypeScript.
//
//   node scripts/run-tests.mjs [--unit] [path filters...] [node --test-* flags...]
//
// Unit files run two at a time. Files that start Chromium or code-server (named *.e2e.test.ts) run after
// them, one at a time: two browsers or two VS Codes at once on a 2-core machine starve each other until
// their waits time out, and a unit file's timing must not depend on a browser beside it.
// --unit runs only what needs no system package: no *.e2e.test.ts file, and NNB_TEST_UNIT=1 makes the
// tests that run Debian's PyTorch skip themselves (test/helpers/system.ts).
// A path filter keeps the files whose path contains it; flags starting with --test- go to node, e.g.
// --test-name-pattern="Revert" runs the tests whose name matches. (Node 20's --test does not expand
// globs, so the files are listed here.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const nodeFlags = args.filter((a) => a.startsWith('--test-'));
const filters = args.filter((a) => !a.startsWith('--'));
const isE2e = (f) => f.endsWith('.e2e.test.ts');

const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !(unitOnly && isE2e(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}${unitOnly ? ' (--unit: no *.e2e.test.ts)' : ''}`);
  process.exit(1);
}

const env = unitOnly ? { ...process.env, NNB_TEST_UNIT: '1' } : process.env;
/** One node --test run over `group`, `concurrency` files at a time; true when every test passed. */
function run(group, concurrency) {
  if (group.length === 0) return true;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...nodeFlags, ...group], {
    stdio: 'inherit',
    env,
  });
  return r.status === 0;
}

const started = Date.now();
const unitPassed = run(
  files.filter((f) => !isE2e(f)),
  2,
);
const e2ePassed = run(files.filter(isE2e), 1);
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(
  `\n${files.length} test files in ${minutes} min: ${unitPassed && e2ePassed ? 'all passed' : `FAILED (${[!unitPassed && 'unit', !e2ePassed && 'e2e'].filter(Boolean).join(', ')})`}`,
);
process.exit(unitPassed && e2ePassed ? 0 : 1);
