// The public JS API of both npm packages, `amr-cmk` (Node-API addon) and `amr-cmk-wasm` (wasm-bindgen).
//
// One source file: the ESM builds import it as is, and `scripts/gen-cjs.mjs` writes the CommonJS copy
// (`api.cjs`) that the Node entries `require`. Conversion only, no Azure logic: every argument becomes JSON
// text (`JSON.stringify`, strict), the core answers `{"ok": value}` or `{"error": {kind, code, message,
// params}}` (`amr_cmk::json_api::call`), and an error becomes an instance of the class chosen by its `kind`.
//
// Keep the module syntax to `export class` / `export function` / `export const` (gen-cjs.mjs rewrites exactly
// those).

/** Base class of every error this package throws: `code` is the stable code, `kind` the family. */
export class AmrCmkError extends Error {
  constructor(message, { code, kind, params } = {}) {
    super(message);
    this.code = code;
    this.kind = kind;
    this.params = params ?? {};
  }
}

/** The key identifier is not a usable Key Vault / Managed HSM key URI (`key_uri.*`). */
export class KeyUriError extends AmrCmkError {}
/** The string is not a user-assigned managed identity resource ID (`identity_id.*`). */
export class IdentityIdError extends AmrCmkError {}
/** The SKU or tier name is unknown or retired (`sku.*`). */
export class SkuError extends AmrCmkError {}
/** The input itself is unusable: wrong type, not serialisable, too large, too deep... (`input.*`). */
export class InputError extends AmrCmkError {}

