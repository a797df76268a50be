// Node side of `make bench`: amr-cmk (napi) and amr-cmk-wasm (wasm in Node) against @azure/keyvault-keys'
// parseKeyVaultKeyIdentifier, in one process, on bench/inputs.json.
//   node --expose-gc bench/bench_node.mjs --out FILE [--passes N] [--rss-calls N] [--parse-only]
// (`--parse-only`: agreement and the parse timings only, no validate or RSS: for iterating on the parsers.)
// ns per call: median of timed passes over the whole mix after a warm-up pass; the contenders' passes
// alternate, so load changes on a shared machine hit all of them, with a full GC before each pass (run with
// --expose-gc) so that none is timed collecting another's garbage. Errors are caught, as a caller would.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const require = createRequire(import.meta.url);
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string' },
    passes: { type: 'string', default: '15' },
    'rss-calls': { type: 'string', default: '1000000' },
    'rss-only': { type: 'string' },
    'parse-only': { type: 'boolean', default: false },
  },
});
const passes = Number(opts.passes);
const rssCalls = Number(opts['rss-calls']);

const root = new URL('../', import.meta.url);
const inputs = JSON.parse(readFileSync(new URL('bench/inputs.json', root), 'utf8'));
const ids = inputs.ids.map((x) => x.id);
const vectors = JSON.parse(readFileSync(new URL('tests/conformance/validate.json', root), 'utf8')).vectors;
const config = vectors.find((v) => v.name === inputs.validate).input;

const napi = require('../bindings-js/index.js');
const wasm = require('../bindings-js/wasm/node.js');
const { parseKeyVaultKeyIdentifier } = require('@azure/keyvault-keys');

const fieldsOf = (parse, pick) => (id) => {
  try {
    return pick(parse(id));
  } catch {
    return null;
  }
};
const ours = (lib) => fieldsOf(lib.parseKeyUri, (k) => [k.vaultUrl, k.keyName, k.version ?? null]);
const peer = fieldsOf(parseKeyVaultKeyIdentifier, (k) => [k.vaultUrl, k.name, k.version ?? null]);

function agreement(oursFields) {
  const counts = { both: 0, oursOnly: 0, peerOnly: 0, neither: 0 };
  const disagreements = [];
  for (const id of ids) {
    const a = oursFields(id);
    const b = peer(id);
    if (a && b) {
      counts.both += 1;
      if (JSON.stringify(a) !== JSON.stringify(b)) disagreements.push({ id, ours: a, peer: b });
    } else if (a) counts.oursOnly += 1;
    else if (b) counts.peerOnly += 1;
    else counts.neither += 1;
  }
  return { ...counts, disagreements };
}

