// Validation off the main thread: a module Web Worker running amr-cmk-wasm/lite, as the page does. Post
// (fn is an API name such as "validate" or "parseKeyUri"); it answers `{ id, ok }` or
// `{ id, error: { code, kind, message } }`.
import init, * as api from './pkg/lite.mjs';

const ready = init();

self.onmessage = async ({ data: { id, fn, arg } }) => {
  await ready;
  try {
    self.postMessage({ id, ok: api[fn](arg) });
  } catch (e) {
    self.postMessage({ id, error: { code: e.code, kind: e.kind, message: e.message } });
  }
};