for (const cls of [AmrCmkError, KeyUriError, IdentityIdError, SkuError, InputError]) {
  // `err.name` is the class name, as for the built-in errors (non-enumerable, on the prototype).
  Object.defineProperty(cls.prototype, 'name', {
    value: cls.name,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

const CLASS_BY_KIND = {
  keyUri: KeyUriError,
  identityId: IdentityIdError,
  sku: SkuError,
  input: InputError,
};

function errorFromCore(e) {
  const Cls = classOf(e.kind);
  return new Cls(e.message, { code: e.code, kind: e.kind, params: e.params });
}

// An error as the native `parseKeyUri` exports give it (`error_text` in bindings-js/src/packed.rs), as the JSON
// API's error object: the text is "\n{kind}\n{code}\n{message}" and "\n{name}\n{value}" for each parameter in
// the core's order (the value `s` + a string or `n` + a number), or that object as JSON text.
function errorFromText(text) {
  if (text.charCodeAt(0) !== 0x0a) return JSON.parse(text);
  const a = text.indexOf('\n', 1);
  const b = text.indexOf('\n', a + 1);
  let c = text.indexOf('\n', b + 1);
  const message = c < 0 ? text.slice(b + 1) : text.slice(b + 1, c);
  const params = {};
  while (c >= 0) {
    const d = text.indexOf('\n', c + 1);
    const e = text.indexOf('\n', d + 1);
    const value = e < 0 ? text.slice(d + 2) : text.slice(d + 2, e);
    params[text.slice(c + 1, d)] = text.charCodeAt(d + 1) === 0x6e /* n */ ? Number(value) : value;
    c = e;
  }
  // In the core's key order (lexicographic), as the JSON path's error object.
  return { code: text.slice(a + 1, b), kind: text.slice(1, a), message, params };
}

const classOf = (kind) => (Object.hasOwn(CLASS_BY_KIND, kind) ? CLASS_BY_KIND[kind] : AmrCmkError);

/**
 * The error of a core error object, built without capturing stack frames: its `stack` is its name and message.
 * For what `parseKeyUri` throws for a string that is not a key identifier (README, "Errors"): capturing frames
 * costs V8 several microseconds per error (more than the parse), and an invalid identifier is an answer about
 * the input, not a fault of the code that called. `Error.stackTraceLimit` is 0 for the construction only and put
 * back; when it cannot be set (frozen intrinsics) or is not a number, the error is built as any other.
 */
function withoutStack(e) {
  const Cls = classOf(e.kind);
  const limit = Error.stackTraceLimit;
  if (typeof limit !== 'number' || limit === 0) return new Cls(e.message, e);
  try {
    Error.stackTraceLimit = 0;
  } catch {
    return new Cls(e.message, e);
  }
  try {
    return new Cls(e.message, e);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

// Errors raised here, before the core is called: the same shape and messages as the core's `input.*` errors.
function invalidType(path, expected) {
  return new InputError(`'${path}' must be ${expected}`, {
    code: 'input.invalid_type',
    kind: 'input',
    params: { path, expected },
  });
}

function invalidJson(cause) {
  let detail;
  try {
    detail = cause instanceof Error ? String(cause.message) : String(cause);
  } catch {
    detail = 'the value could not be serialised';
  }
  return new InputError(`the input is not valid JSON: ${detail}`, {
    code: 'input.invalid_json',
    kind: 'input',
    params: { detail },
  });
}

const pointerEscape = (key) => String(key).replaceAll('~', '~0').replaceAll('/', '~1');

function describe(value) {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'number') return String(value);
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}

// Objects that JSON.stringify would silently turn into `{}` (or index maps): refused, like Python sets.
const NOT_JSON = [Map, Set, WeakMap, WeakSet, RegExp, Promise, ArrayBuffer];
if (typeof SharedArrayBuffer === 'function') NOT_JSON.push(SharedArrayBuffer);

/**
 * JSON text of `value`, refusing what JSON cannot represent faithfully: undefined (except as an object
 * property, which is left out as if absent), functions, symbols, BigInt, NaN and Infinity, Map, Set and
 * typed arrays (`input.invalid_type`, with the JSON Pointer of the value), cycles and throwing `toJSON` or
 * getters (`input.invalid_json`).
 */
function toJsonText(value, askCore) {
  if (typeof value === 'string') return JSON.stringify(value);
  // Plain data (what a form holds) needs no replacer: the same text, several times faster. Anything else takes
  // the replacer below, which finds the offending value and its pointer.
  if (isPlainJson(value, 0)) return JSON.stringify(value);
  const paths = new WeakMap();
  function replacer(key, v) {
    const parent = paths.get(this);
    const path = parent === undefined ? '' : `${parent}/${pointerEscape(key)}`;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (!Number.isFinite(v)) throw invalidType(path, `a finite number, not ${describe(v)}`);
        return v;
      case 'undefined':
        if (parent === undefined || Array.isArray(this)) {
          throw invalidType(path, 'a JSON value, not undefined');
        }
        return v; // an object property set to undefined: left out, as if absent
      case 'object':
        if (v === null) return v;
        if (NOT_JSON.some((C) => v instanceof C) || ArrayBuffer.isView(v)) {
          throw invalidType(path, `a JSON value, not ${describe(v)}`);
        }
        if (v instanceof Number && !Number.isFinite(v.valueOf())) {
          throw invalidType(path, `a finite number, not ${describe(v.valueOf())}`);
        }
        paths.set(v, path);
        return v;
      default: // bigint, function, symbol
        throw invalidType(path, `a JSON value, not ${describe(v)}`);
    }
  }
  let text;
  try {
    text = JSON.stringify(value, replacer);
  } catch (e) {
    if (e instanceof AmrCmkError) throw e;
    if (isStackOverflow(e)) {
      // Nested deeper than JSON.stringify can go (a few thousand levels): far beyond the core's limit, so
      // let the core answer for a stand-in document nested that deep (its `input.too_deep`, with its limit).
      const answer = askCore(`${'['.repeat(STAND_IN_DEPTH)}${']'.repeat(STAND_IN_DEPTH)}`);
      if (Object.hasOwn(answer, 'error')) throw errorFromCore(answer.error);
    }
    throw invalidJson(e); // cycles, throwing toJSON or getters
  }
  if (typeof text !== 'string') throw invalidType('', `a JSON value, not ${describe(value)}`);
  return text;
}

const STAND_IN_DEPTH = 10_000;

// Deeper than this, the replacer decides (it also finds cycles and overflows).
const PLAIN_DEPTH = 256;

/**
 * Whether `value` is plain JSON data that `JSON.stringify` writes as it is: strings, booleans, finite numbers,
 * null, arrays without holes or `undefined` items, and objects whose prototype is `Object.prototype` or null,
 * without `toJSON`, whose own enumerable properties are plain JSON or `undefined` (left out, as the replacer
 * does). `false` sends the value to the replacer, which answers the same for plain data and refuses the rest.
 */
function isPlainJson(value, depth) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > PLAIN_DEPTH) return false;
  try {
    if (Array.isArray(value)) {
      if (Object.getPrototypeOf(value) !== Array.prototype) return false;
      for (let i = 0; i < value.length; i++) {
        if (!isPlainJson(value[i], depth + 1)) return false;
      }
      return true;
    }
    const proto = Object.getPrototypeOf(value);
    if ((proto !== Object.prototype && proto !== null) || value.toJSON !== undefined) return false;
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v !== undefined && !isPlainJson(v, depth + 1)) return false;
    }
    return true;
  } catch {
    return false; // a throwing getter or proxy trap: the replacer reports it
  }
}

