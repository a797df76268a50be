// JSON text or serde-wasm-bindgen values across the wasm boundary? `make wasm-boundary` builds the full wasm
// with the `boundary-bench` exports (bindings-js/src/wasm.rs, `boundary`) into target-wasm/pkg-boundary and runs
// this: the same data both ways, in one process, alternating passes, median ns per call.
//   in:  a JS object into a serde_json::Value in wasm: JSON.stringify + copy + serde_json (`inText`), or
//        serde-wasm-bindgen reading the object property by property (`inValue`)
//   out: the JSON API's answer as a JS object: JSON text + JSON.parse (`call`), or serde-wasm-bindgen building
//        the objects (`callToValue`)
// Inputs: the full configuration of the vector validate-valid-full-balanced (and its report), a short string.
// Usage: node bench/wasm_boundary.mjs [target-wasm/pkg-boundary/amr_cmk_js.js]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const glue = require(resolve(process.argv[2] ?? new URL('../target-wasm/pkg-boundary/amr_cmk_js.js', import.meta.url).pathname));
const PASSES = Number(process.env.BENCH_PASSES ?? 15);

const vectors = JSON.parse(readFileSync(new URL('../tests/conformance/validate.json', import.meta.url), 'utf8'));
const config = vectors.vectors.find((v) => v.name === 'validate-valid-full-balanced').input;
const small = { cache: { sku: 'Balanced_B10' } };
const uri = 'https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef';

/** Median ns per call of `fn` over `PASSES` passes of `n` calls, alternating with the other entries. */
function race(entries, n) {
  const times = Object.fromEntries(Object.keys(entries).map((k) => [k, []]));
  for (const fn of Object.values(entries)) for (let i = 0; i < n; i++) fn(); // warm-up
  for (let p = 0; p < PASSES; p++) {
    for (const [name, fn] of Object.entries(entries)) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      times[name].push(((performance.now() - t0) * 1e6) / n);
    }
  }
  const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
}

// The two ways must see the same data.
const nodes = glue.inText(JSON.stringify(config));
if (nodes === 0 || glue.inValue(config) !== nodes) throw new Error(`inText ${nodes} vs inValue ${glue.inValue(config)}`);
const viaText = JSON.parse(glue.call('validate', JSON.stringify(config)));
const viaValue = glue.callToValue('validate', JSON.stringify(config));
if (JSON.stringify(viaText) !== JSON.stringify(viaValue)) throw new Error('callToValue differs from call');

const rows = [];
const add = (what, r, n) => rows.push({ what, ...r, n });
add('in: full configuration', race({
  jsonText: () => glue.inText(JSON.stringify(config)),
  serdeWasmBindgen: () => glue.inValue(config),
}, 2000));
add('in: small configuration', race({
  jsonText: () => glue.inText(JSON.stringify(small)),
  serdeWasmBindgen: () => glue.inValue(small),
}, 20000));
add('in: a string', race({
  jsonText: () => glue.inText(JSON.stringify(uri)),
  serdeWasmBindgen: () => glue.inValue(uri),
}, 20000));
const configText = JSON.stringify(config);
add('out: validate report (full configuration)', race({
  jsonText: () => JSON.parse(glue.call('validate', configText)),
  serdeWasmBindgen: () => glue.callToValue('validate', configText),
}, 1000));
const uriText = JSON.stringify(uri);
add('out: parseKeyUri answer', race({
  jsonText: () => JSON.parse(glue.call('parseKeyUri', uriText)),
  serdeWasmBindgen: () => glue.callToValue('parseKeyUri', uriText),
}, 20000));
add('out: error answer', race({
  jsonText: () => JSON.parse(glue.call('parseKeyUri', '"http://x"')),
  serdeWasmBindgen: () => glue.callToValue('parseKeyUri', '"http://x"'),
}, 20000));

console.log(`wasm boundary, median ns per call (${PASSES} passes, Node ${process.version}):`);
console.log('| what | JSON text | serde-wasm-bindgen | text / values |');
console.log('|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.what} | ${r.jsonText} | ${r.serdeWasmBindgen} | ${(r.jsonText / r.serdeWasmBindgen).toFixed(2)}x |`);
}
