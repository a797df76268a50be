// Conformance vectors (tests/conformance/*.json): one test per vector, calling the public function the vector
// names, on the build picked by AMR_CMK_TARGET. Format: docs/bindings.md.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { api, target } from './target.mjs';

const VECTOR_DIR = new URL('../../tests/conformance/', import.meta.url);

// Vectors this build cannot pass, by vector name, with the reason. One list per target; keep them short.
const SKIPS = {
  napi: {},
  wasm: {},
  'wasm-web': {},
};

const CLASS_BY_KIND = {
  keyUri: api.KeyUriError,
  identityId: api.IdentityIdError,
  sku: api.SkuError,
  input: api.InputError,
};

const files = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
  .sort();
const skips = SKIPS[target];
const seen = new Set();

test('conformance: vector files load, names are unique, skips name real vectors', () => {
  const names = files.flatMap((f) => loadVectors(f).map((v) => v.name));
  const dup = names.filter((n, i) => names.indexOf(n) !== i);
  assert.deepEqual(dup, [], 'duplicate vector names');
  const unknown = Object.keys(skips).filter((n) => !names.includes(n));
  assert.deepEqual(unknown, [], `SKIPS.${target} names vectors that do not exist`);
});

function loadVectors(file) {
  const doc = JSON.parse(readFileSync(new URL(file, VECTOR_DIR), 'utf8'));
  assert.ok(Array.isArray(doc.vectors), `${file}: no "vectors" array`);
  return doc.vectors;
}

for (const file of files) {
  describe(file, () => {
    for (const v of loadVectors(file)) {
      if (seen.has(v.name)) continue; // reported by the uniqueness test
      seen.add(v.name);
      test(v.name, { skip: skips[v.name] ?? false }, () => runVector(v));
    }
  });
}

function runVector(v) {
  const hasExpected = Object.hasOwn(v, 'expected');
  const hasError = Object.hasOwn(v, 'error');
  assert.ok(hasExpected !== hasError, 'a vector has exactly one of "expected" and "error"');
  const fn = api[v.function];
  assert.equal(typeof fn, 'function', `the package does not export a function '${v.function}'`);
  const call = () => (fn.length === 0 ? fn() : fn(v.input));
  if (hasExpected) {
    const got = JSON.stringify(call());
    const want = JSON.stringify(v.expected);
    if (got !== want) assert.fail(`output differs from "expected":\n${firstDifference(got, want)}`);
    return;
  }
  let err;
  try {
    call();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `expected error ${v.error}, but the call returned`);
  assert.ok(err instanceof Error, 'the thrown value is an Error');
  assert.ok(err instanceof api.AmrCmkError, `the thrown value is an AmrCmkError (got ${err})`);
  assert.equal(err.code, v.error);
  const cls = CLASS_BY_KIND[err.kind];
  if (cls) assert.ok(err instanceof cls, `kind ${err.kind} is thrown as ${cls.name}`);
}

/** The first differing character of two JSON texts, with some context (the full texts can be huge). */
function firstDifference(got, want) {
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const from = Math.max(0, i - 120);
  return `  at character ${i} of ${want.length}\n  got:      …${got.slice(from, i + 120)}\n  expected: …${want.slice(from, i + 120)}`;
}
