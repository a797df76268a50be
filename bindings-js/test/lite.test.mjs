// npm `amr-cmk-wasm/lite` (lite.mjs + pkg-lite/): the core without its `templates` feature, the web page's build.
// Checks that it exports exactly the core's functions minus the template ones (at run time and in lite.d.mts,
// both generated from the core's function table), that every conformance vector of those functions gives the
// same answer as the full build's vectors say, that the vectors it skips are exactly those of the template
// functions, and that the core answers a template function's name as an unknown function. Run by `make test-js`
// (once, not per AMR_CMK_TARGET).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import * as lite from 'amr-cmk-wasm/lite';

import { ALL, LITE, TABLE, TEMPLATE } from './functions.mjs';

const entry = import.meta.resolve('amr-cmk-wasm/lite');
lite.initSync({ module: readFileSync(fileURLToPath(new URL('pkg-lite/amr_cmk_js_bg.wasm', entry))) });
const glue = await import(new URL('pkg-lite/amr_cmk_js.js', entry).href); // the same module instance lite.mjs uses

const read = (rel) => readFileSync(new URL(rel, import.meta.url), 'utf8');
// What createApi adds to the functions: the Standard Schema objects and the error classes.
const CLASSES = ['keyUriSchema', 'cmkConfigSchema', 'AmrCmkError', 'KeyUriError', 'IdentityIdError', 'SkuError', 'InputError'];
// The lite functions and their non-throwing variants.
const EXPORTED = TABLE.filter((f) => !f.templates).flatMap((f) => (f.safe === null ? [f.name] : [f.name, f.safe]));

test('the core lists 15 functions, 4 of them template-only', () => {
  assert.equal(ALL.length, 15);
  assert.deepEqual(TEMPLATE, ['check', 'render', 'cliPlan', 'cliRun']);
});

test('lite.mjs exports exactly the lite functions, the error classes and the loaders', () => {
  assert.deepEqual(Object.keys(lite).sort(), [...EXPORTED, ...CLASSES, 'default', 'initSync'].sort());
  for (const f of EXPORTED) assert.equal(typeof lite[f], 'function', f);
});

test('lite.d.mts declares exactly what lite.mjs exports', () => {
  const dts = read('../wasm/lite.d.mts');
  const reexported = dts.match(/^export \{([^}]*)\} from '\.\/index\.js';$/m);
  assert.ok(reexported, 'lite.d.mts re-exports a list from index.js');
  const names = reexported[1].split(',').map((s) => s.trim()).filter(Boolean);
  assert.deepEqual(names.sort(), [...EXPORTED, ...CLASSES].sort());
  const declared = [...dts.matchAll(/^export (?:declare )?(?:default )?function (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), ['init', 'initSync']);
});

test('the lite wasm has no packed parseKeyUri exports (size first: the wrapper takes the JSON path)', () => {
  for (const name of ['parseKeyUriPacked', 'parseKeyUriAt', 'parseKeyUriIo', 'parseKeyUriMemory', 'parseKeyUriLayout']) {
    assert.equal(typeof glue[name], 'undefined', name);
  }
  assert.equal(typeof glue.call, 'function');
  assert.deepEqual(lite.parseKeyUri('https://Contoso.vault.azure.net/keys/cmk').uri, 'https://contoso.vault.azure.net/keys/cmk');
});

test('the lite core answers template functions as unknown functions', () => {
  for (const f of TEMPLATE) {
    const answer = JSON.parse(glue.call(f, '{"document":{}}'));
    assert.deepEqual(answer, {
      error: { code: 'input.unknown_function', kind: 'input', message: `unknown function '${f}'`, params: { name: f } },
    });
  }
  assert.deepEqual(JSON.parse(glue.call('version', 'null')), { ok: lite.version() });
});

test('every conformance vector of a lite function passes; the skipped ones are exactly the template functions', () => {
  const dir = new URL('../../tests/conformance/', import.meta.url);
  const vectors = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')).vectors);
  const skipped = new Set();
  let ran = 0;
  for (const v of vectors) {
    if (!LITE.includes(v.function) && !EXPORTED.includes(v.function)) {
      skipped.add(v.function);
      continue;
    }
    const fn = lite[v.function];
    const call = () => (fn.length === 0 ? fn() : fn(v.input));
    if (Object.hasOwn(v, 'expected')) {
      assert.equal(JSON.stringify(call()), JSON.stringify(v.expected), v.name);
    } else {
      assert.throws(call, (e) => e instanceof lite.AmrCmkError && e.code === v.error, v.name);
    }
    ran += 1;
  }
  const templateAndSafe = TABLE.filter((f) => f.templates).flatMap((f) => [f.name, f.safe]);
  assert.deepEqual([...skipped].sort(), templateAndSafe.sort());
  assert.ok(ran > 400, `ran ${ran} vectors`);
});

test('the lite Standard Schema objects validate synchronously once the module is loaded', () => {
  const key = lite.keyUriSchema['~standard'].validate('https://contoso-kv.vault.azure.net/keys/cmk');
  assert.deepEqual(key, { value: lite.parseKeyUri('https://contoso-kv.vault.azure.net/keys/cmk') });
  const bad = lite.cmkConfigSchema['~standard'].validate({ key: { keyOps: ['wrapKey', 1] } });
  assert.deepEqual(bad.issues[0].path, ['key', 'keyOps', 1]);
  assert.equal(lite.safeValidate(Number.NaN).success, false);
});
