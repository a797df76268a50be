//! The report: `valid`, a summary, findings and the outcome of every check, and every type a finding holds
//! (its fix: commands, JSON Patch operations, Terraform changes).
//!
//! Every struct here that serialises declares its fields in the lexicographic order of their JSON names (the
//! canonical key order of the core's output), so serde writes the canonical bytes without a `Value` in between.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::coverage::SkuInfo;
use crate::key_uri::KeyId;
use crate::rules::RuleCode;

/// One value of a finding's or an error's [`Params`]: the few JSON shapes a message is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `null` (a value the input does not give).
    Null,
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
    /// A list of strings.
    List(Vec<String>),
}

impl Param {
    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a `serde_json::Value`.
    #[must_use]
    pub fn to_value(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Int(n) => Value::from(*n),
            Self::Str(s) => Value::from(s.as_str()),
            Self::List(items) => Value::from(items.clone()),
        }
    }

    /// Rewrites every string in it.
    #[cfg(feature = "templates")]
    pub(crate) fn map_strings(&mut self, f: &impl Fn(&str) -> String) {
        match self {
            Self::Str(s) => *s = f(s),
            Self::List(items) => items.iter_mut().for_each(|s| *s = f(s)),
            Self::Null | Self::Int(_) => {}
        }
    }
}

impl Serialize for Param {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Int(n) => serializer.serialize_i64(*n),
            Self::Str(s) => serializer.serialize_str(s),
            Self::List(items) => items.serialize(serializer),
        }
    }
}

impl From<&str> for Param {
    fn from(s: &str) -> Self {
        Self::Str(s.to_owned())
    }
}
impl From<&String> for Param {
    fn from(s: &String) -> Self {
        Self::Str(s.clone())
    }
}
impl From<String> for Param {
    fn from(s: String) -> Self {
        Self::Str(s)
    }
}
impl<T: Into<Param>> From<Option<T>> for Param {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}
impl From<usize> for Param {
    fn from(n: usize) -> Self {
        Self::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<u32> for Param {
    fn from(n: u32) -> Self {
        Self::Int(n.into())
    }
}
impl From<i64> for Param {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}
impl From<Vec<String>> for Param {
    fn from(items: Vec<String>) -> Self {
        Self::List(items)
    }
}
impl From<Vec<&str>> for Param {
    fn from(items: Vec<&str>) -> Self {
        Self::List(items.into_iter().map(str::to_owned).collect())
    }
}

/// A finding's or an error's params: names to values, one value per name, written (and iterated) in the
/// lexicographic order of the names, as JSON writes a map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, Param)>);

impl Params {
    /// No params.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value` (replacing an earlier value).
    pub fn insert(&mut self, name: &'static str, value: Param) {
        match self.0.binary_search_by(|(k, _)| (*k).cmp(name)) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    /// The value of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Param> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The names and values, in the names' lexicographic order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Param)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    /// The values, to change them in place.
    #[cfg(feature = "templates")]
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        self.0.iter_mut().map(|(_, v)| v)
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// As a JSON object.
    #[must_use]
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_value()))
            .collect()
    }
}

impl Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Params from `(name, value)` pairs.
pub(crate) fn params<const N: usize>(pairs: [(&'static str, Param); N]) -> Params {
    let mut out = Params(Vec::with_capacity(N));
    for (k, v) in pairs {
        out.insert(k, v);
    }
    out
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Azure will refuse it, or the page forbids it.
    Error,
    /// It may work but is risky, disruptive or not documented.
    Warning,
    /// A fact the user should know.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// What a check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule holds.
    Pass,
    /// The rule fired (for `info` rules: the fact applies).
    Fail,
    /// The inputs the rule needs were not given: confirm by hand or supply them.
    Inconclusive,
    /// The rule does not apply to this setup (e.g. vault rules when CMK is not used).
    NotApplicable,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The Terraform resource address the finding is about (`check` on a Terraform plan or configuration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The check it reports under.
    #[serde(skip)]
    pub check: RuleCode,
    /// Stable rule code, e.g. `vault.purge_protection_disabled` (a `key_uri.*` grammar code for the
    /// `key_uri.syntax` check).
    pub code: &'static str,
    /// 1-based column (in characters) of the value in its `.tf` file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Documentation link.
    pub doc_url: &'static str,
    /// The file `path` points into, when it is not the cache's file (`check` on several files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The change that fixes it, when a configuration change can.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// 1-based line of the value in its `.tf` file (`check` on a Terraform configuration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What is wrong, naming the real cause.
    pub message: String,
    /// The values the message was built from.
    pub params: Params,
    /// RFC 6901 JSON Pointer into the caller's input.
    pub path: String,
    /// What to do.
    pub remediation: String,
    /// Its severity.
    pub severity: Severity,
}

/// The outcome of one check (one rule of the catalogue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// The check's code (`key_uri.syntax` for the key-URI grammar family).
    pub code: RuleCode,
    /// For `inconclusive`: read-only commands that show the missing facts (each argument quoted).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub confirm: Vec<Command>,
    /// For `inconclusive`: the fix to apply if the confirmation shows the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// For `inconclusive`: why it is not decided and what would settle it, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For `inconclusive`: JSON Pointers of the inputs that would settle it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Its outcome.
    pub outcome: Outcome,
}

impl Check {
    /// A check with its outcome and the inputs it needs (no message, confirmation or fix yet).
    pub(crate) fn new(code: RuleCode, outcome: Outcome, needs: Vec<String>) -> Self {
        Check {
            code,
            outcome,
            needs,
            message: None,
            confirm: Vec::new(),
            fix: None,
        }
    }
}

/// Counts by severity, plus inconclusive checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Findings with severity `error`.
    pub errors: usize,
    /// Checks whose outcome is `inconclusive`.
    pub inconclusive: usize,
    /// Findings with severity `info`.
    pub infos: usize,
    /// Findings with severity `warning`.
    pub warnings: usize,
}

/// The result of [`crate::validate`]. Serialise it with [`Report::to_json`] for the canonical bytes that every
/// binding reproduces (object keys in lexicographic order).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Every check with its outcome, in catalogue order.
    pub checks: Vec<Check>,
    /// Findings, in catalogue order.
    pub findings: Vec<Finding>,
    /// The key the settings name, when it could be resolved.
    pub key: Option<KeyId>,
    /// The cache's SKU and tier, when known.
    pub sku: Option<SkuInfo>,
    /// Counts.
    pub summary: Summary,
    /// `true` when no finding is an error.
    pub valid: bool,
}

