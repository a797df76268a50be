// The public API of the package under test (AMR_CMK_TARGET): exports equal the d.ts, the JS API covers the
// core's JSON API, errors are real Error subclasses with code/kind/params, and the packed fast path of
// parseKeyUri (napi, wasm and wasm-web) answers exactly as the JSON path.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { FUNCTIONS, TABLE } from './functions.mjs';
import { api, cjs, packageName, target } from './target.mjs';

const here = (p) => new URL(p, import.meta.url);
const read = (p) => readFileSync(here(p), 'utf8');
const require = createRequire(import.meta.url);

const URI = 'https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef';

/** Value names a d.ts declares (types and interfaces excluded), following `export * from`. */
function declaredValues(dtsPath) {
  const text = readFileSync(dtsPath, 'utf8');
  const names = new Set();
  for (const m of text.matchAll(/^export (?:declare )?(?:function|class|const|let|var) ([A-Za-z_$][\w$]*)/gm)) {
    names.add(m[1]);
  }
  if (/^export default /m.test(text)) names.add('default');
  for (const m of text.matchAll(/^export \* from '(.+)';/gm)) {
    const target = new URL(m[1].replace(/\.js$/, '.d.ts'), `file://${dtsPath}`);
    for (const n of declaredValues(fileURLToPath(target))) names.add(n);
  }
  return [...names].sort();
}

const dtsOfTarget = {
  napi: fileURLToPath(here('../index.d.ts')),
  wasm: fileURLToPath(here('../wasm/index.d.ts')),
  'wasm-web': fileURLToPath(here('../wasm/web.d.mts')),
}[target];

test('the ES module exports exactly the values its d.ts declares', () => {
  assert.deepEqual(Object.keys(api).sort(), declaredValues(dtsOfTarget));
});

test('the CommonJS entry exports the same objects as the ES module entry', { skip: cjs === undefined && 'ESM only' }, () => {
  const esmNames = Object.keys(api).sort();
  assert.deepEqual(Object.keys(cjs).sort(), esmNames);
  for (const n of esmNames) assert.equal(cjs[n], api[n], n);
});

test('the package.json exports map resolves to the built entries', () => {
  const pkgJson = require(`${packageName}/package.json`);
  assert.equal(pkgJson.name, packageName);
  assert.equal(pkgJson.version, api.version(), 'package.json version equals the core version');
  assert.ok(require.resolve(packageName).endsWith(packageName === 'amr-cmk' ? 'index.js' : 'node.js'));
});

test('both packages declare the same API (the build copies index.d.ts to wasm/index.d.ts)', () => {
  assert.equal(read('../wasm/index.d.ts'), read('../index.d.ts'));
});

test('every function of the core function table is exported, and index.d.ts declares each', () => {
  assert.ok(TABLE.length >= 10);
  const declared = declaredValues(fileURLToPath(here('../index.d.ts')));
  for (const { name, arg } of TABLE) {
    assert.equal(typeof api[name], 'function', `${name} is not exported: run make (the entry files are generated)`);
    assert.equal(api[name].name, name);
    assert.equal(api[name].length, arg === 'none' ? 0 : 1, `${name}: ${arg}`);
    assert.ok(declared.includes(name), `${name}: declare it in index.d.ts (\`export declare function ${name}(...)\`)`);
  }
});

test('version matches the Rust workspace', () => {
  const cargo = read('../../Cargo.toml');
  assert.equal(api.version(), cargo.match(/^version = "([^"]+)"/m)[1]);
});

test('parseKeyUri returns a plain object with the core keys', () => {
  const key = api.parseKeyUri(URI.replace('contoso', 'Contoso').replace('0123', '0123'.toUpperCase()));
  assert.equal(Object.getPrototypeOf(key), Object.prototype);
  assert.deepEqual(
    Object.keys(key).sort(),
    ['cloud', 'keyName', 'uri', 'vaultKind', 'vaultName', 'vaultUrl', 'version'],
  );
  assert.equal(key.uri, URI);
  assert.equal(key.vaultName, 'contoso');
  assert.equal(api.parseKeyUri('https://contoso.vault.azure.net/keys/cmk').version, null);
});

