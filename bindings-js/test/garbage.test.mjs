// Garbage in: every call either answers or throws an AmrCmkError with a code (never a TypeError, a string or a
// WebAssembly trap), and the module keeps working afterwards. On wasm a panic would abort the instance (the
// wasm profile compiles panics to a trap), so the "still works" checks after each case prove there was none.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DOCUMENT_FUNCTIONS, WITH_ARGUMENT, WITHOUT_ARGUMENT } from './functions.mjs';

/** The functions whose argument is the configuration itself (the others wrap documents in an envelope). */
const MODEL_FUNCTIONS = ['validate', 'plan'];
import { api, target } from './target.mjs';

const URI = 'https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef';
const MB = 1024 * 1024;

function nested(depth, leaf = 1) {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

function cyclic() {
  const o = { a: [] };
  o.a.push(o);
  return o;
}

const throwingToJson = { toJSON() { throw new Error('toJSON says no'); } };
const throwingGetter = Object.defineProperty({}, 'x', { enumerable: true, get() { throw new TypeError('getter'); } });
const throwingProxy = new Proxy({}, { ownKeys() { throw new RangeError('ownKeys'); } });
const throwsNonError = { toJSON() { throw Symbol('not an error'); } }; // eslint-disable-line no-throw-literal
const hostileThrow = {
  toJSON() {
    // A thrown object whose message getter throws too.
    throw Object.defineProperty({}, 'message', { get() { throw new Error('again'); } });
  },
};

// [label, value, code, scope]: the code every function must throw (the wrapper's own conversion errors), or,
// with scope 'config', the code the functions taking a document must throw (the core's document limits; the
// parsers answer with their own codes). No code: an answer or any AmrCmkError.
const GARBAGE = [
  ['undefined', undefined, 'input.invalid_type'],
  ['null', null],
  ['true', true],
  ['0', 0],
  ['-0', -0],
  ['NaN', NaN, 'input.invalid_type'],
  ['Infinity', Infinity, 'input.invalid_type'],
  ['boxed NaN', Object(NaN), 'input.invalid_type'],
  ['BigInt', 10n, 'input.invalid_type'],
  ['symbol', Symbol('s'), 'input.invalid_type'],
  ['function', () => 1, 'input.invalid_type'],
  ['class', class {}, 'input.invalid_type'],
  ['empty string', ''],
  ['lone high surrogate', '\uD800'],
  ['lone low surrogate in a URI', `${URI}\uDC00`],
  ['surrogate pair', 'https://😀.vault.azure.net/keys/k'],
  ['NUL', '\u0000'],
  ['control characters', 'https://a\u0007b.vault.azure.net/keys/k'],
  ['BOM', '\uFEFFhttps://contoso.vault.azure.net/keys/k'],
  ['RTL override', 'https://contoso\u202E.vault.azure.net/keys/k'],
  // Past the 16 MiB string limit (there is no fixed document size limit short of 256 MiB).
  // (`model`: the functions whose argument is the document itself; an envelope such as `check`'s carries whole
  // documents as strings, and says a string is not its object instead.)
  ['17 MB string', 'x'.repeat(17 * MB), 'input.string_too_long', 'model'],
  ['17 MB URI-like string', `https://contoso.vault.azure.net/keys/${'k'.repeat(17 * MB)}`, 'input.string_too_long', 'model'],
  ['9 MB of escapes (18 MB escaped)', '"\\'.repeat((9 * MB) / 2), 'input.string_too_long', 'model'],
  ['empty object', {}],
  ['empty array', []],
  ['array with undefined', [undefined], 'input.invalid_type'],
  ['array with a hole', [, 1], 'input.invalid_type'], // eslint-disable-line no-sparse-arrays
  ['object with undefined', { a: undefined }],
  ['object with a function', { a: () => 1 }, 'input.invalid_type'],
  ['object with a symbol', { a: Symbol('x') }, 'input.invalid_type'],
  ['nested BigInt', { a: [{ b: 1n }] }, 'input.invalid_type'],
  ['nested NaN', { a: { b: NaN } }, 'input.invalid_type'],
  ['Map', new Map([['a', 1]]), 'input.invalid_type'],
  ['Set', new Set([1]), 'input.invalid_type'],
  ['nested Set', { ids: new Set(['a']) }, 'input.invalid_type'],
  ['typed array', new Uint8Array(3), 'input.invalid_type'],
  ['ArrayBuffer', new ArrayBuffer(8), 'input.invalid_type'],
  ['RegExp', /x/, 'input.invalid_type'],
  ['Promise', Promise.resolve(1), 'input.invalid_type'],
  ['Date', new Date(0)],
  ['cycle', cyclic(), 'input.invalid_json'],
  ['toJSON throws', throwingToJson, 'input.invalid_json'],
  ['getter throws', throwingGetter, 'input.invalid_json'],
  ['proxy trap throws', throwingProxy, 'input.invalid_json'],
  ['toJSON throws a symbol', throwsNonError, 'input.invalid_json'],
  ['toJSON throws a hostile object', hostileThrow, 'input.invalid_json'],
  ['toJSON returns undefined', { toJSON() {} }, 'input.invalid_type'],
  ['65 levels', nested(65), 'input.too_deep', 'config'],
  ['10,000 levels', nested(10_000), 'input.too_deep', 'config'],
  ['200,000 levels (beyond the JS stack)', nested(200_000), 'input.too_deep', 'config'],
  ['deep string brackets', '['.repeat(100_000)],
  // Past the limit of 1,048,576 items in one array or object.
  ['1,100,000 keys', Object.fromEntries(Array.from({ length: 1_100_000 }, (_, i) => [`k${i}`, i])), 'input.list_too_long', 'config'],
  ['1,100,000 items', new Array(1_100_000).fill(0), 'input.list_too_long', 'config'],
  ['object with prototype junk', Object.create({ inherited: 1 })],
  ['null prototype', Object.assign(Object.create(null), { a: 1 })],
  ['__proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
  ['huge number', { n: 1e308 }],
  ['unsafe integer', { n: 2 ** 64 }],
];


function stillWorks() {
  assert.equal(api.parseKeyUri(URI).vaultName, 'contoso');
  assert.equal(api.version().length > 0, true);
}

function outcome(fn, value) {
  try {
    return { value: fn(value) };
  } catch (error) {
    return { error };
  }
}

for (const name of WITH_ARGUMENT) {
  test(`${name}: garbage gives an answer or an AmrCmkError with a code, and the module keeps working`, () => {
    for (const [label, value, code, scope] of GARBAGE) {
      const documentFunction = scope === 'model' ? MODEL_FUNCTIONS.includes(name) : DOCUMENT_FUNCTIONS.includes(name);
      const expected = scope !== undefined && !documentFunction ? undefined : code;
      const r = outcome(api[name], value);
      if (r.error !== undefined) {
        const e = r.error;
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `${label}: wasm trap: ${e}`);
        assert.ok(e instanceof api.AmrCmkError, `${label}: not an AmrCmkError: ${e}`);
        assert.equal(typeof e.code, 'string', label);
        assert.match(e.code, /^[a-z_]+\.[a-z_]+$/, label);
        assert.ok(api.errorCodes().includes(e.code), `${label}: unlisted code ${e.code}`);
        if (expected !== undefined) assert.equal(e.code, expected, `${name}(${label})`);
      } else {
        assert.equal(expected, undefined, `${name}(${label}) answered instead of throwing ${expected}`);
      }
      stillWorks();
    }
  });
}

test('functions without arguments ignore extra arguments', () => {
  for (const name of WITHOUT_ARGUMENT) {
    for (const [label, value] of GARBAGE.slice(0, 12)) {
      assert.deepEqual(api[name](value), api[name](), `${name}(${label})`);
    }
  }
  stillWorks();
});

test('many calls in a row do not leak or wear out the instance', () => {
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 10; i++) {
    assert.throws(() => api.validate(nested(100)), (e) => e.code === 'input.too_deep');
    assert.throws(() => api.parseKeyUri(`http://${i}`), api.KeyUriError);
  }
  for (let i = 0; i < 5_000; i++) api.parseKeyUri(URI);
  stillWorks();
  const grownMb = (process.memoryUsage().rss - before) / MB;
  assert.ok(grownMb < 300, `rss grew by ${grownMb.toFixed(0)} MB (target ${target})`);
});
