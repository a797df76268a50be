#!/usr/bin/env node
'use strict';
// The amr-cmk command line. The core parses the arguments and does all the work (`cliPlan`, `cliRun`); this
// file only reads the files the plan names (`-` is standard input), decides on colour, and prints.
const { readFileSync } = require('node:fs');
const { cliPlan, cliRun } = require('../index.js');

// The same wording as the C library's strerror, which the other bindings print.
const READ_ERRORS = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
};

function read(name) {
  try {
    return { name, text: readFileSync(name === '-' ? 0 : name, 'utf8') };
  } catch (e) {
    return { name, error: READ_ERRORS[e.code] ?? String(e.message) };
  }
}

const plan = cliPlan(process.argv.slice(2));
const color =
  plan.color === 'always' ||
  (plan.color === 'auto' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
const out = cliRun({ plan, inputs: plan.files.map(read), color });
process.stdout.write(out.stdout);
process.stderr.write(out.stderr);
process.exitCode = out.exitCode;