function onePass(fn, list) {
  const start = process.hrtime.bigint();
  for (const id of list) {
    try {
      fn(id);
    } catch {
      // invalid IDs throw on both sides
    }
  }
  return Number(process.hrtime.bigint() - start) / list.length;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timed(named, list) {
  for (const fn of Object.values(named)) onePass(fn, list);
  const samples = Object.fromEntries(Object.keys(named).map((k) => [k, []]));
  for (let p = 0; p < passes; p++) {
    for (const [name, fn] of Object.entries(named)) {
      // A full collection before each pass: the garbage a contender leaves is collected before the next one's
      // timing starts, not inside it (each still pays for the collections its own allocations cause).
      globalThis.gc?.();
      samples[name].push(onePass(fn, list));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([k, s]) => [k, { medianNs: median(s), minNs: Math.min(...s), passes: s.length }]),
  );
}

// RSS of one binding, in a fresh process of its own (so one binding's heap growth is not the next one's
// baseline). Under any steady allocation rate V8 grows its young generation step by step up to its maximum
// (16 MiB semi-spaces on 64-bit), at its own pace: in a default process that growth (+6 MiB of RSS, 8 -> 16 MiB
// new space) lands inside the measured calls or not depending on timing. It is heap sizing, not a leak, so the
// child runs with the semi-spaces fixed at that maximum (`--min-semi-space-size=16 --max-semi-space-size=16`:
// the size V8 ends at anyway) and what is left to grow is memory the binding keeps. After a warm-up (JIT),
// readings at half way and at the end: growth that goes on between the last two is what a leak looks like.
// The new space's size is recorded before and after.
// Warm-up: batches of 10,000 calls until the new space has kept its size for 200,000 calls (at most 2,000,000).
const WARM_UP_BATCH = 10_000;
const WARM_UP_STABLE = 200_000;
const WARM_UP_MAX = 2_000_000;
const newSpaceKiB = () =>
  Math.round((v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 1024);
function rss(lib) {
  let warmUpCalls = 0;
  let stableSince = 0;
  let size = newSpaceKiB();
  while (warmUpCalls - stableSince < WARM_UP_STABLE && warmUpCalls < WARM_UP_MAX) {
    for (let i = 0; i < WARM_UP_BATCH; i++) lib.validate(config);
    warmUpCalls += WARM_UP_BATCH;
    if (newSpaceKiB() !== size) {
      size = newSpaceKiB();
      stableSince = warmUpCalls;
    }
  }
  globalThis.gc?.();
  const newSpaceBeforeKiB = newSpaceKiB();
  const before = process.memoryUsage();
  let midKiB = 0;
  for (let i = 0; i < rssCalls; i++) {
    lib.validate(config);
    if (i === rssCalls >> 1) {
      globalThis.gc?.();
      midKiB = Math.round(process.memoryUsage().rss / 1024);
    }
  }
  globalThis.gc?.();
  const after = process.memoryUsage();
  return {
    calls: rssCalls,
    warmUpCalls,
    midKiB,
    beforeKiB: Math.round(before.rss / 1024),
    afterKiB: Math.round(after.rss / 1024),
    heapUsedBeforeKiB: Math.round(before.heapUsed / 1024),
    heapUsedAfterKiB: Math.round(after.heapUsed / 1024),
    externalAfterKiB: Math.round(after.external / 1024),
    arrayBuffersAfterKiB: Math.round(after.arrayBuffers / 1024),
    newSpaceBeforeKiB,
    newSpaceAfterKiB: newSpaceKiB(),
  };
}

// `--rss-only napi|wasm`: the child process of the RSS measurement (prints its JSON and exits).
if (opts['rss-only']) {
  const lib = { napi, wasm }[opts['rss-only']];
  process.stdout.write(`${JSON.stringify(rss(lib))}\n`);
  process.exit(0);
}

const result = { ids: ids.length, agreement: {}, parse: {}, validate: {}, rss: {} };
for (const [name, lib] of [['napi', napi], ['wasm', wasm]]) {
  const a = agreement(ours(lib));
  result.agreement[name] = a;
  console.log(
    `node agreement (${name}): both accept ${a.both}, only amr-cmk ${a.oursOnly}, only @azure/keyvault-keys ` +
      `${a.peerOnly}, neither ${a.neither}; ${a.disagreements.length} disagreement(s) on (vaultUrl, name, version)`,
  );
  for (const d of a.disagreements) {
    console.log(`  DISAGREE ${d.id}\n    amr-cmk: ${JSON.stringify(d.ours)}\n    peer:    ${JSON.stringify(d.peer)}`);
  }
}

// The non-throwing calls answer invalid IDs with `{ success: false, error }` (no throw, so no try/catch cost);
// the SDK's parser, which throws, is still called with try/catch as a caller would.
result.parse = timed(
  {
    'amr-cmk parseKeyUri (napi)': napi.parseKeyUri,
    'amr-cmk safeParseKeyUri (napi)': napi.safeParseKeyUri,
    'amr-cmk-wasm parseKeyUri': wasm.parseKeyUri,
    'amr-cmk-wasm safeParseKeyUri': wasm.safeParseKeyUri,
    parseKeyVaultKeyIdentifier,
  },
  ids,
);
const peerNs = result.parse.parseKeyVaultKeyIdentifier.medianNs;
result.ratio = {
  napi: peerNs / result.parse['amr-cmk parseKeyUri (napi)'].medianNs,
  napiSafe: peerNs / result.parse['amr-cmk safeParseKeyUri (napi)'].medianNs,
  wasm: peerNs / result.parse['amr-cmk-wasm parseKeyUri'].medianNs,
  wasmSafe: peerNs / result.parse['amr-cmk-wasm safeParseKeyUri'].medianNs,
};
for (const [name, r] of Object.entries(result.parse)) {
  console.log(`node parse: ${name.padEnd(28)} ${r.medianNs.toFixed(0)} ns/ID`);
}
console.log(
  `node ratio: napi ${result.ratio.napi.toFixed(2)}x (safe ${result.ratio.napiSafe.toFixed(2)}x), ` +
    `wasm ${result.ratio.wasm.toFixed(2)}x (safe ${result.ratio.wasmSafe.toFixed(2)}x)`,
);

// The same on the IDs that both sides accept (no throw on either side): the cost of parsing itself, without
// the V8 stack capture of the errors we throw for 14% of the mix (the SDK throws for 2%).
const bothAccept = ids.filter((id) => ours(napi)(id) !== null && peer(id) !== null);
result.parseBothAccept = timed(
  {
    'amr-cmk parseKeyUri (napi)': napi.parseKeyUri,
    'amr-cmk-wasm parseKeyUri': wasm.parseKeyUri,
    parseKeyVaultKeyIdentifier,
  },
  bothAccept,
);
result.parseBothAccept.ids = bothAccept.length;
const peerValidNs = result.parseBothAccept.parseKeyVaultKeyIdentifier.medianNs;
result.ratioBothAccept = {
  napi: peerValidNs / result.parseBothAccept['amr-cmk parseKeyUri (napi)'].medianNs,
  wasm: peerValidNs / result.parseBothAccept['amr-cmk-wasm parseKeyUri'].medianNs,
};
console.log(
  `node ratio on the ${bothAccept.length} IDs both accept: napi ${result.ratioBothAccept.napi.toFixed(2)}x, ` +
    `wasm ${result.ratioBothAccept.wasm.toFixed(2)}x`,
);

if (opts['parse-only']) {
  if (opts.out) {
    mkdirSync(dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
  }
  process.exit(0);
}

const v = timed(
  {
    napi: () => napi.validate(config),
    wasm: () => wasm.validate(config),
    'napi safeValidate': () => napi.safeValidate(config),
    'wasm safeValidate': () => wasm.safeValidate(config),
  },
  ids.slice(0, 100),
);
result.validate = v;
console.log(
  `node validate: napi ${v.napi.medianNs.toFixed(0)} ns/call, wasm ${v.wasm.medianNs.toFixed(0)} ns/call ` +
    `(safeValidate: napi ${v['napi safeValidate'].medianNs.toFixed(0)}, wasm ${v['wasm safeValidate'].medianNs.toFixed(0)})`,
);

for (const name of ['napi', 'wasm']) {
  const child = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--min-semi-space-size=16',
      '--max-semi-space-size=16',
      fileURLToPath(import.meta.url),
      '--rss-only',
      name,
      '--rss-calls',
      String(rssCalls),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  result.rss[name] = JSON.parse(child);
}
for (const [name, r] of Object.entries(result.rss)) {
  console.log(
    `node RSS (${name}): ${r.beforeKiB} KiB before, ${r.midKiB} KiB at half way, ${r.afterKiB} KiB after ` +
      `${r.calls} validate calls (new space ${r.newSpaceBeforeKiB} -> ${r.newSpaceAfterKiB} KiB)`,
  );
}

if (opts.out) {
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
}
