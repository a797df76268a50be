//! The JSON-text API every binding calls: one function name, JSON in, JSON out.
//!
//! Bindings pass their native value as JSON text and turn the answer back into a native value, so every
//! language gets the core's JSON byte for byte. The answer is `{"ok": <value>}` or
//! `{"error": {"kind", "code", "message", "params"}}` (see [`crate::Error::to_json_value`]).
//!
//! Every function that takes an argument also has a non-throwing variant, named [`SAFE_PREFIX`] + its name
//! (`safeParseKeyUri`, `safeValidate`, ...; [`Function::safe_name`]): the same call, whose error is part of
//! the value instead of the envelope's `error`: `{"ok": {"data": <value>, "success": true}}` or
//! `{"ok": {"error": {"code", "kind", "message", "params"}, "success": false}}` ([`safe_result`]). The
//! bindings export them (JS `safeParseKeyUri`, Python `try_parse_key_uri`) from the table, not one by one.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, InputError};

/// What a function of the JSON API takes as its one argument (`args` of [`call`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arg {
    /// A JSON string; its handler gets the string (the parsers, `tierForSku`, `coverage`).
    String,
    /// Any JSON document, read with the input limits (`validate`, `plan`; `cliPlan`: an array of strings); its
    /// handler gets the JSON text.
    Document,
    /// An options object with named fields, unknown fields refused (`check`, `render`, `cliRun`); its handler
    /// gets the JSON text.
    Object,
    /// Nothing: `args` is ignored (`null` by convention).
    None,
}

impl Arg {
    /// `string`, `document`, `object` or `none`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Document => "document",
            Self::Object => "object",
            Self::None => "none",
        }
    }
}

/// What a function answers: its typed value, written straight to JSON text by [`call`] (every struct declares
/// its fields in the lexicographic order of their JSON names) or turned into a `Value` by [`call_value`]. The
/// `templates` functions answer a `Value`.
#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    KeyId(crate::KeyId),
    IdentityId(crate::IdentityId),
    Sku(crate::SkuInfo),
    Coverage(crate::Coverage),
    Matrix(Vec<crate::Coverage>),
    Report(crate::Report),
    Plan(crate::plan::Plan),
    Codes(Vec<&'static str>),
    Rules(Vec<crate::Rule>),
    Text(&'static str),
    #[cfg(feature = "templates")]
    Value(Value),
}

/// A handler: gets the string (for [`Arg::String`]), the JSON text (document, object) or `""` (none).
type Handler = fn(&str) -> Result<Answer, Error>;

/// One row of [`TABLE`]: a function of the JSON API.
#[derive(Clone, Copy)]
pub struct Function {
    /// The camelCase name, as every binding exports it.
    pub name: &'static str,
    /// What it takes.
    pub arg: Arg,
    /// Whether it needs the `templates` feature (reading templates and plans, rendering, the CLI).
    pub templates: bool,
    /// `None` when this build lacks the function (a `templates` row in a build without the feature).
    handler: Option<Handler>,
}

impl Function {
    /// Whether this build has the function ([`call`] answers any other name as `input.unknown_function`).
    #[must_use]
    pub const fn is_built(&self) -> bool {
        self.handler.is_some()
    }
}

/// The prefix of the name of a function's non-throwing variant: `safe` + `ParseKeyUri`.
pub const SAFE_PREFIX: &str = "safe";

impl Function {
    /// Whether the function has a non-throwing variant: every function that takes an argument (those without
    /// one cannot fail).
    #[must_use]
    pub const fn has_safe(&self) -> bool {
        !matches!(self.arg, Arg::None)
    }

    /// The name of its non-throwing variant ([`SAFE_PREFIX`] + the name with its first letter in upper case:
    /// `safeParseKeyUri`), when it has one ([`Function::has_safe`]).
    #[must_use]
    pub fn safe_name(&self) -> Option<String> {
        if !self.has_safe() {
            return None;
        }
        let mut chars = self.name.chars();
        let first = chars.next()?;
        Some(format!(
            "{SAFE_PREFIX}{}{}",
            first.to_ascii_uppercase(),
            chars.as_str()
        ))
    }

    /// Whether `name` is the name of its non-throwing variant (without allocating).
    fn is_safe_name(&self, name: &str) -> bool {
        let Some(rest) = name.strip_prefix(SAFE_PREFIX) else {
            return false;
        };
        let (Some(a), Some(b)) = (rest.as_bytes().first(), self.name.as_bytes().first()) else {
            return false;
        };
        self.has_safe()
            && a.is_ascii_uppercase()
            && a.to_ascii_lowercase() == *b
            && rest.get(1..) == self.name.get(1..)
    }
}

/// The names of the non-throwing variants of the functions in this build, in [`TABLE`] order.
#[must_use]
pub fn safe_functions() -> Vec<String> {
    TABLE
        .iter()
        .filter(|f| f.is_built())
        .filter_map(Function::safe_name)
        .collect()
}

/// The value of a non-throwing call: `{"data": <value>, "success": true}` or `{"error": <the error object,
/// as in the envelope>, "success": false}` (keys in lexicographic order, like every object of the core).
#[must_use]
pub fn safe_result(result: Result<Value, Error>) -> Value {
    let mut m = serde_json::Map::new();
    match result {
        Ok(v) => {
            m.insert("data".to_owned(), v);
            m.insert("success".to_owned(), Value::Bool(true));
        }
        Err(e) => {
            m.insert("error".to_owned(), e.to_json_value());
            m.insert("success".to_owned(), Value::Bool(false));
        }
    }
    Value::Object(m)
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Function")
            .field("name", &self.name)
            .field("arg", &self.arg)
            .field("templates", &self.templates)
            .field("built", &self.is_built())
            .finish()
    }
}