function isStackOverflow(e) {
  try {
    // V8 and JavaScriptCore: RangeError "Maximum call stack size exceeded"; SpiderMonkey: "too much recursion".
    return /call stack|recursion/i.test(String(e?.message));
  } catch {
    return false;
  }
}

/**
 * The fields of a packed key, from bit 0 up: [name, width in bits]. The same constant as `LAYOUT` in
 * bindings-js/src/packed.rs, which says what each field means (test/api.test.mjs checks that the two agree, and
 * `packedParser` takes the fast path only when the native module's `parseKeyUriLayout()` gives this layout).
 */
export const PACKED_LAYOUT = [
  ['vaultUrlEnd', 8],
  ['vaultNameStart', 8],
  ['vaultNameEnd', 8],
  ['keyNameStart', 8],
  ['keyNameEnd', 8],
  ['versionStart', 8],
  ['cloud', 2],
  ['vaultKind', 1],
];

/** A reader of one field of `PACKED_LAYOUT`: `(p / 2 ** firstBit) & mask` (`&` truncates; p < 2^53). */
function field(name) {
  let bit = 0;
  for (const [n, width] of PACKED_LAYOUT) {
    if (n === name) {
      const divisor = 2 ** bit;
      const mask = 2 ** width - 1;
      return (p) => (p / divisor) & mask;
    }
    bit += width;
  }
  throw new Error(`PACKED_LAYOUT has no field ${name}`);
}

const vaultUrlEnd = field('vaultUrlEnd');
const vaultNameStart = field('vaultNameStart');
const vaultNameEnd = field('vaultNameEnd');
const keyNameStart = field('keyNameStart');
const keyNameEnd = field('keyNameEnd');
const versionStart = field('versionStart');
const cloudIndex = field('cloud');
const vaultKindIndex = field('vaultKind');

/**
 * The packed answer to `uri` from the native module, as a function: a number (the packed key, `PACKED_LAYOUT`; 0
 * to take the JSON path), a string (the error, see `errorFromText`, or the canonical URI when it differs from
 * `uri`), or undefined (take the JSON path). Undefined when the module has no packed exports.
 * - napi: `parseKeyUriPacked(uri)` answers that itself (it reads the string as UTF-16 and answers 0 for a lone
 *   surrogate, which the JSON path refuses).
 * - wasm: the wrapper writes `uri` as UTF-8 into a buffer in the module's memory (`parseKeyUriIo(minimum)`: its
 *   address and size; `parseKeyUriMemory()`) and `parseKeyUriAt(length)` answers a number, or minus the length of
 *   the text it wrote into the same buffer. A lone surrogate would reach Rust as U+FFFD: such strings take the JSON
 *   path.
 */
