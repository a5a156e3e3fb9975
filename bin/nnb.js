#!/usr/bin/env node
// The `nnb` command: the bundled CLI (dist/cli/nnb.js) when it has been built, otherwise the TypeScript
// sources through tsx, so the command works in a plain checkout too.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', 'dist', 'cli', 'nnb.js');
let cli = existsSync(bundle) ? require(bundle) : null;
if (cli === null || typeof cli.main !== 'function') {
  require('tsx/cjs');
  cli = require('../cli/main.ts');
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`nnb: ${(e && e.stack) || e}\n`);
    process.exitCode = 1;
  },
);