/// Serialises as `{"name", "arg", "templates", "safe"}` (`safe`: [`Function::safe_name`] or `null`; what the JS
/// build generates its entry files from).
impl Serialize for Function {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Function", 4)?;
        s.serialize_field("name", self.name)?;
        s.serialize_field("arg", self.arg.as_str())?;
        s.serialize_field("templates", &self.templates)?;
        s.serialize_field("safe", &self.safe_name())?;
        s.end()
    }
}

/// A row of a function every build has.
const fn row(name: &'static str, arg: Arg, handler: Handler) -> Function {
    Function {
        name,
        arg,
        templates: false,
        handler: Some(handler),
    }
}

/// A row of a function that needs the `templates` feature: without it the row stays (its name is in
/// [`TEMPLATE_FUNCTIONS`]) but has no handler, and the handler's code is not built.
macro_rules! templates_row {
    ($name:literal, $arg:expr, $handler:expr) => {
        Function {
            name: $name,
            arg: $arg,
            templates: true,
            handler: templates_handler!($handler),
        }
    };
}
/// `Some(handler)` with the `templates` feature (its `Value` as the answer), `None` (the handler is not named,
/// so not built) without.
#[cfg(feature = "templates")]
macro_rules! templates_handler {
    ($handler:expr) => {
        Some(|args: &str| $handler(args).map(Answer::Value))
    };
}
#[cfg(not(feature = "templates"))]
macro_rules! templates_handler {
    ($handler:expr) => {
        None
    };
}

/// Every function of the JSON API, the one list: [`call`] dispatches on it, [`FUNCTIONS`] and
/// [`TEMPLATE_FUNCTIONS`] are its names, the conformance runner checks vector names against it, and the JS
/// build generates its entry files from it (`core/examples/function_table.rs`). Adding a function is a row here
/// plus conformance vectors (`docs/bindings.md`).
pub const TABLE: &[Function] = &[
    row("parseKeyUri", Arg::String, |s| {
        Ok(Answer::KeyId(crate::parse_key_uri(s)?))
    }),
    row("parseIdentityId", Arg::String, |s| {
        Ok(Answer::IdentityId(crate::parse_identity_id(s)?))
    }),
    row("tierForSku", Arg::String, |s| {
        Ok(Answer::Sku(crate::tier_for_sku(s)?))
    }),
    row("coverage", Arg::String, |s| {
        Ok(Answer::Coverage(crate::coverage(s)?))
    }),
    row("coverageMatrix", Arg::None, |_| {
        Ok(Answer::Matrix(crate::coverage_matrix()))
    }),
    row("validate", Arg::Document, |json| {
        Ok(Answer::Report(crate::validate_json(json)?))
    }),
    row("plan", Arg::Document, |json| {
        Ok(Answer::Plan(crate::plan_json(json)?))
    }),
    row("ruleCodes", Arg::None, |_| {
        Ok(Answer::Codes(crate::rule_codes()))
    }),
    row("rules", Arg::None, |_| Ok(Answer::Rules(crate::rules()))),
    row("errorCodes", Arg::None, |_| {
        Ok(Answer::Codes(crate::error_codes()))
    }),
    row("version", Arg::None, |_| Ok(Answer::Text(crate::version()))),
    templates_row!("check", Arg::Object, check),
    templates_row!("render", Arg::Object, render),
    templates_row!("cliPlan", Arg::Document, cli_plan),
    templates_row!("cliRun", Arg::Object, cli_run),
];

