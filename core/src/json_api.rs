//! The JSON-text API every binding calls: one function name, JSON in, JSON out.
//!
//! Bindings pass their native value as JSON text and turn the answer back into a native value, so every
//! language gets the core's JSON byte for byte. The answer is `{"ok": <value>}` or
//! `{"error": {"kind", "code", "message", "params"}}` (see [`crate::Error::to_json_value`]).

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, InputError};

/// Names accepted by [`call`], in camelCase as the JS bindings export them: the functions in this build.
/// Without the `templates` feature (the web page's lite wasm) `check`, `render`, `cliPlan` and `cliRun` are not
/// built; [`call`] answers them as it answers any unknown name (`input.unknown_function`).
#[cfg(feature = "templates")]
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
    "check",
    "render",
    "cliPlan",
    "cliRun",
];

/// Names accepted by [`call`] in this build (without the `templates` feature).
#[cfg(not(feature = "templates"))]
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

/// The functions that need the `templates` feature (reading templates and plans, rendering, the CLI).
pub const TEMPLATE_FUNCTIONS: &[&str] = &["check", "render", "cliPlan", "cliRun"];

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
        #[cfg(feature = "templates")]
        "check" => check(args),
        #[cfg(feature = "templates")]
        "render" => render(args),
        #[cfg(feature = "templates")]
        "cliPlan" => cli_plan(args),
        #[cfg(feature = "templates")]
        "cliRun" => cli_run(args),
        _ => Err(InputError::UnknownFunction {
            name: crate::input::truncate(function),
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

/// The arguments object of `check`, `render`, `cliPlan` and `cliRun`: strict (unknown fields are errors).
#[cfg(feature = "templates")]
fn object_arg(args: &str, fields: &[&str]) -> Result<serde_json::Map<String, Value>, Error> {
    crate::input::check_document(args)?;
    let v: Value = serde_json::from_str(args).map_err(|e| InputError::InvalidJson {
        detail: e.to_string(),
    })?;
    let Value::Object(m) = v else {
        return Err(InputError::InvalidType {
            path: String::new(),
            expected: "an object".into(),
        }
        .into());
    };
    if let Some(unknown) = m.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(InputError::UnknownField {
            path: String::new(),
            field: crate::input::truncate(unknown),
        }
        .into());
    }
    Ok(m)
}

#[cfg(feature = "templates")]
fn opt_str(m: &serde_json::Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(InputError::InvalidType {
            path: format!("/{key}"),
            expected: "a string".into(),
        }
        .into()),
    }
}

#[cfg(feature = "templates")]
fn enum_arg<T>(
    m: &serde_json::Map<String, Value>,
    key: &str,
    parse: impl Fn(&str) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, Error> {
    match opt_str(m, key)? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).ok_or_else(|| {
            InputError::InvalidValue {
                path: format!("/{key}"),
                value: serde_json::to_string(&crate::input::truncate(&s)).unwrap_or_default(),
                expected: expected.into(),
            }
            .into()
        }),
    }
}

/// `check`: `{"document": <JSON>, "format"?: "arm"|"az"|"terraformPlan"|"sdk"|"model", "parameters"?: <ARM
/// parameters file>, "now"?: RFC 3339}` → the check result.
#[cfg(feature = "templates")]
fn check(args: &str) -> Result<Value, Error> {
    let m = object_arg(args, &["document", "format", "parameters", "now"])?;
    let Some(document) = m.get("document") else {
        return Err(InputError::InvalidType {
            path: "/document".into(),
            expected: "the document to check (an ARM template, az output, SDK dict, Terraform plan or model)".into(),
        }
        .into());
    };
    let options = crate::adapters::CheckOptions {
        format: enum_arg(
            &m,
            "format",
            crate::adapters::Format::parse,
            "\"arm\", \"az\", \"terraformPlan\", \"sdk\" or \"model\"",
        )?,
        parameters: m.get("parameters").filter(|v| !v.is_null()).cloned(),
        now: opt_str(&m, "now")?,
    };
    to_value(&crate::adapters::check(document, &options)?)
}

/// `render`: `{"result": <check result>, "format": "text"|"json"|"sarif", "color"?: bool, "fileName"?: string,
/// "text"?: string (the document text, for SARIF line numbers)}` → a string.
#[cfg(feature = "templates")]
fn render(args: &str) -> Result<Value, Error> {
    let m = object_arg(args, &["result", "format", "color", "fileName", "text"])?;
    let format = enum_arg(
        &m,
        "format",
        crate::render::RenderFormat::parse,
        "\"text\", \"json\" or \"sarif\"",
    )?
    .ok_or_else(|| InputError::InvalidType {
        path: "/format".into(),
        expected: "\"text\", \"json\" or \"sarif\"".into(),
    })?;
    let color = match m.get("color") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(InputError::InvalidType {
                path: "/color".into(),
                expected: "true or false".into(),
            }
            .into())
        }
    };
    let result = m.get("result").unwrap_or(&Value::Null);
    let file_name = opt_str(&m, "fileName")?;
    let text = opt_str(&m, "text")?;
    crate::render::render(result, format, color, file_name.as_deref(), text.as_deref())
        .map(Value::String)
}

