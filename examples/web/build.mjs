// The web form as a site serves it: the page's files and the amr-cmk-wasm package it loads, with the
// JavaScript and CSS minified by esbuild (each file on its own: same names, same imports, no bundling), so the
// transfer `size.py` measures is the one a deployed page has. HTML and wasm are copied as they are.
//
// Usage: node examples/web/build.mjs OUT [PKG]
//   OUT  the folder to write: the page at OUT/, the package at OUT/pkg/ (serve.py --root OUT --pkg OUT/pkg)
//   PKG  the package folder (default bindings-js/wasm): its entry modules (*.mjs) and its pkg-lite/ and
//        pkg-web/ builds (the glue, api.mjs and the .wasm) are copied; the Node build and the types are not.
// esbuild comes from examples/web/test (npm, `make setup-web`).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const { transformSync } = createRequire(join(HERE, 'test', 'package.json'))('esbuild');

const [outArg, pkgArg] = process.argv.slice(2);
if (!outArg) {
  console.error('usage: node examples/web/build.mjs OUT [PKG]');
  process.exit(2);
}
const OUT = resolve(outArg);
const PKG = resolve(pkgArg ?? join(HERE, '..', '..', 'bindings-js', 'wasm'));

/** Writes `from` to `to`: JavaScript and CSS minified, anything else copied. Returns [bytes in, bytes out]. */
function emit(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  const loader = /\.(m?js)$/.test(from) ? 'js' : from.endsWith('.css') ? 'css' : null;
  if (loader === null) {
    copyFileSync(from, to);
    const n = readFileSync(to).length;
    return [n, n];
  }
  const source = readFileSync(from, 'utf8');
  // ES2022: top-level await and class fields stay as written (every browser that runs the wasm has them).
  const { code } = transformSync(source, { loader, minify: true, format: loader === 'js' ? 'esm' : undefined,
    target: 'es2022', legalComments: 'none', charset: 'utf8' });
  writeFileSync(to, code);
  return [Buffer.byteLength(source), Buffer.byteLength(code)];
}

rmSync(OUT, { recursive: true, force: true });
const rows = [];
const add = (from, to) => rows.push([to.slice(OUT.length + 1), ...emit(from, to)]);
// The page's own files (serve.py's PAGE_FILES).
for (const f of ['index.html', 'style.css', 'app.js', 'worker.mjs']) add(join(HERE, f), join(OUT, f));
for (const f of readdirSync(PKG)) {
  if (f.endsWith('.mjs') && f !== 'node.mjs') add(join(PKG, f), join(OUT, 'pkg', f));
}
for (const dir of ['pkg-lite', 'pkg-web']) {
  for (const f of readdirSync(join(PKG, dir))) {
    if (/\.(m?js|wasm)$/.test(f)) add(join(PKG, dir, f), join(OUT, 'pkg', dir, f));
  }
}
for (const [file, a, b] of rows) console.log(`build: ${file.padEnd(28)} ${String(a).padStart(8)} -> ${String(b).padStart(8)} B`);