/// Which rows of [`TABLE`] a name list holds (const evaluation).
#[derive(Clone, Copy)]
enum Rows {
    /// The functions in this build.
    Built,
    /// The functions that need the `templates` feature (built or not).
    Templates,
}

impl Rows {
    const fn holds(self, f: &Function) -> bool {
        match self {
            Self::Built => f.is_built(),
            Self::Templates => f.templates,
        }
    }

    const fn count(self) -> usize {
        let mut n = 0;
        let mut rest = TABLE;
        while let [f, tail @ ..] = rest {
            if self.holds(f) {
                n += 1;
            }
            rest = tail;
        }
        n
    }

    /// The names of the rows, in table order; `N` is [`Rows::count`] (a wrong `N` fails the build).
    #[allow(clippy::indexing_slicing)] // const evaluation: an index out of range is a compile error
    const fn names<const N: usize>(self) -> [&'static str; N] {
        let mut out = [""; N];
        let mut n = 0;
        let mut rest = TABLE;
        while let [f, tail @ ..] = rest {
            if self.holds(f) {
                out[n] = f.name;
                n += 1;
            }
            rest = tail;
        }
        assert!(n == N, "N is not the number of rows");
        out
    }
}

/// Names accepted by [`call`], in camelCase as the bindings export them: the functions in this build, in
/// [`TABLE`] order. Without the `templates` feature (the web page's lite wasm) the [`TEMPLATE_FUNCTIONS`] are
/// not built; [`call`] answers them as it answers any unknown name (`input.unknown_function`).
pub const FUNCTIONS: &[&str] = &Rows::Built.names::<{ Rows::Built.count() }>();

/// The functions that need the `templates` feature (reading templates and plans, rendering, the CLI), in
/// every build.
pub const TEMPLATE_FUNCTIONS: &[&str] = &Rows::Templates.names::<{ Rows::Templates.count() }>();

/// Calls `function` with `args` (JSON text: a string for the parsers, the configuration object for
/// `validate`, `null` for the rest) and returns the JSON envelope as text. The answer is written straight from
/// the typed value (no `Value` in between): the bytes of [`call_value`]'s value written by `serde_json`
/// (`json_text` writes them).
#[must_use]
pub fn call(function: &str, args: &str) -> String {
    let mut out = String::with_capacity(256);
    match run(function, args) {
        Err(e) | Ok((false, Err(e))) => {
            out.push_str("{\"error\":");
            out.push_str(&e.to_json());
        }
        Ok((false, Ok(a))) => {
            out.push_str("{\"ok\":");
            crate::json_text::push(&mut out, &a);
        }
        Ok((true, Ok(a))) => {
            out.push_str("{\"ok\":{\"data\":");
            crate::json_text::push(&mut out, &a);
            out.push_str(",\"success\":true}");
        }
        Ok((true, Err(e))) => {
            out.push_str("{\"ok\":{\"error\":");
            out.push_str(&e.to_json());
            out.push_str(",\"success\":false}");
        }
    }
    out.push('}');
    out
}

/// Like [`call`], returning the value or the error. A non-throwing variant's name (`safeValidate`) answers
/// [`safe_result`] of its function's call: never an error, except `input.unknown_function`.
///
/// # Errors
/// The function's own error, or an `input.*` error for unusable arguments.
pub fn call_value(function: &str, args: &str) -> Result<Value, Error> {
    let (safe, answer) = run(function, args)?;
    let value = answer.and_then(|a| to_value(&a));
    if safe {
        Ok(safe_result(value))
    } else {
        value
    }
}

