// amr-cmk-wasm for browsers (and bundlers): the wasm-bindgen `web` build, wrapped by the shared wrapper
// `bindings-js/js/api.mjs`. Call `await init()` (fetches pkg-web/amr_cmk_js_bg.wasm next to the glue) or
// `initSync({ module })` once before anything else.
import initGlue, { initSync as initSyncGlue, call } from './pkg-web/amr_cmk_js.js';
import { browserLoader, createApi } from './pkg-web/api.mjs';

const loader = browserLoader({ initGlue, initSyncGlue, call }, 'amr-cmk-wasm');

/** Loads the WebAssembly module: `moduleOrPath` is a URL, Response, bytes or WebAssembly.Module. */
export default loader.init;
/** Loads the WebAssembly module synchronously from `{ module }`: bytes or a WebAssembly.Module. */
export const { initSync } = loader;

const api = createApi(loader.native);

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
