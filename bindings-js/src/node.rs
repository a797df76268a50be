//! Node-API exports (native targets).
#![allow(unsafe_code, missing_docs)] // the napi macros generate unsafe glue and undocumented items

use napi::bindgen_prelude::{Either, Null};
use napi_derive::napi;

/// `call(function, argsJson)`: the JSON-API answer as JSON text.
#[napi]
#[must_use]
pub fn call(function: String, args_json: String) -> String {
    crate::call_inner(&function, &args_json)
}

/// A parsed key identifier as a plain JS object. The fields are in the order the JSON path gives them
/// (`JSON.stringify` of both must be equal; `js/api.mjs` checks this once at load time and falls back to the
/// JSON path if they differ, and the JS tests fail then).
#[napi(object, object_from_js = false)]
pub struct KeyIdObject {
    pub cloud: &'static str,
    pub key_name: String,
    pub uri: String,
    pub vault_kind: &'static str,
    pub vault_name: String,
    pub vault_url: String,
    pub version: Either<String, Null>,
}

/// `parseKeyUriFast(uri)`: the parsed key identifier, or the error as the JSON API's error object
/// (`{"kind","code","message","params"}` as JSON text) when it is invalid. The wrapper uses it only for
/// well-formed strings (a lone surrogate reaches Rust as U+FFFD, while the JSON path refuses it).
#[napi(js_name = "parseKeyUriFast")]
#[must_use]
pub fn parse_key_uri_fast(uri: String) -> Either<KeyIdObject, String> {
    match amr_cmk::parse_key_uri(&uri) {
        Ok(key) => Either::A(KeyIdObject {
            cloud: key.cloud().as_str(),
            key_name: key.key_name().to_owned(),
            vault_kind: key.vault_kind().as_str(),
            vault_name: key.vault_name().to_owned(),
            vault_url: key.vault_url().to_owned(),
            version: key
                .version()
                .map_or(Either::B(Null), |v| Either::A(v.to_owned())),
            uri: key.into_uri(),
        }),
        Err(e) => Either::B(amr_cmk::Error::from(e).to_json_value().to_string()),
    }
}
