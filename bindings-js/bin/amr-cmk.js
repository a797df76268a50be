#!/usr/bin/env node
'use strict';
// The amr-cmk command line. The core parses the arguments and does all the work (`cliPlan`, `cliRun`); this
// file only reads the files the plan names (`-` is standard input) and the clock, decides on colour, and prints.
const { readFileSync, readdirSync, statSync, copyFileSync, writeFileSync } = require('node:fs');
const { cliPlan, cliRun } = require('../index.js');

// The same wording as the C library's strerror, which the other bindings print.
const READ_ERRORS = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
};

// A file's text, a directory's entry names (subdirectories with a trailing `/`), or why it could not be read.
function read(name) {
  try {
    if (name !== '-' && statSync(name).isDirectory()) {
      const entries = readdirSync(name, { withFileTypes: true });
      // Symbolic links are followed, as Python's os.scandir does.
      const isDir = (e) =>
        e.isDirectory() || (e.isSymbolicLink() && statSync(`${name}/${e.name}`, { throwIfNoEntry: false })?.isDirectory());
      return { name, entries: entries.map((e) => e.name + (isDir(e) ? '/' : '')) };
    }
    return { name, text: readFileSync(name === '-' ? 0 : name, 'utf8') };
  } catch (e) {
    return { name, error: READ_ERRORS[e.code] ?? String(e.message) };
  }
}

const plan = cliPlan(process.argv.slice(2));
const color =
  plan.color === 'always' ||
  (plan.color === 'auto' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
// The current UTC time, to the second (the key's expiry checks use it when there is no --now).
const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const inputs = plan.files.map(read);
let out = cliRun({ plan, inputs, color, now });
// The core asks for more paths (the files of a directory) until it has what it needs.
while (out.read?.length) {
  inputs.push(...out.read.map(read));
  out = cliRun({ plan, inputs, color, now });
}
let stderr = out.stderr;
let exitCode = out.exitCode;
let current = '';
try {
  // Backups first, then the files the core asks for (check --patch / --write). Nothing is ever run.
  for (const b of out.backups ?? []) {
    current = b.to;
    copyFileSync(b.from, b.to);
  }
  for (const w of out.writes ?? []) {
    current = w.path;
    writeFileSync(w.path, w.text, 'utf8');
  }
} catch (e) {
  stderr = `amr-cmk: error: cannot write ${current}: ${READ_ERRORS[e.code] ?? String(e.message)}\n`;
  exitCode = 2;
}
process.stdout.write(out.stdout);
process.stderr.write(stderr);
process.exitCode = exitCode;