function packedAnswer(native) {
  if (typeof native.parseKeyUriPacked === 'function') return native.parseKeyUriPacked;
  const { parseKeyUriAt: at, parseKeyUriIo: io, parseKeyUriMemory: memoryOf } = native;
  if (typeof at !== 'function' || typeof io !== 'function' || typeof memoryOf !== 'function') return undefined;
  if (typeof TextEncoder !== 'function' || typeof TextDecoder !== 'function') return undefined;
  let memory;
  let view;
  // The buffer, grown first to `minimum` bytes (0: where it is now). Its view is detached (length 0) when the
  // memory grows, and made again.
  const locate = (minimum) => {
    const [address, capacity] = io(minimum);
    view = new Uint8Array(memory.buffer, address, capacity);
  };
  try {
    memory = memoryOf();
    locate(0);
  } catch {
    return undefined;
  }
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return (uri) => {
    // Far beyond any key identifier: the JSON path (the buffer is kept, so it does not grow for such strings).
    if (uri.length > 16384) return undefined;
    if (view.byteLength === 0) locate(0);
    let { read, written } = encoder.encodeInto(uri, view);
    if (read !== uri.length) {
      locate(uri.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 code unit
      ({ read, written } = encoder.encodeInto(uri, view));
    }
    if (written !== read && !uri.isWellFormed()) return undefined;
    const answer = at(written);
    if (answer >= 0) return answer;
    if (view.byteLength < -answer) locate(0);
    return decoder.decode(view.subarray(0, -answer));
  };
}

/**
 * The packed fast path of `parseKeyUri` over the native module's packed exports (`packedAnswer`) and
 * `parseKeyUriLayout()` (the layout of packed keys and the tables its indices point into). The function it
 * returns gives the key (an object), the error (a string, see `errorFromText`), or undefined (not packable: take
 * the JSON path). Undefined when the native module has no packed exports or another layout.
 */
function packedParser(native) {
  const answerOf = packedAnswer(native);
  const layoutText = native.parseKeyUriLayout;
  if (answerOf === undefined || typeof layoutText !== 'function') return undefined;
  let layout;
  try {
    layout = JSON.parse(layoutText());
  } catch {
    return undefined;
  }
  if (JSON.stringify(layout.fields) !== JSON.stringify(PACKED_LAYOUT)) return undefined;
  const { clouds, vaultKinds } = layout;
  // The key from the slices of its canonical URI, in the JSON path's key order.
  const keyOf = (uri, p) => {
    const version = versionStart(p);
    return {
      cloud: clouds[cloudIndex(p)],
      keyName: uri.slice(keyNameStart(p), keyNameEnd(p)),
      uri,
      vaultKind: vaultKinds[vaultKindIndex(p)],
      vaultName: uri.slice(vaultNameStart(p), vaultNameEnd(p)),
      vaultUrl: uri.slice(0, vaultUrlEnd(p)),
      version: version < uri.length ? uri.slice(version) : null,
    };
  };
  return (uri) => {
    const answer = answerOf(uri);
    if (typeof answer === 'number') return answer > 0 ? keyOf(uri, answer) : undefined;
    if (typeof answer !== 'string' || answer.length === 0) return undefined;
    const first = answer.charCodeAt(0);
    if (first === 0x0a || first === 0x7b /* { */) return answer;
    // Another spelling of a valid key: its canonical URI, packed on its own.
    const p = answerOf(answer);
    return typeof p === 'number' && p > 0 ? keyOf(answer, p) : undefined;
  };
}

/**
 * The loaders of a browser entry (`wasm/web.mjs`, `wasm/lite.mjs`) over its wasm-bindgen glue (`initGlue`, its
 * default export; `initSyncGlue`; `call`): `init(moduleOrPath)` and `initSync({ module })` load the module once,
 * and `native.call` (what `createApi` takes) refuses to run before that, naming `entryName` in the error.
 */
export function browserLoader({ initGlue, initSyncGlue, call }, entryName) {
  let ready = false;
  let pending;
  return {
    init(moduleOrPath) {
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
    },
    initSync({ module }) {
      if (!ready) {
        initSyncGlue({ module });
        ready = true;
      }
    },
    native: {
      call(fn, argsJson) {
        if (!ready) {
          throw new Error(`${entryName}: call \`await init()\` or \`initSync({ module })\` before using the API`);
        }
        return call(fn, argsJson);
      },
    },
  };
}

/** The name of the non-throwing variant of `name`: `safe` + `ParseKeyUri` (`Function::safe_name` in the core). */
export const safeName = (name) => `safe${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** A failed non-throwing call for an error thrown here (the same object as the core's error, in its key order). */
const failure = (e) => ({
  error: { code: e.code, kind: e.kind, message: e.message, params: e.params },
  success: false,
});

/**
 * The path of a Standard Schema issue from a JSON Pointer into `value`: the reference tokens, unescaped (`~1` is
 * `/`, `~0` is `~`), an index into an array as a number. Undefined for the whole value (pointer `""`).
 */
function issuePath(pointer, value) {
  if (typeof pointer !== 'string' || pointer === '' || pointer.charCodeAt(0) !== 0x2f) return undefined;
  const path = [];
  let node = value;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^(?:0|[1-9][0-9]*)$/.test(key)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined;
    }
  }
  return path;
}

/** A Standard Schema issue: `message`, and the `path` of `pointer` into `value` when it names a part of it. */
function issue(message, pointer, value) {
  const path = issuePath(pointer, value);
  return path === undefined ? { message } : { message, path };
}

/**
 * A Standard Schema v1 object (standardschema.dev) whose synchronous `validate(value)` gives `{ value: output }`
 * or `{ issues: [{ message, path? }] }`. `check(value)` is a non-throwing call: `{ data, success: true }` or
 * `{ error, success: false }`; `issuesOf(data, value)` the issues of a successful call (none: valid), and
 * `outputOf(data, value)` the output value.
 */
function standardSchema(check, issuesOf, outputOf) {
  return {
    '~standard': {
      version: 1,
      vendor: 'amr-cmk',
      validate(value) {
        const result = check(value);
        if (!result.success) return { issues: [issue(result.error.message, result.error.params?.path, value)] };
        const issues = issuesOf(result.data, value);
        return issues.length === 0 ? { value: outputOf(result.data, value) } : { issues };
      },
    },
  };
}

/**
 * Builds the public API over a native module with `call(function, argsJson) -> string` and, optionally, the
 * packed `parseKeyUri` exports (see `packedParser`). `functions` maps each function of the build to what it
 * takes (`{ parseKeyUri: 'string', ..., version: 'none' }`: the core's function table, `amr_cmk::json_api::TABLE`,
 * written into each entry file by scripts/gen-js-entries.mjs).
 */
export function createApi(native, functions) {
  const ask = (fn, argsJson) => JSON.parse(native.call(fn, argsJson));
  const invoke = (fn, argsJson) => {
    const answer = ask(fn, argsJson);
    if (Object.hasOwn(answer, 'error')) throw errorFromCore(answer.error);
    return answer.ok;
  };
  // Calls `fn` with one argument converted to JSON text.
  const invokeWith = (fn, arg) => invoke(fn, toJsonText(arg, (standIn) => ask(fn, standIn)));
  // The tests check, over every vector and the benchmark mix, that it answers exactly as the JSON path.
  const fast = packedParser(native);

  // The non-throwing call of `fn` (the core's `safe` variant `safeFn`): conversion errors raised here become
  // the failed result too.
  const safeInvokeWith = (fn, safeFn, arg) => {
    let text;
    try {
      text = toJsonText(arg, (standIn) => ask(fn, standIn));
    } catch (e) {
      if (e instanceof AmrCmkError) return failure(e);
      throw e;
    }
    return invoke(safeFn, text);
  };

  const api = {};
  for (const [name, arg] of Object.entries(functions)) {
    // A named function of one parameter, or of none (`.name` and `.length` as declared in index.d.ts).
    api[name] =
      arg === 'none'
        ? { [name]: () => invoke(name, 'null') }[name]
        : { [name]: (value) => invokeWith(name, value) }[name];
  }
  // Every function with an argument has a non-throwing variant (the core's `json_api::Function::safe_name`):
  // `{ data, success: true }` or `{ error: { code, kind, message, params }, success: false }`.
  for (const [name, arg] of Object.entries(functions)) {
    if (arg === 'none') continue;
    const safe = safeName(name);
    api[safe] = { [safe]: (value) => safeInvokeWith(name, safe, value) }[safe];
  }
  if (Object.hasOwn(api, 'parseKeyUri')) {
    // The JSON path (non-strings, lone surrogates, strings the packed path does not take): the same errors, an
    // invalid key identifier without stack frames as on the packed path.
    const jsonParseKeyUri = (uri) => {
      const answer = ask('parseKeyUri', toJsonText(uri, (standIn) => ask('parseKeyUri', standIn)));
      if (!Object.hasOwn(answer, 'error')) return answer.ok;
      throw answer.error.kind === 'keyUri' ? withoutStack(answer.error) : errorFromCore(answer.error);
    };
    api.parseKeyUri = function parseKeyUri(uri) {
      // Non-strings take the JSON path; so do lone surrogates (`packedAnswer`: the core refuses them as JSON input).
      if (fast !== undefined && typeof uri === 'string') {
        const key = fast(uri);
        if (typeof key === 'object') return key;
        if (key !== undefined) throw withoutStack(errorFromText(key));
      }
      return jsonParseKeyUri(uri);
    };
  }
  if (Object.hasOwn(api, 'safeParseKeyUri')) {
    const slowSafeParseKeyUri = api.safeParseKeyUri;
    api.safeParseKeyUri = function safeParseKeyUri(uri) {
      if (fast !== undefined && typeof uri === 'string') {
        const key = fast(uri);
        if (typeof key === 'object') return { data: key, success: true };
        if (key !== undefined) return { error: errorFromText(key), success: false };
      }
      return slowSafeParseKeyUri(uri);
    };
  }
  // Standard Schema v1 objects over the non-throwing calls (synchronous: a browser build must be initialised
  // first). `keyUriSchema`: a key identifier string, output the parsed key. `cmkConfigSchema`: a configuration,
  // output the value as given; an issue per error finding of the report (warnings and inconclusive checks do
  // not fail it: `safeValidate` gives the whole report), at the finding's path.
  const keyUriSchema = standardSchema(
    (value) => api.safeParseKeyUri(value),
    () => [],
    (key) => key,
  );
  const cmkConfigSchema = standardSchema(
    (value) => api.safeValidate(value),
    (report, value) =>
      report.findings
        .filter((f) => f.severity === 'error')
        .map((f) => issue(f.message, f.path, value)),
    (_report, value) => value,
  );
  return {
    ...api,
    keyUriSchema,
    cmkConfigSchema,
    AmrCmkError,
    KeyUriError,
    IdentityIdError,
    SkuError,
    InputError,
  };
}
