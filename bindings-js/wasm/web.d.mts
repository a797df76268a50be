// Types of amr-cmk-wasm's browser entry (web.mjs): the API of index.d.ts plus the module loaders.
export * from './index.js';

/** What `init` accepts: a URL (fetched), a Response, the module's bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Loads the WebAssembly module (default: `pkg-web/amr_cmk_js_bg.wasm` next to the glue). Call once first. */
export default function init(moduleOrPath?: InitInput | Promise<InitInput>): Promise<void>;
/** Loads the WebAssembly module synchronously from its bytes or a compiled module. */
export declare function initSync(options: { module: BufferSource | WebAssembly.Module }): void;
