// µs per key ID for parseKeyUri over bench/inputs.json (the shared mix), on each build:
//   node bindings-js/bench/parse-key-uri.mjs      (after make build-napi build-wasm)
// Rows: napi public API (fast path for valid IDs), napi JSON path only, wasm (Node build).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const inputs = JSON.parse(readFileSync(new URL('../../bench/inputs.json', import.meta.url), 'utf8'));
const ids = inputs.ids.map((x) => x.id);

const napi = require('../index.js');
const binding = require('../binding.js');
const wasm = require('../wasm/node.js');

function jsonPath(id) {
  const answer = JSON.parse(binding.call('parseKeyUri', JSON.stringify(id)));
  return answer.ok ?? answer.error;
}

function tryParse(parse) {
  return (id) => {
    try {
      return parse(id);
    } catch (e) {
      return e;
    }
  };
}

const rows = [
  ['napi parseKeyUri (public API)', tryParse(napi.parseKeyUri)],
  ['napi JSON path only', jsonPath],
  ['wasm parseKeyUri (public API)', tryParse(wasm.parseKeyUri)],
];
const rounds = Number(process.env.ROUNDS ?? 20);
console.log(`${ids.length} IDs (${inputs.ids.filter((x) => x.category !== 'invalid').length} valid), best of ${rounds} rounds`);
for (const [name, fn] of rows) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (const id of ids) fn(id);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1000 / ids.length);
  }
  console.log(`${name.padEnd(32)} ${best.toFixed(2)} µs/ID`);
}
