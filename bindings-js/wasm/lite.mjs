// amr-cmk-wasm/lite for browsers (and bundlers): a smaller build for pages that check configurations only.
// The same API as `amr-cmk-wasm/web` without `check`, `render`, `cliPlan` and `cliRun` (reading ARM/Bicep
// templates, az output and Terraform plans, rendering, the CLI): the core built without its `templates`
// feature, glue in pkg-lite/. Call `await init()` (fetches pkg-lite/amr_cmk_js_bg.wasm next to the glue) or
// `initSync({ module })` once before anything else.
import initGlue, { initSync as initSyncGlue, call } from './pkg-lite/amr_cmk_js.js';
import { browserLoader, createApi } from './pkg-lite/api.mjs';

const loader = browserLoader({ initGlue, initSyncGlue, call }, 'amr-cmk-wasm/lite');

/** Loads the WebAssembly module: `moduleOrPath` is a URL, Response, bytes or WebAssembly.Module. */
export default loader.init;
/** Loads the WebAssembly module synchronously from `{ module }`: bytes or a WebAssembly.Module. */
export const { initSync } = loader;

const api = createApi(loader.native);

// Only the functions this build has (amr_cmk::json_api::FUNCTIONS without the `templates` feature).
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
  AmrCmkError,
  KeyUriError,
  IdentityIdError,
  SkuError,
  InputError,
} = api;
