// amr-cmk-wasm for browsers (and bundlers): the wasm-bindgen `web` build, wrapped by the shared wrapper
// `bindings-js/js/api.mjs`. Call `await init()` (fetches pkg-web/amr_cmk_js_bg.wasm next to the glue) or
// `initSync({ module })` once before anything else.
import initGlue, { initSync as initSyncGlue, call } from './pkg-web/amr_cmk_js.js';
import { createApi } from './pkg-web/api.mjs';

let ready = false;
let pending;

function notInitialised() {
  return new Error('amr-cmk-wasm: call `await init()` or `initSync({ module })` before using the API');
}

/** Loads the WebAssembly module: `moduleOrPath` is a URL, Response, bytes or WebAssembly.Module. */
export default function init(moduleOrPath) {
  if (ready) return Promise.resolve();
  pending ??= initGlue(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(
    () => {
      ready = true;
    },
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

/** Loads the WebAssembly module synchronously from `{ module }`: bytes or a WebAssembly.Module. */
export function initSync({ module }) {
  if (!ready) {
    initSyncGlue({ module });
    ready = true;
  }
}

const api = createApi({
  call(fn, argsJson) {
    if (!ready) throw notInitialised();
    return call(fn, argsJson);
  },
});

export const {
  parseKeyUri,
  parseIdentityId,
  tierForSku,
  coverage,
  coverageMatrix,
  validate,
  plan,
  ruleCodes,
  rules,
  errorCodes,
  version,
  check,
  render,
  cliPlan,
  cliRun,
  AmrCmkError,
  KeyUriError,
  IdentityIdError,
  SkuError,
  InputError,
} = api;
