#!/usr/bin/env node
'use strict';
// Reserved for the amr-cmk command-line interface; today it only answers --version.
const { version } = require('../index.js');

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`amr-cmk ${version()}\n`);
} else {
  process.stderr.write('amr-cmk: the command-line interface is not available yet (only --version)\n');
  process.exitCode = 2;
}
