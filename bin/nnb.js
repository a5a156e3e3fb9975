#!/usr/bin/env node
// The `nnb` command: the bundled CLI, dist/cli/nnb.js, which `npm run build` writes (scripts/build-bundles.mjs).
// It is plain JavaScript, so an installed `nnb` needs nothing at run time beyond the package's dependencies.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli', 'nnb.js');
if (!existsSync(bundle)) {
  process.stderr.write(`nnb: ${bundle} is missing: build it with \`npm run build\` (or \`npm run build:bundles\`) in ${join(__dirname, '..')}\n`);
  process.exit(1);
}
require(bundle)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`nnb: ${(e && e.stack) || e}\n`);
      process.exitCode = 1;
    },
  );
