'use strict';
// amr-cmk: the Node-API addon of the amr-cmk Rust core. `binding.js` (written by `napi build`) loads the
// platform's `.node` file; `js/api.cjs` is the CommonJS copy of the shared wrapper `js/api.mjs`.
const native = require('./binding.js');

module.exports = require('./js/api.cjs').createApi(native);
