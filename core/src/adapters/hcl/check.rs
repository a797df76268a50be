//! `check` on a Terraform configuration: read, join, run the rules, and map every pointer back to its file,
//! line and column.

use serde_json::{Map, Value};

use super::super::files::FileInfo;
use super::super::symbols::Symbols;
use super::super::{check_bundle, no_cache, CheckOptions, Doc, Format, ResourceReport};
use super::{read, Read};
use crate::error::{Error, InputError};

/// The reports and file entries of the Terraform files of a check.
pub(crate) struct Checked {
    pub reports: Vec<ResourceReport>,
    /// With `with_plans`: the migration plan of each report, in the same order (else empty).
    pub plans: Vec<crate::plan::Plan>,
    /// One entry per Terraform file, in name order.
    pub files: Vec<FileInfo>,
    /// The first file that could not be read, else why there is nothing to report (no cache).
    pub error: Option<Error>,
}

/// Checks the Terraform files among `files` (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`) as one
/// configuration: a root module per directory no other module calls, local modules from the other directories.
pub(crate) fn check(
    files: &[(&str, &str)],
    vars: &Map<String, Value>,
    options: &CheckOptions,
    with_plans: bool,
) -> Checked {
    let mut symbols = Symbols::default();
    let read = read(files, vars, &mut symbols);
    let mut infos: Vec<FileInfo> = files
        .iter()
        .map(|(name, _)| FileInfo {
            name: (*name).to_owned(),
            format: Some(Format::TerraformConfig),
            error: None,
        })
        .collect();
    let mut first: Option<Error> = None;
    for (name, e) in &read.errors {
        if let Some(info) = infos.iter_mut().find(|i| &i.name == name) {
            let err = Error::from(InputError::InvalidHcl {
                file: name.clone(),
                line: e.line,
                column: e.column,
                detail: crate::input::truncate(&e.message),
            });
            info.format = None;
            info.error = Some(err.to_json_value());
            first.get_or_insert(err);
        }
    }
    let mut out = Checked {
        reports: Vec::new(),
        plans: Vec::new(),
        files: infos,
        error: first,
    };
    let docs = [Doc {
        name: None,
        doc: &read.doc,
        format: Format::TerraformConfig,
    }];
    match check_bundle(&read.bundle, &docs, &symbols, options) {
        Ok(Some(reports)) => {
            for (r, config) in reports {
                let r = place_report(r, &read);
                if with_plans {
                    out.plans.push(super::super::plan_of(&r, &config, &symbols));
                }
                out.reports.push(r);
            }
        }
        Ok(None) => {
            out.error
                .get_or_insert_with(|| no_cache(&read.bundle, Some(Format::TerraformConfig)));
        }
        Err(e) => {
            out.error.get_or_insert(e);
        }
    }
    out
}

/// Rewrites a report's internal pointers (`/modules/N/...`) into pointers of the `.tf.json` form of their
/// files, with the file, line and column of each finding.
fn place_report(mut r: ResourceReport, read: &Read) -> ResourceReport {
    let cache = read.place(&r.resource.pointer);
    r.resource.pointer = cache.pointer;
    r.resource.file = Some(cache.file.clone());
    for f in &mut r.report.findings {
        let p = read.place(&f.path);
        f.path = p.pointer;
        f.line = p.line;
        f.column = p.column;
        if p.file != cache.file && !p.file.is_empty() {
            f.file = Some(p.file);
        }
        if let Some(fix) = &mut f.fix {
            for op in &mut fix.patch {
                *op = crate::report::PatchOp::new(
                    op.op,
                    super::strip_module(&op.path),
                    op.value.clone(),
                );
            }
        }
    }
    for c in &mut r.report.checks {
        for n in &mut c.needs {
            *n = super::strip_module(n);
        }
    }
    r
}
