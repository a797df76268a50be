//! Renders `check` results: plain text for people (optionally with ANSI colour), JSON, and SARIF 2.1.0 for
//! GitHub code scanning. Renderers take the result as JSON (what [`crate::adapters::CheckResult`] serialises
//! to), so a result that went through a binding renders the same.

mod locate;
mod sarif;
mod script;
mod summary;
mod text;

use serde_json::Value;

use crate::error::{Error, InputError};

pub use locate::locate;
pub use script::{fix_script, plans_text};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderFormat {
    /// Text for a terminal, grouped by file and resource.
    Text,
    /// The check result(s) as JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

impl RenderFormat {
    /// `text`, `json` or `sarif` (any case).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            "sarif" => Some(Self::Sarif),
            _ => None,
        }
    }
}

/// One checked file: its name, its text (for SARIF line numbers) and its result or error.
#[derive(Debug, Clone)]
pub struct RenderInput<'a> {
    /// The file name as the user gave it (`-` for standard input).
    pub file_name: &'a str,
    /// The document text, when known (SARIF regions come from it).
    pub text: Option<&'a str>,
    /// The check result as JSON, or the error that stopped the check.
    pub outcome: Result<&'a Value, &'a Error>,
    /// Several files checked together: each file's name and text (SARIF artifacts and regions per file).
    pub texts: &'a [(&'a str, &'a str)],
}

/// Renders one result (the JSON API's `render`).
///
/// # Errors
/// `input.invalid_type` when `result` is not a check result (an object with a `reports` array).
pub fn render(
    result: &Value,
    format: RenderFormat,
    color: bool,
    file_name: Option<&str>,
    text: Option<&str>,
) -> Result<String, Error> {
    if !result.get("reports").is_some_and(Value::is_array) {
        return Err(InputError::InvalidType {
            path: "/result".into(),
            expected: "a check result (an object with \"reports\")".into(),
        }
        .into());
    }
    let input = RenderInput {
        file_name: file_name.unwrap_or("input.json"),
        text,
        outcome: Ok(result),
        texts: &[],
    };
    Ok(match format {
        RenderFormat::Json => pretty(result),
        RenderFormat::Text => text::render(std::slice::from_ref(&input), color),
        RenderFormat::Sarif => pretty(&sarif::render(std::slice::from_ref(&input))),
    })
}

/// Renders several files into one output: text grouped per file, one SARIF run with every result, or JSON
/// `{"summary"?, "files": [{"name", "result" | "error"}], "toConfirm", "valid"}` (`toConfirm`: the sum of the
/// results'; `summary`: the fleet summary, when there is more than one cache).
#[must_use]
pub fn render_many(inputs: &[RenderInput], format: RenderFormat, color: bool) -> String {
    match format {
        RenderFormat::Text => text::render(inputs, color),
        RenderFormat::Sarif => pretty(&sarif::render(inputs)),
        RenderFormat::Json => {
            let files: Vec<Value> = inputs
                .iter()
                .map(|i| {
                    let mut m = serde_json::Map::new();
                    m.insert("name".into(), i.file_name.into());
                    match i.outcome {
                        Ok(r) => m.insert("result".into(), r.clone()),
                        Err(e) => m.insert("error".into(), e.to_json_value()),
                    };
                    Value::Object(m)
                })
                .collect();
            let valid = inputs.iter().all(|i| {
                i.outcome
                    .is_ok_and(|r| r.get("valid").and_then(Value::as_bool).unwrap_or(false))
            });
            let to_confirm: u64 = inputs
                .iter()
                .filter_map(|i| i.outcome.ok())
                .filter_map(|r| r.get("toConfirm").and_then(Value::as_u64))
                .sum();
            let mut m = serde_json::Map::new();
            if let Some(summary) = summary::summary(inputs) {
                m.insert("summary".into(), summary);
            }
            m.insert("files".into(), Value::Array(files));
            m.insert("toConfirm".into(), Value::from(to_confirm));
            m.insert("valid".into(), Value::Bool(valid));
            pretty(&Value::Object(m))
        }
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// The report objects of a result, with their resource.
pub(crate) fn reports(result: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    items(result, "reports").map(|r| {
        (
            r.get("resource").unwrap_or(&Value::Null),
            r.get("report").unwrap_or(&Value::Null),
        )
    })
}

/// The elements of the array member `key` of `v` (none when it is absent or not an array).
pub(crate) fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

pub(crate) fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}
