/**
 * What a test needs beyond npm. `npm test` installs it (scripts/ensure-test-deps.sh) and runs everything;
 * `npm run test:unit` (scripts/run-tests.mjs --unit, which sets NNB_TEST_UNIT=1) runs only what needs no
 * system package, so the tests below are skipped there with the reason, never silently passed. Browser and
 * code-server tests are whole files, named *.e2e.test.ts, which --unit leaves out.
 */

/** Debian's python3 with python3-torch and python3-numpy (the `python3` on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

/** The `skip` option of a test that runs PYTHON: a reason under test:unit, false (run it) otherwise. */
export const needsPyTorch: string | false =
  process.env.NNB_TEST_UNIT === '1' ? `needs ${PYTHON} with torch and numpy (npm test runs it; npm run test:unit does not)` : false;
