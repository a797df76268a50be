// Picks the build the tests run against: AMR_CMK_TARGET=napi (default) | wasm | wasm-web.
//   napi      npm `amr-cmk`, ES module entry (Node-API addon)
//   wasm      npm `amr-cmk-wasm`, Node entry (wasm-bindgen `nodejs` glue)
//   wasm-web  npm `amr-cmk-wasm/web`, the browser entry (wasm-bindgen `web` glue), loaded with initSync
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const target = process.env.AMR_CMK_TARGET ?? 'napi';
const require = createRequire(import.meta.url);

/** The package name and its d.ts for the target. */
export const packageName = target === 'napi' ? 'amr-cmk' : 'amr-cmk-wasm';

let api;
/** The CommonJS entry (undefined for wasm-web, which is ESM only). */
let cjs;
switch (target) {
  case 'napi':
    api = await import('amr-cmk');
    cjs = require('amr-cmk');
    break;
  case 'wasm':
    api = await import('amr-cmk-wasm');
    cjs = require('amr-cmk-wasm');
    break;
  case 'wasm-web': {
    api = await import('amr-cmk-wasm/web');
    const wasmUrl = new URL('pkg-web/amr_cmk_js_bg.wasm', import.meta.resolve('amr-cmk-wasm/web'));
    api.initSync({ module: readFileSync(fileURLToPath(wasmUrl)) });
    break;
  }
  default:
    throw new Error(`AMR_CMK_TARGET must be napi, wasm or wasm-web, not '${target}'`);
}

export { api, cjs };