/// Finds `function` (or the function of a non-throwing variant's name) and calls it: whether the name was a
/// non-throwing variant, and the function's outcome.
fn run(function: &str, args: &str) -> Result<(bool, Result<Answer, Error>), Error> {
    if let Some(f) = TABLE.iter().find(|f| f.is_safe_name(function)) {
        if let Some(handler) = f.handler {
            return Ok((true, invoke(f.arg, handler, args)));
        }
    }
    let Some((arg, handler)) = TABLE
        .iter()
        .find(|f| f.name == function)
        .and_then(|f| Some((f.arg, f.handler?)))
    else {
        return Err(InputError::UnknownFunction {
            name: crate::input::truncate(function),
        }
        .into());
    };
    Ok((false, invoke(arg, handler, args)))
}

fn invoke(arg: Arg, handler: Handler, args: &str) -> Result<Answer, Error> {
    match arg {
        Arg::String => handler(&string_arg(args)?),
        Arg::Document | Arg::Object => handler(args),
        Arg::None => handler(""),
    }
}

/// A string argument (read without a `Value`: [`crate::reader::read_string`]). No document-size limit here: the
/// parsers' own length limits answer first, so a huge string gets the same code (`key_uri.too_long`, ...) as
/// through the typed API.
fn string_arg(args: &str) -> Result<String, Error> {
    Ok(crate::reader::read_string(args)?)
}

fn to_value<T: Serialize>(v: &T) -> Result<Value, Error> {
    serde_json::to_value(v).map_err(|e| {
        InputError::InvalidJson {
            detail: e.to_string(),
        }
        .into()
    })
}

/// A document argument, read with the input limits (`input.too_large`, `input.too_deep`, ...) first; its
/// strings may be as long as a document (`cliRun` carries the files' texts), which are then read with their own
/// limits.
#[cfg(feature = "templates")]
fn document_arg(args: &str) -> Result<Value, Error> {
    crate::input::check_document_with(args, &crate::input::Limits::default().envelope())?;
    serde_json::from_str(args).map_err(|e| {
        InputError::InvalidJson {
            detail: e.to_string(),
        }
        .into()
    })
}

/// The arguments object of `check`, `render` and `cliRun`: strict (unknown fields are errors).
#[cfg(feature = "templates")]
fn object_arg(args: &str, fields: &[&str]) -> Result<serde_json::Map<String, Value>, Error> {
    let Value::Object(m) = document_arg(args)? else {
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
                value: crate::json_text::to_string(&crate::input::truncate(&s)),
                expected: expected.into(),
            }
            .into()
        }),
    }
}

/// `check`: `{"document": <JSON>, "format"?: "arm"|"az"|"terraformPlan"|"sdk"|"model"|"resourceGraph", "parameters"?: <ARM
/// parameters file>, "now"?: RFC 3339}` → the check result; or, instead of `document`, `"files": {name: text}`
/// (several files checked as one input, see [`crate::adapters::check_files`]) with `"vars"?: {name: value}`
/// (Terraform variable values); `"limits"?: {"maxBytes"?, "maxDepth"?, "maxStringLength"?, "maxItems"?}` (see
/// [`limits_arg`]).
#[cfg(feature = "templates")]
fn check(args: &str) -> Result<Value, Error> {
    let m = object_arg(
        args,
        &[
            "document",
            "files",
            "vars",
            "format",
            "parameters",
            "now",
            "limits",
        ],
    )?;
    let limits = limits_arg(&m)?;
    if m.contains_key("document") && limits != crate::input::Limits::default() {
        // A document given as a value arrives in the argument's text: the limits apply to that text, one
        // level deeper (the argument is an object around it).
        let inside = crate::input::Limits {
            max_depth: limits.max_depth.saturating_add(1),
            ..limits
        };
        crate::input::check_document_with(args, &inside)?;
    }
    let options = crate::adapters::CheckOptions {
        format: enum_arg(
            &m,
            "format",
            crate::adapters::Format::parse,
            "\"arm\", \"az\", \"terraformPlan\", \"sdk\", \"model\" or \"resourceGraph\"",
        )?,
        parameters: m.get("parameters").filter(|v| !v.is_null()).cloned(),
        now: opt_str(&m, "now")?,
        limits,
    };
    match (m.get("document"), m.get("files")) {
        (Some(document), None) => to_value(&crate::adapters::check(document, &options)?),
        (None, Some(files)) => {
            let files = files_arg(files)?;
            let vars = match m.get("vars") {
                None | Some(Value::Null) => serde_json::Map::new(),
                Some(Value::Object(v)) => v.clone(),
                Some(_) => {
                    return Err(InputError::InvalidType {
                        path: "/vars".into(),
                        expected: "an object of variable names to values".into(),
                    }
                    .into())
                }
            };
            to_value(&crate::adapters::check_files(&files, &vars, &options)?)
        }
        (Some(_), Some(_)) => Err(InputError::InvalidType {
            path: "/files".into(),
            expected: "either \"document\" or \"files\", not both".into(),
        }
        .into()),
        (None, None) => Err(InputError::InvalidType {
            path: "/document".into(),
            expected: "the document to check (an ARM template, az output, SDK dict, Terraform plan or model), \
                       or \"files\": an object of file names to their texts"
                .into(),
        }
        .into()),
    }
}

