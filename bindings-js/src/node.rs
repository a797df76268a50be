//! Node-API exports (native targets).
#![allow(unsafe_code, missing_docs)] // the napi macros generate unsafe glue and undocumented items

use napi::bindgen_prelude::Either;
use napi_derive::napi;

/// `call(function, argsJson)`: the JSON-API answer as JSON text.
#[napi]
#[must_use]
pub fn call(function: String, args_json: String) -> String {
    crate::call_inner(&function, &args_json)
}

/// `parseKeyUriPacked(uri)`: the parsed key identifier as one number ([`crate::packed::pack`]) when its
/// canonical URI is `uri` itself (the common case: the wrapper slices the string it already has), else a string:
/// the error ([`crate::packed::error_text`], starts with a newline or `{`), or the canonical URI (the wrapper
/// packs that). 0 when the key cannot be packed (the wrapper takes the JSON path). The wrapper uses it only
/// for well-formed strings (a lone surrogate reaches Rust as U+FFFD, while the JSON path refuses it).
#[napi(js_name = "parseKeyUriPacked")]
#[must_use]
pub fn parse_key_uri_packed(uri: String) -> Either<f64, String> {
    match crate::packed::parse_packed(&uri) {
        crate::packed::Packed::Number(n) => Either::A(n),
        crate::packed::Packed::Text(text) => Either::B(text),
    }
}

/// `parseKeyUriLayout()`: the layout of `parseKeyUriPacked` numbers and its tables, as JSON text
/// ([`crate::packed::layout_json`]).
#[napi(js_name = "parseKeyUriLayout")]
#[must_use]
pub fn parse_key_uri_layout() -> String {
    crate::packed::layout_json()
}
