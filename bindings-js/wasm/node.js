'use strict';
// amr-cmk-wasm for Node: the wasm-bindgen `nodejs` build (loads the .wasm synchronously), wrapped by the
// CommonJS copy of the shared wrapper `bindings-js/js/api.mjs`.
const native = require('./pkg-node/amr_cmk_js.js');

module.exports = require('./pkg-node/api.cjs').createApi(native);