/// `cliPlan`: the arguments after the program name (an array of strings) → the plan.
#[cfg(feature = "templates")]
fn cli_plan(args: &str) -> Result<Value, Error> {
    crate::input::check_document(args)?;
    let v: Value = serde_json::from_str(args).map_err(|e| InputError::InvalidJson {
        detail: e.to_string(),
    })?;
    let Value::Array(items) = v else {
        return Err(InputError::InvalidType {
            path: String::new(),
            expected: "an array of strings (the arguments after the program name)".into(),
        }
        .into());
    };
    let mut argv = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) => argv.push(s.clone()),
            _ => {
                return Err(InputError::InvalidType {
                    path: format!("/{i}"),
                    expected: "a string".into(),
                }
                .into())
            }
        }
    }
    to_value(&crate::cli::parse_args(&argv))
}

/// `cliRun`: `{"plan": <cliPlan result>, "inputs": [{"name", "text"} | {"name", "error"}], "color"?: bool,
/// "now"?: RFC 3339 (the binding's clock, used without `--now`)}` → `{"exitCode", "stdout", "stderr"}`.
#[cfg(feature = "templates")]
fn cli_run(args: &str) -> Result<Value, Error> {
    let m = object_arg(args, &["plan", "inputs", "color", "now"])?;
    let now = opt_str(&m, "now")?;
    if let Some(n) = now
        .as_deref()
        .filter(|n| crate::time::parse_rfc3339(n).is_none())
    {
        return Err(InputError::InvalidValue {
            path: "/now".into(),
            value: serde_json::to_string(&crate::input::truncate(n)).unwrap_or_default(),
            expected: "an RFC 3339 date-time such as 2026-11-27T00:00:00Z (the current time)"
                .into(),
        }
        .into());
    }
    let plan: crate::cli::Invocation =
        serde_json::from_value(m.get("plan").cloned().unwrap_or(Value::Null)).map_err(|e| {
            InputError::InvalidType {
                path: "/plan".into(),
                expected: format!("a plan from cliPlan ({e})"),
            }
        })?;
    let inputs: Vec<crate::cli::CliInput> =
        serde_json::from_value(m.get("inputs").cloned().unwrap_or(Value::Array(Vec::new())))
            .map_err(|e| InputError::InvalidType {
                path: "/inputs".into(),
                expected: format!(
                    "an array of {{\"name\", \"text\"}} or {{\"name\", \"error\"}} ({e})"
                ),
            })?;
    let color = m.get("color").and_then(Value::as_bool).unwrap_or(false);
    to_value(&crate::cli::run_at(&plan, &inputs, color, now.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_code(answer: &str) -> Option<String> {
        let v: Value = serde_json::from_str(answer).ok()?;
        Some(v.get("error")?.get("code")?.as_str()?.to_owned())
    }

    #[test]
    fn function_table_is_what_call_answers() {
        for f in FUNCTIONS {
            let code = error_code(&call(f, "null"));
            assert_ne!(code.as_deref(), Some("input.unknown_function"), "{f}");
        }
        for f in TEMPLATE_FUNCTIONS {
            let listed = FUNCTIONS.contains(f);
            assert_eq!(listed, cfg!(feature = "templates"), "{f}");
            let code = error_code(&call(f, "null"));
            assert_eq!(
                code.as_deref() == Some("input.unknown_function"),
                !listed,
                "{f}: {code:?}"
            );
        }
    }

    /// Without `templates`, `check` & co. answer exactly as an unknown name does (same envelope, same params).
    #[cfg(not(feature = "templates"))]
    #[test]
    fn template_functions_are_unknown_without_the_feature() {
        for f in TEMPLATE_FUNCTIONS {
            let want = format!(
                "{{\"error\":{{\"code\":\"input.unknown_function\",\"kind\":\"input\",\"message\":\"unknown function '{f}'\",\"params\":{{\"name\":\"{f}\"}}}}}}"
            );
            let got: Value =
                serde_json::from_str(&call(f, "{\"document\":{}}")).unwrap_or_default();
            let want: Value = serde_json::from_str(&want).unwrap_or_default();
            assert_eq!(got, want, "{f}");
        }
        assert_eq!(FUNCTIONS.len(), 11);
    }
}