/// The `limits` argument of `check`: an object of [`crate::input::LIMIT_NAMES`] to integers in their range;
/// the limits left out keep their defaults.
#[cfg(feature = "templates")]
fn limits_arg(m: &serde_json::Map<String, Value>) -> Result<crate::input::Limits, Error> {
    let given = match m.get("limits") {
        None | Some(Value::Null) => return Ok(crate::input::Limits::default()),
        Some(Value::Object(given)) => given,
        Some(_) => {
            return Err(InputError::InvalidType {
                path: "/limits".into(),
                expected: "an object of limits (maxBytes, maxDepth, maxStringLength, maxItems)"
                    .into(),
            }
            .into())
        }
    };
    let mut options = crate::input::LimitOptions::default();
    for (name, value) in given {
        let path = crate::pointer::child("/limits", name);
        let n = value.as_u64().unwrap_or(0);
        match options.set(name, n) {
            Ok(()) => {}
            Err(None) => {
                return Err(InputError::UnknownField {
                    path: "/limits".into(),
                    field: crate::input::truncate(name),
                }
                .into())
            }
            Err(Some(expected)) => {
                return Err(InputError::InvalidValue {
                    path,
                    value: crate::input::truncate(&value.to_string()),
                    expected,
                }
                .into())
            }
        }
    }
    Ok(options.limits())
}

