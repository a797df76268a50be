// The non-throwing functions (`safeParseKeyUri`, `safeValidate`, ...: one per function of the core's table that
// takes an argument) on the build picked by AMR_CMK_TARGET: they follow from the table, answer every conformance
// vector of their throwing function with its value or its error as an object (never a throw), and the packed
// fast path of `safeParseKeyUri` answers as the JSON path over the benchmark mix. Their own vectors
// (tests/conformance/safe.json) run in conformance.test.mjs like any other.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { TABLE } from './functions.mjs';
import { api } from './target.mjs';

const VECTOR_DIR = new URL('../../tests/conformance/', import.meta.url);
const vectors = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(new URL(f, VECTOR_DIR), 'utf8')).vectors);

/** What the throwing function gives, as its non-throwing variant must: `{ data, success }` or `{ error, success }`. */
function outcome(fn, input) {
  try {
    return { data: fn(input), success: true };
  } catch (e) {
    assert.ok(e instanceof api.AmrCmkError, `${fn.name} threw ${e}`);
    return { error: { code: e.code, kind: e.kind, message: e.message, params: e.params }, success: false };
  }
}

test('every function with an argument has its non-throwing variant, named as the core names it', () => {
  const withArgument = TABLE.filter((f) => f.arg !== 'none');
  assert.ok(withArgument.length >= 10);
  for (const f of TABLE) {
    if (f.arg === 'none') {
      assert.equal(f.safe, null, f.name);
      continue;
    }
    assert.equal(f.safe, `safe${f.name[0].toUpperCase()}${f.name.slice(1)}`);
    const safe = api[f.safe];
    assert.equal(typeof safe, 'function', `${f.safe} is not exported`);
    assert.equal(safe.name, f.safe);
    assert.equal(safe.length, 1);
  }
});

test('each non-throwing variant answers every vector of its function with the value or the error as an object', () => {
  let ran = 0;
  let failed = 0;
  for (const v of vectors) {
    const row = TABLE.find((f) => f.name === v.function);
    if (row === undefined || row.safe === null) continue;
    const got = api[row.safe](v.input);
    const want = outcome(api[row.name], v.input);
    assert.equal(JSON.stringify(got), JSON.stringify(want), v.name);
    if (Object.hasOwn(v, 'error')) {
      assert.equal(got.success, false, v.name);
      assert.equal(got.error.code, v.error, v.name);
      failed += 1;
    } else {
      assert.equal(JSON.stringify(got.data), JSON.stringify(v.expected), v.name);
    }
    ran += 1;
  }
  assert.ok(ran > 400 && failed > 100, `${ran} vectors, ${failed} errors`);
});

test('safeParseKeyUri: the fast path answers as parseKeyUri over the benchmark mix', () => {
  const { ids } = JSON.parse(readFileSync(new URL('../../bench/inputs.json', import.meta.url), 'utf8'));
  const list = ids.map((entry) => entry.id);
  assert.ok(list.length >= 1000);
  let invalid = 0;
  for (const id of list) {
    const got = api.safeParseKeyUri(id);
    assert.equal(JSON.stringify(got), JSON.stringify(outcome(api.parseKeyUri, id)), id);
    if (!got.success) invalid += 1;
  }
  assert.ok(invalid > 100, `${invalid} invalid`);
});

// The values the wrapper refuses before the core (input.invalid_type / invalid_json with a path) come back as
// the failed result with the code the throwing function throws.
const cyclic = { cache: {} };
cyclic.cache.self = cyclic;
const GARBAGE = [
  ['NaN', { cache: { sku: Number.NaN } }, 'input.invalid_type'],
  ['Infinity', { key: { keySize: Number.POSITIVE_INFINITY } }, 'input.invalid_type'],
  ['undefined', undefined, 'input.invalid_type'],
  ['undefined in an array', { key: { keyOps: [undefined] } }, 'input.invalid_type'],
  ['BigInt', { key: { keySize: 3072n } }, 'input.invalid_type'],
  ['Map', new Map([['cache', {}]]), 'input.invalid_type'],
  ['Set inside', { key: { keyOps: new Set(['wrapKey']) } }, 'input.invalid_type'],
  ['cycle', cyclic, 'input.invalid_json'],
  ['function', () => 1, 'input.invalid_type'],
  ['symbol', Symbol('x'), 'input.invalid_type'],
  ['nested too deep for JSON.stringify', (() => {
    let v = {};
    for (let i = 0; i < 20_000; i += 1) v = { x: v };
    return v;
  })(), 'input.too_deep'],
];

for (const [label, value, code] of GARBAGE) {
  test(`safeValidate(${label}) fails with ${code}, as validate throws`, () => {
    const got = api.safeValidate(value);
    assert.equal(got.success, false);
    assert.equal(got.error.code, code);
    assert.deepEqual(Object.keys(got.error), ['code', 'kind', 'message', 'params']);
    assert.equal(JSON.stringify(got), JSON.stringify(outcome(api.validate, value)));
    for (const f of ['safeParseKeyUri', 'safePlan', 'safeCoverage']) {
      const r = api[f](value);
      assert.equal(r.success, false, f);
      assert.equal(r.error.kind, 'input', f);
    }
  });
}

test('the path of a refused value is its JSON Pointer', () => {
  assert.deepEqual(api.safeValidate({ key: { keyOps: ['wrapKey', Number.NaN] } }).error.params.path, '/key/keyOps/1');
});
