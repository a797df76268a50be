// The napi addon and the wasm build load and work in several worker_threads at once, each answering exactly
// what the main thread answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const vectors = JSON.parse(readFileSync(new URL('../conformance/validate.json', import.meta.url), 'utf8')).vectors
  .filter((v) => 'expected' in v)
  .slice(0, 40);
const modules = {
  napi: new URL('../../bindings-js/index.js', import.meta.url).pathname,
  wasm: new URL('../../bindings-js/wasm/node.js', import.meta.url).pathname,
};

const workerSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const api = require(workerData.module);
  const out = [];
  for (let round = 0; round < workerData.rounds; round++) {
    for (const v of workerData.vectors) out.push(JSON.stringify(api.validate(v.input)));
    out.push(JSON.stringify(api.parseKeyUri('https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef')));
    try { api.parseKeyUri('https://evil@contoso.vault.azure.net/keys/cmk'); } catch (e) { out.push(e.code); }
  }
  parentPort.postMessage(out);
`;

for (const [target, module] of Object.entries(modules)) {
  test(`${target}: 8 worker_threads at once give the main thread's answers`, async () => {
    const api = require(module);
    const expected = [];
    for (const v of vectors) expected.push(JSON.stringify(api.validate(v.input)));
    expected.push(JSON.stringify(api.parseKeyUri('https://contoso.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef')));
    expected.push('key_uri.userinfo');
    const rounds = 5;
    const runs = Array.from({ length: 8 }, () => new Promise((resolve, reject) => {
      const w = new Worker(workerSource, { eval: true, workerData: { module, vectors, rounds } });
      w.once('message', resolve);
      w.once('error', reject);
    }));
    for (const out of await Promise.all(runs)) {
      assert.equal(out.length, expected.length * rounds);
      for (let i = 0; i < out.length; i++) assert.equal(out[i], expected[i % expected.length]);
    }
    // The main thread still works after the workers are gone.
    assert.equal(api.parseKeyUri('https://contoso.vault.azure.net/keys/cmk').version, null);
  });
}