test('the other functions answer', () => {
  assert.deepEqual(api.tierForSku('Balanced_B10'), { sku: 'Balanced_B10', tier: 'balanced', tierName: 'Balanced' });
  assert.equal(api.coverage('Balanced').tier, 'balanced');
  assert.equal(api.coverageMatrix().length, 4);
  assert.equal(api.parseIdentityId(
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/redis-cmk',
  ).name, 'redis-cmk');
  assert.ok(api.errorCodes().includes('key_uri.not_https'));
  assert.ok(Array.isArray(api.ruleCodes()));
  assert.ok(Array.isArray(api.rules()));
  assert.equal(typeof api.validate({}), 'object');
});

test('errors are Error subclasses chosen by kind, with code, kind, params, message, name and stack', () => {
  const cases = [
    [() => api.parseKeyUri('http://contoso.vault.azure.net/keys/k'), api.KeyUriError, 'keyUri', 'key_uri.not_https'],
    [() => api.parseIdentityId('nope'), api.IdentityIdError, 'identityId', 'identity_id.malformed'],
    [() => api.tierForSku('Enterprise_E10'), api.SkuError, 'sku', 'sku.retired'],
    [() => api.validate(JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`)), api.InputError, 'input', 'input.too_deep'],
    [() => api.parseKeyUri(42), api.InputError, 'input', 'input.invalid_type'],
    [() => api.validate(undefined), api.InputError, 'input', 'input.invalid_type'],
  ];
  for (const [fn, cls, kind, code] of cases) {
    let err;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error && err instanceof api.AmrCmkError && err instanceof cls, `${cls.name}: ${err}`);
    assert.equal(err.name, cls.name);
    assert.equal(err.kind, kind);
    if (code) assert.equal(err.code, code);
    assert.equal(typeof err.code, 'string');
    assert.equal(typeof err.message, 'string');
    assert.ok(err.message.length > 0);
    assert.equal(typeof err.params, 'object');
    assert.ok(err.stack.startsWith(`${cls.name}: `));
    assert.ok(api.errorCodes().includes(err.code), `${err.code} is listed by errorCodes()`);
  }
  const scheme = (() => {
    try {
      api.parseKeyUri('http://contoso.vault.azure.net/keys/k');
    } catch (e) {
      return e.params.scheme;
    }
  })();
  assert.equal(scheme, 'http');
});

test('the error classes can be constructed and subclassed by users', () => {
  const e = new api.KeyUriError('m', { code: 'key_uri.port', kind: 'keyUri' });
  assert.equal(e.message, 'm');
  assert.deepEqual(e.params, {});
  assert.ok(e instanceof api.AmrCmkError);
  assert.equal(Object.keys(e).includes('name'), false);
});

/** The native module of the target and the wrapper module next to it (the packed exports are internal). */
async function nativeAndWrapper() {
  let native;
  let wrapper;
  switch (target) {
    case 'napi':
      native = require('../binding.js');
      wrapper = require('../js/api.cjs');
      break;
    case 'wasm':
      native = require('../wasm/pkg-node/amr_cmk_js.js');
      wrapper = require('../wasm/pkg-node/api.cjs');
      break;
    default: {
      // The same glue module instance that target.mjs initialised through the web entry.
      const pkg = new URL('pkg-web/', import.meta.resolve('amr-cmk-wasm/web'));
      native = await import(new URL('amr_cmk_js.js', pkg).href);
      wrapper = await import(new URL('api.mjs', pkg).href);
    }
  }
  return { native, wrapper, createApi: wrapper.createApi };
}

test('packed parseKeyUri path answers as the JSON path on every vector and the benchmark mix', async () => {
  const { native, createApi } = await nativeAndWrapper();
  // napi: parseKeyUriPacked(uri); wasm: parseKeyUriAt(length) over the buffer of parseKeyUriIo() in parseKeyUriMemory().
  const packedExports = target === 'napi' ? ['parseKeyUriPacked'] : ['parseKeyUriAt', 'parseKeyUriIo', 'parseKeyUriMemory'];
  for (const name of [...packedExports, 'parseKeyUriLayout']) assert.equal(typeof native[name], 'function', name);
  // What the wrapper checked at every import until it trusted these tests: one of each cloud and kind, a spelling
  // to canonicalise, two errors.
  const samples = [
    'https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef',
    'https://contoso-hsm.managedhsm.azure.net/keys/cmk',
    'https://Contoso.vault.azure.cn/keys/cmk/0123456789ABCDEF0123456789abcdef',
    'https://contoso.managedhsm.usgovcloudapi.net/keys/cmk',
    'http://contoso.vault.azure.net/keys/cmk',
    'https://contoso.vault.azure.net/secrets/cmk',
  ];
  const vectors = readdirSync(here('../../tests/conformance/'))
    .filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))
    .flatMap((f) => JSON.parse(read(`../../tests/conformance/${f}`)).vectors)
    .filter((v) => v.function === 'parseKeyUri' && typeof v.input === 'string')
    .map((v) => v.input);
  const mix = JSON.parse(read('../../bench/inputs.json')).ids.map((x) => x.id);
  const uris = [
    ...samples,
    ...vectors,
    ...mix,
    URI,
    URI.toUpperCase().replace('HTTPS', 'https'),
    'https://contoso.vault.azure.net/keys/cmk',
    'https://Contoso-HSM.managedhsm.azure.net/keys/a-b-c/ABCDEF0123456789abcdef0123456789',
    'https://kv1.vault.azure.cn/keys/k/0123456789abcdef0123456789abcdef',
    'https://kv1.vault.usgovcloudapi.net/keys/k',
    'https://kv1.managedhsm.usgovcloudapi.net/keys/k',
    'https://kv1.managedhsm.azure.cn/keys/k',
    `https://kv1.vault.azure.net/keys/${'k'.repeat(127)}/0123456789abcdef0123456789abcdef`,
    'https://kv1.vault.azure.net/keys/k"\\\n\u0001/0123456789abcdef0123456789abcdef',
    '',
    'http://x',
    'x'.repeat(5000),
    `${URI}\u00e9`,
    `${URI}?a=1`,
  ];
  assert.ok(vectors.length > 20 && mix.length === 1000);
  // A wrapper over the native module whose JSON entry point is counted: the packed path must answer every
  // string itself (no fallback) and exactly as the JSON path does (same keys in the same order, same errors).
  let jsonCalls = 0;
  const counted = createApi(
    {
      call: (fn, args) => {
        jsonCalls += 1;
        return native.call(fn, args);
      },
      ...Object.fromEntries(packedExports.map((name) => [name, native[name]])),
      parseKeyUriLayout: native.parseKeyUriLayout,
    },
    FUNCTIONS,
  );
  const answer = (lib, uri) => {
    try {
      const ok = lib.parseKeyUri(uri);
      assert.equal(Object.getPrototypeOf(ok), Object.prototype);
      return JSON.stringify({ ok });
    } catch (e) {
      assert.ok(e instanceof lib.KeyUriError && e instanceof lib.AmrCmkError && e instanceof Error, String(e));
      assert.equal(Object.getPrototypeOf(e), lib.KeyUriError.prototype);
      assert.equal(e.name, 'KeyUriError');
      assert.deepEqual(Object.getOwnPropertyNames(e), ['stack', 'message', 'code', 'kind', 'params']);
      assert.ok(e.stack.startsWith(`KeyUriError: ${e.message}`), e.stack);
      return JSON.stringify({ error: { code: e.code, kind: e.kind, message: e.message, params: e.params } });
    }
  };
  let errors = 0;
  for (const uri of uris) {
    const viaJson = JSON.stringify(JSON.parse(native.call('parseKeyUri', JSON.stringify(uri))));
    const calls = jsonCalls;
    const viaPacked = answer(counted, uri);
    assert.equal(jsonCalls, calls, `the packed path fell back to the JSON path for ${JSON.stringify(uri)}`);
    assert.equal(viaPacked, viaJson, uri);
    assert.equal(answer(api, uri), viaJson, `public API: ${uri}`);
    if (viaJson.startsWith('{"error"')) errors += 1;
  }
  assert.ok(errors >= 142, `${errors} errors`);
  // A lone surrogate reaches Rust as U+FFFD: the wrapper sends it down the JSON path (the core refuses it).
  assert.throws(() => counted.parseKeyUri(`${URI}\uD800`), (e) => e.code === 'input.invalid_json');
});

test('packed parseKeyUri: the wrapper reads the layout the native module packs with', async () => {
  const { native, wrapper } = await nativeAndWrapper();
  const layout = JSON.parse(native.parseKeyUriLayout());
  // bindings-js/src/packed.rs LAYOUT and js/api.mjs PACKED_LAYOUT: the one layout constant of each language.
  assert.deepEqual(layout.fields, wrapper.PACKED_LAYOUT);
  assert.ok(layout.fields.reduce((bits, [, width]) => bits + width, 0) <= 53, 'a packed key is an exact JS number');
  assert.deepEqual(layout.clouds, ['public', 'china', 'usgov']);
  assert.deepEqual(layout.vaultKinds, ['vault', 'managedHsm']);
});

test('parseKeyUri: a KeyUriError has no stack frames, other errors do; Error.stackTraceLimit is put back', () => {
  const limit = Error.stackTraceLimit;
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    assert.fail('no error');
  };
  // The packed path, the JSON path (a string too long for the wasm buffer) and another spelling of the error.
  for (const uri of ['http://contoso.vault.azure.net/keys/cmk', 'x'.repeat(20000), `${URI}?a=1`]) {
    const e = thrown(() => api.parseKeyUri(uri));
    assert.ok(e instanceof api.KeyUriError && e instanceof Error, String(e));
    assert.equal(Object.prototype.toString.call(e), '[object Error]');
    assert.equal(e.stack, `KeyUriError: ${e.message}`);
    assert.equal(Error.stackTraceLimit, limit);
  }
  // A wrong type is a fault of the calling code: its frames are kept.
  const wrongType = thrown(() => api.parseKeyUri(42));
  assert.equal(wrongType.code, 'input.invalid_type');
  assert.match(wrongType.stack, /\n {4}at /);
  // Another function's errors keep their frames.
  assert.match(thrown(() => api.parseIdentityId('nope')).stack, /\n {4}at /);
  // When the limit cannot be set (frozen), the error is built as any other (with frames).
  const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  Object.defineProperty(Error, 'stackTraceLimit', { ...descriptor, writable: false });
  try {
    const e = thrown(() => api.parseKeyUri('http://contoso.vault.azure.net/keys/cmk'));
    assert.equal(e.code, 'key_uri.not_https');
    assert.match(e.stack, /\n {4}at /);
  } finally {
    Object.defineProperty(Error, 'stackTraceLimit', descriptor);
  }
  assert.equal(Error.stackTraceLimit, limit);
});

test('packed parseKeyUri: another layout turns the fast path off (load-time check)', async () => {
  const { native, wrapper } = await nativeAndWrapper();
  let jsonCalls = 0;
  const call = (fn, args) => {
    jsonCalls += 1;
    return native.call(fn, args);
  };
  const layout = JSON.parse(native.parseKeyUriLayout());
  const broken = wrapper.createApi(
    {
      call,
      parseKeyUriPacked: native.parseKeyUriPacked,
      parseKeyUriAt: native.parseKeyUriAt,
      parseKeyUriIo: native.parseKeyUriIo,
      parseKeyUriMemory: native.parseKeyUriMemory,
      parseKeyUriLayout: () => JSON.stringify({ ...layout, fields: [...layout.fields].reverse() }),
    },
    FUNCTIONS,
  );
  jsonCalls = 0;
  assert.equal(broken.parseKeyUri(URI).cloud, 'public');
  assert.ok(jsonCalls > 0, 'the JSON path answered');
});

test('wasm-web: the API refuses to run before init', { skip: target !== 'wasm-web' && 'wasm-web only' }, async () => {
  const fresh = await import(`${import.meta.resolve('amr-cmk-wasm/web')}?fresh`);
  assert.throws(() => fresh.version(), /init\(\)/);
});

test('bin/amr-cmk.js: the CLI reads files and stdin and prints what the core says', { skip: target !== 'napi' && 'napi only' }, () => {
  const bin = fileURLToPath(here('../bin/amr-cmk.js'));
  const run = (args, input) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const v = run(['--version']);
  assert.equal(v.code, 0);
  assert.ok(v.out.includes(api.version()), v.out);
  const missing = run(['check', 'no-such-file.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no-such-file\.json: No such file or directory/);
  const usage = run(['frobnicate']);
  assert.equal(usage.code, 2);
  const model = JSON.stringify({ cache: { sku: 'Balanced_B10' } });
  const viaStdin = run(['check', '--format', 'json', '-'], model);
  assert.ok([0, 1].includes(viaStdin.code), viaStdin.err);
  assert.match(JSON.stringify(JSON.parse(viaStdin.out)), /"format":"model"/);
});
