//! Several files in one check: `check({"files": {name: text}})` and the CLI's `check DIR` / `check A B C`.
//!
//! Files are taken in name order and sorted by kind: Terraform configuration (`*.tf`, `*.tf.json`, `*.tfvars`,
//! `*.tfvars.json`) and JSON documents (everything else). A file that cannot be read is an entry of
//! [`CheckResult::files`] with its error, and the other files are still checked.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{check_units, plan_of, CheckOptions, CheckResult, Format};
use crate::error::{Error, InputError};
use crate::plan::Plan;

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

/// A JSON file's document and format, or why it could not be read.
type Parsed = Result<(Value, Format), Error>;

/// Checks several files as one input. `vars` are Terraform variable values given directly (`--var`).
///
/// The resources of every JSON document (ARM templates, `az` and Resource Graph output, Terraform plans, SDK
/// dicts) go into one bundle before caches are joined to identities, vaults, keys and role assignments: a
/// cache in one file finds its vault in another (the same resource read twice, say an ARM `existing` vault and
/// its `az keyvault show` output, is taken from the file that says most: created by a document, then as it
/// exists, then a reference). A model document is a whole configuration and is checked on its own. Each
/// report names its cache's file (`resource.file`); a finding about a resource of another file names that file
/// (`file`) and its `path` points into it. [`CheckResult::format`] is the first file's format (each file's is
/// in [`CheckResult::files`]).
///
/// # Errors
/// `input.no_cache` when no file holds a cache and no file failed to read (a failed file is reported in
/// [`CheckResult::files`] instead).
pub fn check_files(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    options: &CheckOptions,
) -> Result<CheckResult, Error> {
    check_and_plan(files, vars, options, false).map(|(r, _)| r)
}

/// Checks several files as one input, as [`check_files`], with the migration plan of every cache (see
/// [`crate::plan::plan`]): `plans[i]` is the plan of `result.reports[i]`.
///
/// # Errors
/// As [`check_files`].
pub fn plans_files(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    options: &CheckOptions,
) -> Result<(CheckResult, Vec<Plan>), Error> {
    check_and_plan(files, vars, options, true)
}

/// [`check_files`], with the plans when `with_plans` (else none).
fn check_and_plan(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    options: &CheckOptions,
    with_plans: bool,
) -> Result<(CheckResult, Vec<Plan>), Error> {
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
    let mut first_error: Option<Error> = None;
    // Terraform files: one configuration (the HCL reader, its own join), reported with the others.
    let terraform: Vec<(&str, &str)> = sorted
        .iter()
        .filter(|(n, _)| FileKind::of(n).is_terraform())
        .map(|(n, t)| (*n, *t))
        .collect();
    let mut terraform_reports = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    if !terraform.is_empty() {
        let tf = super::hcl::check(&terraform, vars, options, with_plans);
        terraform_reports = tf.reports;
        plans = tf.plans;
        result.files = tf.files;
        if let Some(e) = tf.error {
            first_error.get_or_insert(e);
        }
    }
    // Every JSON file read (or its error), in name order; the documents to join and their bundles.
    let mut read: Vec<(&str, Parsed)> = Vec::new();
    for (name, text) in sorted {
        if FileKind::of(name).is_terraform() {
            continue;
        }
        let outcome = crate::input::parse_document_with(text, &options.limits)
            .map_err(Error::from)
            .and_then(|doc| {
                let format = super::format_of(&doc, options)?;
                Ok((doc, format))
            });
        read.push((name, outcome));
    }
    let mut symbols = super::Symbols::default();
    let mut bundles = Vec::new();
    let mut joined: Vec<usize> = Vec::new();
    let mut outcomes: Vec<Result<Format, Error>> = Vec::new();
    let mut model_plans: Vec<Plan> = Vec::new();
    for (i, (name, outcome)) in read.iter().enumerate() {
        outcomes.push(match outcome {
            Err(e) => Err(e.clone()),
            Ok((doc, Format::Model)) => check_units(doc, options).map(|(_, checked, symbols)| {
                for (mut report, config) in checked {
                    if with_plans {
                        model_plans.push(plan_of(&report, &config, &symbols));
                    }
                    report.resource.file = Some((*name).to_owned());
                    result.reports.push(report);
                }
                Format::Model
            }),
            Ok((doc, format)) => super::read_bundle(doc, *format, options, &mut symbols).map(|b| {
                bundles.push(b);
                joined.push(i);
                *format
            }),
        });
    }
    let docs: Vec<super::Doc> = joined
        .iter()
        .filter_map(|i| match read.get(*i) {
            Some((name, Ok((doc, format)))) => Some(super::Doc {
                name: Some(name),
                doc,
                format: *format,
            }),
            _ => None,
        })
        .collect();
    let bundle = super::Bundle::merge(bundles);
    let mut model_reports = std::mem::take(&mut result.reports);
    if let Some(reports) = super::check_bundle(&bundle, &docs, &symbols, options)? {
        if with_plans {
            plans.extend(reports.iter().map(|(r, c)| plan_of(r, c, &symbols)));
        }
        result.reports = reports.into_iter().map(|(r, _)| r).collect();
    }
    plans.append(&mut model_plans);
    // The configuration's reports first, then the joined documents', then model documents'.
    terraform_reports.append(&mut result.reports);
    result.reports = terraform_reports;
    result.reports.append(&mut model_reports);
    for ((name, _), outcome) in read.iter().zip(outcomes) {
        match outcome {
            Ok(format) => {
                result.files.push(FileInfo {
                    name: (*name).to_owned(),
                    format: Some(format),
                    error: None,
                });
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
    result.files.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(first) = result.files.iter().find_map(|f| f.format) {
        result.format = first;
    }
    result.valid = result.reports.iter().all(|r| r.report.valid)
        && result.files.iter().all(|f| f.error.is_none());
    result.to_confirm = result
        .reports
        .iter()
        .map(|r| r.report.summary.inconclusive)
        .sum();
    Ok((result, plans))
}