/// The `files` argument of `check`: an object of file names to file texts.
#[cfg(feature = "templates")]
fn files_arg(files: &Value) -> Result<Vec<(&str, &str)>, Error> {
    let Value::Object(files) = files else {
        return Err(InputError::InvalidType {
            path: "/files".into(),
            expected: "an object of file names to their texts".into(),
        }
        .into());
    };
    files
        .iter()
        .map(|(name, text)| match text {
            Value::String(t) => Ok((name.as_str(), t.as_str())),
            _ => Err(InputError::InvalidType {
                path: crate::pointer::child("/files", name),
                expected: "the file's text (a string)".into(),
            }
            .into()),
        })
        .collect()
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
    let Value::Array(items) = document_arg(args)? else {
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
            value: crate::json_text::to_string(&crate::input::truncate(n)),
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

    #[test]
    fn the_name_lists_are_the_table() {
        let names: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "duplicate names in TABLE");
        let built: Vec<&str> = TABLE
            .iter()
            .filter(|f| f.is_built())
            .map(|f| f.name)
            .collect();
        assert_eq!(FUNCTIONS, built.as_slice());
        let templates: Vec<&str> = TABLE
            .iter()
            .filter(|f| f.templates)
            .map(|f| f.name)
            .collect();
        assert_eq!(TEMPLATE_FUNCTIONS, templates.as_slice());
        assert_eq!(TEMPLATE_FUNCTIONS, ["check", "render", "cliPlan", "cliRun"]);
        for f in TABLE {
            assert_eq!(
                f.is_built(),
                !f.templates || cfg!(feature = "templates"),
                "{f:?}"
            );
        }
    }

    /// The argument kind drives what the handler gets: a string function refuses other JSON, a function
    /// without an argument ignores it.
    #[test]
    fn the_argument_kind_drives_the_call() {
        for f in TABLE.iter().filter(|f| f.is_built()) {
            let answer = call(f.name, "[]");
            let code = error_code(&answer);
            match f.arg {
                Arg::String => {
                    assert_eq!(code.as_deref(), Some("input.invalid_type"), "{}", f.name)
                }
                Arg::None => assert_eq!(answer, call(f.name, "null"), "{}", f.name),
                Arg::Document | Arg::Object => {}
            }
        }
        assert_eq!(
            serde_json::to_string(&TABLE.first()).unwrap(),
            r#"{"name":"parseKeyUri","arg":"string","templates":false,"safe":"safeParseKeyUri"}"#
        );
    }

    /// Every function with an argument has a non-throwing variant that answers its value or its error as the
    /// value `{data, success}` / `{error, success}`; functions without an argument have none.
    #[test]
    fn safe_variants_follow_from_the_table() {
        let safe = safe_functions();
        let with_arg: Vec<&Function> = TABLE
            .iter()
            .filter(|f| f.is_built() && f.arg != Arg::None)
            .collect();
        assert_eq!(safe.len(), with_arg.len());
        assert!(safe.contains(&"safeParseKeyUri".to_owned()));
        assert!(safe.contains(&"safeValidate".to_owned()));
        for f in &with_arg {
            let name = f.safe_name().unwrap();
            for args in ["null", "\"x\"", "{}", "[", "{\"document\":{}}"] {
                let plain: Value = serde_json::from_str(&call(f.name, args)).unwrap();
                let safe: Value = serde_json::from_str(&call(&name, args)).unwrap();
                let want = match plain.get("ok") {
                    Some(v) => serde_json::json!({"ok": {"data": v, "success": true}}),
                    None => serde_json::json!({"ok": {"error": plain["error"], "success": false}}),
                };
                assert_eq!(safe, want, "{name}({args})");
            }
        }
        for f in TABLE.iter().filter(|f| f.arg == Arg::None) {
            assert_eq!(f.safe_name(), None);
            let name = format!("safe{}{}", f.name[..1].to_uppercase(), &f.name[1..]);
            assert_eq!(
                error_code(&call(&name, "null")).as_deref(),
                Some("input.unknown_function")
            );
        }
        for wrong in [
            "safeparseKeyUri",
            "safe",
            "safeP",
            "SafeParseKeyUri",
            "safeSafeParseKeyUri",
        ] {
            assert_eq!(
                error_code(&call(wrong, "\"x\"")).as_deref(),
                Some("input.unknown_function"),
                "{wrong}"
            );
        }
    }

    /// `call` writes its answer straight from the typed value: the bytes must be those of the `Value` route
    /// (`call_value`, then the envelope as a `Value`, then `serde_json::to_string`, what `call` did before), on
    /// every conformance vector, for its function and its non-throwing variant, and on wrong arguments.
    #[test]
    fn call_writes_the_bytes_of_the_value_route() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance");
        let mut calls = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") || name.ends_with(".schema.json") {
                continue;
            }
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for v in doc["vectors"].as_array().unwrap() {
                calls.push((
                    v["function"].as_str().unwrap().to_owned(),
                    v["input"].to_string(),
                ));
            }
        }
        for f in TABLE {
            for args in ["null", "\"x\"", "{}", "[", "[]", "{\"document\":{}}", "1"] {
                calls.push((f.name.to_owned(), args.to_owned()));
                if let Some(safe) = f.safe_name() {
                    calls.push((safe, args.to_owned()));
                }
            }
        }
        calls.push(("noSuchFunction".to_owned(), "null".to_owned()));
        assert!(calls.len() > 300);
        for (function, args) in &calls {
            let want = match call_value(function, args) {
                Ok(v) => serde_json::json!({ "ok": v }),
                Err(e) => serde_json::json!({ "error": e.to_json_value() }),
            };
            let want = serde_json::to_string(&want).unwrap();
            assert_eq!(call(function, args), want, "{function}({args})");
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
            let safe = format!("safe{}{}", f[..1].to_uppercase(), &f[1..]);
            assert_eq!(
                error_code(&call(&safe, "{}")).as_deref(),
                Some("input.unknown_function")
            );
        }
        assert_eq!(FUNCTIONS.len(), 11);
        assert_eq!(safe_functions().len(), 6);
    }
}
