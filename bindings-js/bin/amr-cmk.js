#!/usr/bin/env node
'use strict';
// The amr-cmk command line. The core parses the arguments and does all the work (`cliPlan`, `cliRun`); this
// file only reads the files the plan names (`-` is standard input) and the clock, decides on colour, shows the
// core's progress lines on a terminal, and prints.
const { readFileSync, readdirSync, statSync, copyFileSync, writeFileSync } = require('node:fs');
const { Worker } = require('node:worker_threads');
const { cliPlan, cliRun } = require('../index.js');

// The core's progress lines (the plan's `progress`, then each answer's with `read`) on standard error, only
// when it is a terminal and only once `afterMs` have passed since the start (AMR_CMK_PROGRESS_AFTER_MS overrides
// it); each replaces the last (`\r`, the line, erase to its end) and `clear` erases it. The same as the Python
// CLI's `_Progress`.
class Progress {
  constructor(progress) {
    this.enabled = Boolean(progress) && Boolean(process.stderr.isTTY);
    const after = process.env.AMR_CMK_PROGRESS_AFTER_MS ?? '';
    const ms = /^[0-9]+$/.test(after) ? Number(after) : progress ? progress.afterMs : 0;
    this.deadline = performance.now() + ms;
    this.line = '';
    this.shown = '';
  }

  stage(line) {
    this.line = line;
    this.tick();
  }

  tick() {
    if (this.enabled && this.line !== this.shown && performance.now() >= this.deadline) {
      process.stderr.write(`\r${this.line}\x1b[K`);
      this.shown = this.line;
    }
  }

  // `cliRun(args)`; on a terminal in a worker thread, so that the line shows if it is still running at the
  // deadline (a call on this thread would hold the timer until it returns).
  run(args) {
    if (!this.enabled) return Promise.resolve(cliRun(args));
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER, { eval: true, workerData: { entry: require.resolve('../index.js'), args } });
      const timer = setTimeout(() => this.tick(), Math.max(0, this.deadline - performance.now()));
      const done = (f) => (value) => {
        clearTimeout(timer);
        worker.terminate();
        f(value);
      };
      worker.once('message', done((m) => (m.error ? reject(Object.assign(new Error(m.error.message), m.error)) : resolve(m.out))));
      worker.once('error', done(reject));
    });
  }

  clear() {
    if (this.shown) {
      process.stderr.write('\r\x1b[K');
      this.shown = '';
    }
  }
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { cliRun } = require(workerData.entry);
try {
  parentPort.postMessage({ out: cliRun(workerData.args) });
} catch (e) {
  parentPort.postMessage({ error: { message: e?.message ?? String(e), code: e?.code } });
}
`;

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

// The reader went away (`| head`): nothing more to say.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

// Reads `names`, updating the progress line after each.
function readAll(names, progress) {
  return names.map((name) => {
    const input = read(name);
    progress.tick();
    return input;
  });
}

// The read loop: the plan's files, then the paths each answer asks for (the files of a directory), until the
// core has what it needs.
async function readAndRun(plan, progress) {
  let lines = plan.progress;
  if (lines) progress.stage(lines.reading);
  const inputs = readAll(plan.files, progress);
  const color =
    plan.color === 'always' ||
    (plan.color === 'auto' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  // The current UTC time, to the second (the key's expiry checks use it when there is no --now).
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (;;) {
    if (lines) progress.stage(lines.checking);
    const out = await progress.run({ plan, inputs, color, now });
    if (!out.read?.length) return out;
    lines = out.progress;
    if (lines) progress.stage(lines.reading);
    inputs.push(...readAll(out.read, progress));
  }
}

async function main() {
  const plan = cliPlan(process.argv.slice(2));
  const progress = new Progress(plan.progress);
  let out;
  try {
    out = await readAndRun(plan, progress);
  } finally {
    progress.clear();
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
}

main().catch((e) => {
  // An error the core raises is one line on standard error (its message and code), exit 2: never a stack trace.
  const code = typeof e?.code === 'string' && e.code.includes('.') ? ` [${e.code}]` : '';
  process.stderr.write(`amr-cmk: error: ${e?.message ?? String(e)}${code}\n`);
  process.exitCode = 2;
});
