//! The JSON-text API every binding calls: one function name, JSON in, JSON out.
//!
//! Bindings pass their native value as JSON text and turn the answer back into a native value, so every
//! language gets the core's JSON byte for byte. The answer is `{"ok": <value>}` or
//! `{"error": {"kind", "code", "message", "params"}}` (see [`crate::Error::to_json_value`]).

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, InputError};

/// Names accepted by [`call`], in camelCase as the JS bindings export them.
pub const FUNCTIONS: &[&str] = &[
    "parseKeyUri",
    "parseIdentityId",
    "tierForSku",
    "coverage",
    "coverageMatrix",
    "validate",
    "plan",
    "ruleCodes",
    "rules",
    "errorCodes",
    "version",
];

/// Calls `function` with `args` (JSON text: a string for the parsers, the configuration object for
/// `validate`, `null` for the rest) and returns the JSON envelope as text.
#[must_use]
pub fn call(function: &str, args: &str) -> String {
    let out = match call_value(function, args) {
        Ok(v) => envelope("ok", v),
        Err(e) => envelope("error", e.to_json_value()),
    };
    serde_json::to_string(&out).unwrap_or_else(|_| String::from("null"))
}

fn envelope(key: &str, v: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(key.to_owned(), v);
    Value::Object(m)
}

/// Like [`call`], returning the value or the error.
///
/// # Errors
/// The function's own error, or an `input.*` error for unusable arguments.
pub fn call_value(function: &str, args: &str) -> Result<Value, Error> {
    match function {
        "parseKeyUri" => to_value(&crate::parse_key_uri(&string_arg(args)?)?),
        "parseIdentityId" => to_value(&crate::parse_identity_id(&string_arg(args)?)?),
        "tierForSku" => to_value(&crate::tier_for_sku(&string_arg(args)?)?),
        "coverage" => to_value(&crate::coverage(&string_arg(args)?)?),
        "coverageMatrix" => to_value(&crate::coverage_matrix()),
        "validate" => to_value(&crate::validate_json(args)?),
        "plan" => to_value(&crate::plan_json(args)?),
        "ruleCodes" => to_value(&crate::rule_codes()),
        "rules" => to_value(&crate::rules()),
        "errorCodes" => to_value(&crate::error_codes()),
        "version" => Ok(Value::String(crate::version().to_owned())),
        _ => Err(InputError::UnknownFunction {
            name: crate::coverage::truncate(function),
        }
        .into()),
    }
}

/// A string argument. No document-size limit here: the parsers' own length limits answer first, so a huge
/// string gets the same code (`key_uri.too_long`, ...) as through the typed API.
fn string_arg(args: &str) -> Result<String, Error> {
    match serde_json::from_str::<Value>(args) {
        Ok(Value::String(s)) => Ok(s),
        Ok(_) => Err(InputError::InvalidType {
            path: String::new(),
            expected: "a string".into(),
        }
        .into()),
        Err(e) => Err(InputError::InvalidJson {
            detail: e.to_string(),
        }
        .into()),
    }
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, Error> {
    serde_json::to_value(v).map_err(|e| {
        InputError::InvalidJson {
            detail: e.to_string(),
        }
        .into()
    })
}