impl Report {
    /// The canonical JSON text of the report, written straight from the structs: every struct the report
    /// holds declares its fields in the lexicographic order of their JSON names, and its maps are sorted, so the
    /// bytes are those of the report read into a `serde_json::Value` and written (`tests::canonical` and the
    /// conformance runner check it).
    #[must_use]
    pub fn to_json(&self) -> String {
        crate::json_text::to_string(self)
    }

    /// Findings with severity `error`.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// The outcome of a check, by code.
    #[must_use]
    pub fn outcome(&self, code: RuleCode) -> Option<Outcome> {
        self.checks
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.outcome)
    }
}

/// The fix of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// Commands to review and run, in order.
    pub commands: Vec<Command>,
    /// `true` when the change is a long-running maintenance operation with service disruption.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disruptive: bool,
    /// RFC 6902 JSON Patch against the checked ARM template or compiled Bicep (`check` on a template only;
    /// with the `templates` feature).
    #[cfg(feature = "templates")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patch: Vec<PatchOp>,
    /// Placeholders the user must replace (`<resource-group>`, ...), in order of appearance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// What the commands do.
    pub summary: String,
    /// The changes to the Terraform configuration (`check` on a Terraform plan only; with the `templates`
    /// feature).
    #[cfg(feature = "templates")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terraform: Vec<TerraformChange>,
}

/// One command: its arguments and the quoted command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Command {
    /// The arguments, unquoted.
    pub argv: Vec<String>,
    /// The command line for a POSIX shell, every argument quoted.
    pub shell: String,
}

impl Command {
    pub(crate) fn new(argv: Vec<String>) -> Self {
        let shell = crate::shell::join(&argv);
        Self { argv, shell }
    }
}

/// One RFC 6902 operation (`add`, `replace` or `remove`) with a JSON Pointer into the checked document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchOp {
    /// `add`, `replace` or `remove`.
    pub op: &'static str,
    /// RFC 6901 JSON Pointer into the document.
    pub path: String,
    /// Placeholders in `value` the user must replace before deploying (`<key-version>`), when the document does
    /// not hold the information. An extra member, which RFC 6902 appliers ignore.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// The value (`add`, `replace`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

// Built by `check` only (the `templates` feature); the types are part of every `Fix`.
#[cfg(feature = "templates")]
impl PatchOp {
    pub(crate) fn new(op: &'static str, path: String, value: Option<Value>) -> Self {
        let mut placeholders = Vec::new();
        if let Some(v) = &value {
            collect_value_placeholders(v, &mut placeholders);
        }
        Self {
            op,
            path,
            value,
            placeholders,
        }
    }
}

#[cfg(feature = "templates")]
fn collect_value_placeholders(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => crate::fix::collect_placeholders(s, out),
        Value::Array(a) => a.iter().for_each(|x| collect_value_placeholders(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            crate::fix::collect_placeholders(k, out);
            collect_value_placeholders(x, out);
        }),
        _ => {}
    }
}

/// A change to a Terraform configuration: set `attribute` of the resource at `address` to `value` (or to the
/// Terraform `expression`), or, with `create`, add the resource with the attributes in `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TerraformChange {
    /// The resource address (`azurerm_key_vault.kv`).
    pub address: String,
    /// The attribute, nested blocks joined with dots (`network_acls.0.bypass`); absent for a new resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// `true`: a new resource, its attributes in `value`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub create: bool,
    /// A Terraform expression instead of a literal (`azurerm_key_vault_key.cmk.id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The literal value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}
