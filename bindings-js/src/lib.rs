//! JavaScript bindings of [`amr_cmk`]: conversion only, no rules.
//!
//! One crate, two targets, picked by `cfg(target_arch = "wasm32")`:
//! - native: a Node-API addon (`napi`), packaged as npm `amr-cmk`;
//! - wasm32: a `wasm-bindgen` module, packaged as npm `amr-cmk-wasm`.
//!
//! The exports, wrapped by the hand-written `js/api.mjs` (the public API of both npm packages):
//! - `call(function, argsJson) -> string`: [`amr_cmk::json_api::call`], JSON text in and out;
//! - the packed `parseKeyUri` exports (napi; wasm with the `packed` feature, not the lite build): the parsed key
//!   identifier as one number that says where its parts are in the canonical URI ([`packed`]); the wrapper
//!   builds the plain object from slices of that string, and an error as plain text ([`packed::error_text`]).
//!   napi: `parseKeyUriPacked(uri)`, written against Node-API directly (`node.rs`); wasm: `parseKeyUriAt(len)`
//!   over a buffer in linear memory (`parseKeyUriIo`, `parseKeyUriMemory`; `wasm.rs`). `parseKeyUriLayout()`
//!   gives the layout and its tables ([`packed::layout_json`]). The JS tests check over every conformance vector
//!   and the benchmark mix that these answer exactly as `call("parseKeyUri", ...)`.

#[cfg(not(target_arch = "wasm32"))]
pub mod node;
pub mod packed;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The JSON-API call shared by both targets.
#[must_use]
pub fn call_inner(function: &str, args_json: &str) -> String {
    amr_cmk::json_api::call(function, args_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_answers_json_envelopes() {
        assert_eq!(
            call_inner("version", "null"),
            format!("{{\"ok\":\"{}\"}}", amr_cmk::version())
        );
        assert!(call_inner("nope", "null").contains("input.unknown_function"));
    }
}
