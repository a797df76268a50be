//! JavaScript bindings of [`amr_cmk`]: conversion only, no rules.
//!
//! One crate, two targets, picked by `cfg(target_arch = "wasm32")`:
//! - native: a Node-API addon (`napi`), packaged as npm `amr-cmk`;
//! - wasm32: a `wasm-bindgen` module, packaged as npm `amr-cmk-wasm`.
//!
//! The exports, wrapped by the hand-written `js/api.mjs` (the public API of both npm packages):
//! - `call(function, argsJson) -> string`: [`amr_cmk::json_api::call`], JSON text in and out;
//! - `parseKeyUriFast(uri) -> object | string` (napi only): the parsed key identifier as a JS object built
//!   without JSON text, or the JSON API's error object as JSON text. The wrapper checks at load time that it
//!   answers exactly as `call("parseKeyUri", ...)`. On wasm the JSON path is used: each property set would be
//!   a boundary crossing.

#[cfg(not(target_arch = "wasm32"))]
pub mod node;
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
