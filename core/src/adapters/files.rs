//! Several files in one check: `check({"files": {name: text}})` and the CLI's `check DIR` / `check A B C`.
//!
//! Files are taken in name order and sorted by kind: Terraform configuration (`*.tf`, `*.tf.json`, `*.tfvars`,
//! `*.tfvars.json`) and JSON documents (everything else). A file that cannot be read is an entry of
//! [`CheckResult::files`] with its error, and the other files are still checked.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{check, CheckOptions, CheckResult, Format};
use crate::error::{Error, InputError};

/// One file of a several-file check: its name, the format read, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    /// The file's name as given (a path with `/`).
    pub name: String,
    /// The format read, when the file could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Why the file could not be read: `{"kind", "code", "message", "params"}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

/// What a file holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Terraform configuration: `*.tf`, `*.tf.json`.
    TerraformConfig,
    /// Terraform variable values: `*.tfvars`, `*.tfvars.json`.
    TerraformVars,
    /// A JSON document (an ARM template, az output, a Terraform plan, ...).
    Json,
}

impl FileKind {
    /// The kind of the file named `name`.
    #[must_use]
    pub fn of(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tf") || lower.ends_with(".tf.json") {
            Self::TerraformConfig
        } else if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
            Self::TerraformVars
        } else {
            Self::Json
        }
    }

    /// Whether the file is Terraform configuration or variables.
    #[must_use]
    pub fn is_terraform(self) -> bool {
        matches!(self, Self::TerraformConfig | Self::TerraformVars)
    }
}

/// Checks several files as one input. `vars` are Terraform variable values given directly (`--var`).
///
/// JSON documents are checked one by one and their reports concatenated, each with its file's name;
/// [`CheckResult::format`] is the first file's format (each file's is in [`CheckResult::files`]).
///
/// # Errors
/// `input.no_cache` when no file holds a cache and no file failed to read (a failed file is reported in
/// [`CheckResult::files`] instead).
pub fn check_files(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    options: &CheckOptions,
) -> Result<CheckResult, Error> {
    let mut sorted: Vec<&(&str, &str)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut result = CheckResult {
        // The first file's format (each file's is in `files`).
        format: options.format.unwrap_or(Format::Model),
        reports: Vec::new(),
        to_confirm: 0,
        valid: true,
        files: Vec::new(),
    };
    let mut formats = Vec::new();
    let mut first_error: Option<Error> = None;
    // Terraform files: one configuration (the HCL reader), reported in name order with the others.
    let terraform: Vec<(&str, &str)> = sorted
        .iter()
        .filter(|(n, _)| FileKind::of(n).is_terraform())
        .map(|(n, t)| (*n, *t))
        .collect();
    let mut tf_files = Vec::new();
    if !terraform.is_empty() {
        let tf = super::hcl::check(&terraform, vars, options);
        formats.push(Format::TerraformConfig);
        result.reports.extend(tf.reports);
        tf_files = tf.files;
        if let Some(e) = tf.error {
            first_error.get_or_insert(e);
        }
    }
    for (name, text) in sorted {
        if FileKind::of(name).is_terraform() {
            if let Some(i) = tf_files.iter().position(|f| f.name == *name) {
                result.files.push(tf_files.remove(i));
            }
            continue;
        }
        let outcome = crate::input::parse_document(text)
            .map_err(Error::from)
            .and_then(|doc| check(&doc, options));
        match outcome {
            Ok(r) => {
                formats.push(r.format);
                result.files.push(FileInfo {
                    name: (*name).to_owned(),
                    format: Some(r.format),
                    error: None,
                });
                for mut report in r.reports {
                    report.resource.file = Some((*name).to_owned());
                    result.reports.push(report);
                }
            }
            Err(e) => {
                result.files.push(FileInfo {
                    name: (*name).to_owned(),
                    format: None,
                    error: Some(e.to_json_value()),
                });
                first_error.get_or_insert(e);
            }
        }
    }
    if result.reports.is_empty() {
        if let (true, Some(e)) = (result.files.len() == 1, first_error) {
            return Err(e);
        }
        if result.files.iter().all(|f| f.error.is_none()) {
            return Err(InputError::NoCache {
                format: "files".into(),
                expected: "a Microsoft.Cache/redisEnterprise or azurerm_managed_redis resource"
                    .into(),
                found: "no cache in any file".into(),
            }
            .into());
        }
    }
    if let Some(first) = formats.first() {
        result.format = *first;
    }
    result.valid = result.reports.iter().all(|r| r.report.valid)
        && result.files.iter().all(|f| f.error.is_none());
    result.to_confirm = result
        .reports
        .iter()
        .map(|r| r.report.summary.inconclusive)
        .sum();
    Ok(result)
}
