// Validation off the main thread: a module Web Worker running amr-cmk-wasm/lite, as the page does. Post
// (fn is an API name such as "validate" or "parseKeyUri"); it answers `{ id, ok }` or
// `{ id, error: { code, kind, message } }`.
import init, * as api from './pkg/lite.mjs';

const ready = init();

self.onmessage = async ({ data: { id, fn, arg } }) => {
  await ready;
  // The non-throwing variant (`safeValidate` for `validate`...): the value or the error object, no throw.
  const safe = api[`safe${fn.charAt(0).toUpperCase()}${fn.slice(1)}`];
  if (typeof safe !== 'function') {
    self.postMessage({ id, ok: api[fn](arg) });
    return;
  }
  const answer = safe(arg);
  if (answer.success) {
    self.postMessage({ id, ok: answer.data });
  } else {
    const { code, kind, message } = answer.error;
    self.postMessage({ id, error: { code, kind, message } });
  }
};
