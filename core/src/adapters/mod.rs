//! Adapters: the documents users already have (an ARM template or compiled Bicep, `az` CLI output, an Azure SDK
//! `.as_dict()`, a Terraform plan from `terraform show -json`) mapped onto the input model, checked with the same
//! rules, and reported with paths that point into the document the user gave.
//!
//! Every finding's `path` and every inconclusive check's `needs` is an RFC 6901 JSON Pointer into that document:
//! the value itself when it is there, else the object it would be added to (for a missing resource: the list
//! it would be added to). Values that cannot be known before deployment (an unresolvable template expression,
//! a Terraform value known only after apply) are left out, the checks that need them are inconclusive, and a
//! `template.expression_unresolved` finding names the expression.

mod arm;
mod az;
mod bundle;
mod expr;
mod files;
mod hcl;
mod index;
mod resource_graph;
mod symbols;
mod template_fix;
mod terraform;
mod whatif;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, InputError};
use crate::model::{Config, MODEL_KEYS};
use crate::pointer::existing as existing_pointer;
use crate::report::Report;
use crate::rules::template::{Document, Invalid, Source};

/// Values of one cache's resources left out as invalid before the document counts as unusable.
const MAX_INVALID: usize = 64;

pub use files::{check_files, plans_files, FileInfo, FileKind};
pub(crate) use hcl::directory_reads as terraform_directory_reads;

use bundle::{Bundle, Kind, Unit};
use symbols::Symbols;

/// The input formats `check` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// An ARM template, or Bicep compiled to JSON (`az bicep build`).
    Arm,
    /// `az` CLI output: one `show` output, or a JSON array of them (nested arrays such as
    /// `az role assignment list` output are read as lists).
    Az,
    /// A Terraform plan or state from `terraform show -json`.
    TerraformPlan,
    /// A Terraform configuration: `.tf` / `.tf.json` files with their `.tfvars` (read without a plan).
    TerraformConfig,
    /// Azure management SDK for Python models as `.as_dict()` gives them (snake_case keys).
    Sdk,
    /// The amr-cmk input model itself (what `validate` takes).
    Model,
    /// `az deployment group|sub|mg what-if --no-pretty-print` output (the REST `WhatIfOperationResult`).
    WhatIf,
    /// Azure Resource Graph output (`az graph query`, the REST answer, or an array of pages).
    ResourceGraph,
}

impl Format {
    /// `arm`, `az`, `terraformPlan`, `sdk`, `model` or `resourceGraph`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Arm => "arm",
            Self::Az => "az",
            Self::TerraformPlan => "terraformPlan",
            Self::TerraformConfig => "terraformConfig",
            Self::Sdk => "sdk",
            Self::Model => "model",
            Self::WhatIf => "whatIf",
            Self::ResourceGraph => "resourceGraph",
        }
    }

    /// What the format is, in words.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Arm => "ARM template",
            Self::Az => "az CLI output",
            Self::TerraformPlan => "Terraform plan",
            Self::TerraformConfig => "Terraform configuration",
            Self::Sdk => "Azure SDK dict",
            Self::Model => "amr-cmk input model",
            Self::WhatIf => "what-if output",
            Self::ResourceGraph => "Azure Resource Graph output",
        }
    }

    /// Reads a format name: `arm`, `az`, `terraformPlan` (also `terraform-plan`, `terraform`), `sdk`, `model`,
    /// `whatIf` (also `what-if`), `resourceGraph` (also `resource-graph`, `graph`) (any case).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "arm" | "bicep" => Some(Self::Arm),
            "az" => Some(Self::Az),
            "terraformplan" | "terraform" | "tf" => Some(Self::TerraformPlan),
            "terraformconfig" | "hcl" => Some(Self::TerraformConfig),
            "sdk" => Some(Self::Sdk),
            "model" => Some(Self::Model),
            "whatif" => Some(Self::WhatIf),
            "resourcegraph" | "graph" | "arg" => Some(Self::ResourceGraph),
            _ => None,
        }
    }
}

/// What `check` accepts besides the document.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Force the format instead of detecting it from the content.
    pub format: Option<Format>,
    /// An ARM parameters file (`{"parameters": {"name": {"value": ...}}}`) for the template's parameters.
    pub parameters: Option<Value>,
    /// The current time (RFC 3339) for the key's activation and expiry checks.
    pub now: Option<String>,
    /// The limits documents given as text are read with (generous by default).
    pub limits: crate::input::Limits,
}

/// The resource a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceInfo {
    /// The document's resource type (`Microsoft.Cache/redisEnterprise`, `azurerm_managed_redis`).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// The cache's name (an expression's value shown symbolically, e.g. `redis-{uniqueString(...)}`).
    pub name: String,
    /// Its resource ID, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its Terraform address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The file it is in, when `check` read several files ([`check_files`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// JSON Pointer of the resource in the document.
    pub pointer: String,
}

/// The report of one cache.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceReport {
    /// The cache.
    pub resource: ResourceInfo,
    /// Its report, with paths into the document.
    pub report: Report,
}

/// The result of [`check`]: one report per cache in the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The format read.
    pub format: Format,
    /// One report per cache, in document order.
    pub reports: Vec<ResourceReport>,
    /// The checks to confirm by hand: the inconclusive checks of every report (the sum of their
    /// `summary.inconclusive`). A `valid` result with checks to confirm is not a full pass.
    pub to_confirm: usize,
    /// `true` when no report has an error (and, for several files, every file could be read).
    pub valid: bool,
    /// For several files ([`check_files`]): each file, in name order, with its format or why it could not be
    /// read. Empty (and not serialised) for one document.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileInfo>,
}

const EXPECTED: &str = "an ARM template or compiled Bicep (an object with \"resources\" and \"$schema\" or \
\"contentVersion\"), az CLI output (a resource object such as `az redisenterprise show` prints, or a JSON array \
of them), an Azure SDK .as_dict() dict (snake_case keys), a Terraform plan from `terraform show -json` (an \
object with \"format_version\"), what-if output (an object with \"changes\"), Azure Resource Graph output \
(`az graph query` pages: \"data\" and \"count\"), or the amr-cmk input model (an object with \"cache\", \
\"encryption\", ...)";

/// Detects the format from the content.
///
/// # Errors
/// `input.unrecognized_format` when the document is none of the accepted formats.
pub fn detect(doc: &Value) -> Result<Format, InputError> {
    let unrecognized = || InputError::UnrecognizedFormat {
        expected: EXPECTED.into(),
    };
    if resource_graph::looks_like(doc) {
        return Ok(Format::ResourceGraph);
    }
    match doc {
        Value::Object(m) => {
            let schema = m.get("$schema").and_then(Value::as_str).unwrap_or("");
            if m.contains_key("resources")
                && (schema.contains("deploymentTemplate") || m.contains_key("contentVersion"))
            {
                return Ok(Format::Arm);
            }
            if whatif::looks_like_what_if(m) {
                return Ok(Format::WhatIf);
            }
            if m.contains_key("format_version")
                && [
                    "planned_values",
                    "resource_changes",
                    "values",
                    "configuration",
                    "terraform_version",
                ]
                .iter()
                .any(|k| m.contains_key(*k))
            {
                return Ok(Format::TerraformPlan);
            }
            if !m.is_empty()
                && m.keys().all(|k| MODEL_KEYS.contains(&k.as_str()))
                && !schema.contains("deploymentTemplate")
            {
                return Ok(Format::Model);
            }
            if az::looks_like_resource(m) {
                return Ok(if az::snake_case(doc) {
                    Format::Sdk
                } else {
                    Format::Az
                });
            }
            Err(unrecognized())
        }
        Value::Array(items) => {
            let any_resource = items.iter().any(|i| match i {
                Value::Object(m) => az::looks_like_resource(m),
                Value::Array(inner) => inner.iter().all(Value::is_object),
                _ => false,
            });
            if any_resource || (items.is_empty()) {
                if items.is_empty() {
                    return Err(unrecognized());
                }
                return Ok(if az::snake_case(doc) {
                    Format::Sdk
                } else {
                    Format::Az
                });
            }
            Err(unrecognized())
        }
        _ => Err(unrecognized()),
    }
}

/// Checks a document given as JSON text (limits first).
///
/// # Errors
/// `input.*`: invalid JSON, too large or deep, unrecognised, no cache, too many resources, or a value of the
/// wrong type (with its pointer in the document).
pub fn check_json(text: &str, options: &CheckOptions) -> Result<CheckResult, Error> {
    // A JSON array of `az` outputs (a tenant's worth) is read item by item as it is parsed.
    if matches!(options.format, None | Some(Format::Az | Format::Sdk)) {
        if let Some((format, bundle)) = az::read_text(text, &options.limits, options.format)? {
            let reports = check_read(format, bundle, &Symbols::default(), options)?;
            return Ok(result(format, reports));
        }
    }
    let doc = crate::input::parse_document_with(text, &options.limits)?;
    let (format, reports) = check_owned(doc, options)?;
    Ok(result(format, reports))
}

/// Checks every cache in a document: detects (or takes) the format, joins each cache to its identity, vault, key
/// and role assignments, runs every rule, and maps each path back into the document.
///
/// # Errors
/// As [`check_json`], without the text errors.
pub fn check(doc: &Value, options: &CheckOptions) -> Result<CheckResult, Error> {
    let format = format_of(doc, options)?;
    if format == Format::Model {
        let (report, _) = check_model(doc, options)?;
        return Ok(result(format, vec![report]));
    }
    let mut symbols = Symbols::default();
    let bundle = read_bundle(doc, format, options, &mut symbols)?;
    let docs = [Doc {
        name: None,
        doc,
        format,
    }];
    let reports = check_bundle_with(
        &bundle,
        &docs,
        &symbols,
        options,
        false,
        Vec::new(),
        |r, _| r,
    )?
    .ok_or_else(|| no_cache(&bundle, Some(format)))?;
    Ok(result(format, reports))
}

/// [`check`] of a document it owns: once the resources are read, a document whose findings need nothing more
/// from it than where they are (not a template, whose fixes patch it) is freed before the caches are checked,
/// its pointers resolved first (`Bundle::resolve`). Each cache's model is dropped once its report is made.
fn check_owned(doc: Value, options: &CheckOptions) -> Result<(Format, Vec<ResourceReport>), Error> {
    let format = format_of(&doc, options)?;
    if matches!(
        format,
        Format::Model | Format::Arm | Format::TerraformPlan | Format::TerraformConfig
    ) {
        let r = check(&doc, options)?;
        return Ok((r.format, r.reports));
    }
    let mut symbols = Symbols::default();
    let bundle = if matches!(format, Format::Az | Format::Sdk) {
        az::read_owned(
            doc,
            options.format.is_none().then_some(format == Format::Sdk),
        )?
    } else {
        let mut bundle = read_bundle(&doc, format, options, &mut symbols)?;
        bundle.resolve(&doc);
        bundle
    };
    Ok((format, check_read(format, bundle, &symbols, options)?))
}

/// Checks the caches of a bundle whose pointers are resolved (`Bundle::resolve`), its document gone.
fn check_read(
    format: Format,
    mut bundle: Bundle,
    symbols: &Symbols,
    options: &CheckOptions,
) -> Result<Vec<ResourceReport>, Error> {
    let docs = [Doc {
        name: None,
        doc: &Value::Null,
        format,
    }];
    // Each cache is joined once: its model moves into its join instead of being copied.
    let models = bundle
        .components
        .iter_mut()
        .filter(|c| c.kind == Kind::Cache)
        .map(|c| std::mem::take(&mut c.model))
        .collect();
    check_bundle_with(&bundle, &docs, symbols, options, true, models, |r, _| r)?
        .ok_or_else(|| no_cache(&bundle, Some(format)))
}

/// The result of the reports of one document.
fn result(format: Format, reports: Vec<ResourceReport>) -> CheckResult {
    let valid = reports.iter().all(|r| r.report.valid);
    let to_confirm = reports.iter().map(|r| r.report.summary.inconclusive).sum();
    CheckResult {
        format,
        reports,
        to_confirm,
        valid,
        files: Vec::new(),
    }
}

/// The migration plan of every cache in a document (see [`crate::plan::plan`]), with the resource it is for.
///
/// # Errors
/// As [`check`].
pub fn plans(
    doc: &Value,
    options: &CheckOptions,
) -> Result<Vec<(ResourceInfo, crate::plan::Plan)>, Error> {
    let (_, checked, symbols) = check_units(doc, options)?;
    Ok(checked
        .into_iter()
        .map(|(r, config)| {
            let plan = plan_of(&r, &config, &symbols);
            (r.resource, plan)
        })
        .collect())
}

/// The migration plan of one checked cache: from its model and its report (as [`plans`] and
/// [`plans_files`] give it).
pub(crate) fn plan_of(r: &ResourceReport, config: &Config, symbols: &Symbols) -> crate::plan::Plan {
    // The report's key is shown with display text; the plan's command needs the stand-ins.
    let mut report = r.report.clone();
    if let Some(k) = config
        .encryption
        .as_ref()
        .and_then(|e| e.customer_managed_key_encryption.as_ref())
        .and_then(|c| c.key_encryption_key_url.as_deref())
        .and_then(|u| crate::parse_key_uri(u).ok())
    {
        report.key = Some(k);
    }
    let mut plan = crate::plan::plan(config, &report);
    // The switch step's command is built from the model: values known only at deployment become
    // placeholders there too.
    for fix in plan.steps.iter_mut().flat_map(|s| s.fixes.iter_mut()) {
        placeholder_commands(fix, symbols);
    }
    plan
}

/// The format read, each cache's report with its model, and the stand-ins for deployment-time values.
type Checked = (Format, Vec<(ResourceReport, Config)>, Symbols);

/// One document of a check: its file name (several files only), the document and the format read.
#[derive(Clone, Copy)]
pub(crate) struct Doc<'d> {
    pub name: Option<&'d str>,
    pub doc: &'d Value,
    pub format: Format,
}

/// The format of `doc`: forced by the options, else detected.
pub(crate) fn format_of(doc: &Value, options: &CheckOptions) -> Result<Format, InputError> {
    options.format.map_or_else(|| detect(doc), Ok)
}

/// Reads the resources of one document (not the model format: it is a whole configuration).
pub(crate) fn read_bundle(
    doc: &Value,
    format: Format,
    options: &CheckOptions,
    symbols: &mut Symbols,
) -> Result<Bundle, Error> {
    Ok(match format {
        Format::Arm => arm::read(doc, options.parameters.as_ref(), symbols)?,
        // Detection told `sdk` from `az` by the case of the keys (`az::snake_case`): not counted again.
        Format::Az | Format::Sdk => az::read(
            doc,
            options.format.is_none().then_some(format == Format::Sdk),
            symbols,
        )?,
        Format::ResourceGraph => resource_graph::read(doc, symbols)?,
        Format::WhatIf => whatif::read(doc, symbols)?,
        Format::TerraformPlan => terraform::read(doc, symbols)?,
        // Configurations are files, not one document (`check_files`).
        Format::Model | Format::TerraformConfig => Bundle::default(),
    })
}

/// `input.no_cache`, naming what the bundle holds instead.
pub(crate) fn no_cache(bundle: &Bundle, format: Option<Format>) -> Error {
    let mut found: Vec<String> = bundle
        .components
        .iter()
        .map(|c| c.rtype.clone())
        .chain(bundle.other_types.iter().cloned())
        .collect();
    found.sort();
    found.dedup();
    InputError::NoCache {
        format: format.map_or("files", Format::description).into(),
        expected: match format {
            Some(Format::TerraformPlan | Format::TerraformConfig) => {
                "an azurerm_managed_redis resource".into()
            }
            Some(_) => "a Microsoft.Cache/redisEnterprise resource".into(),
            None => "a Microsoft.Cache/redisEnterprise or azurerm_managed_redis resource".into(),
        },
        found: if found.is_empty() {
            "no resources".into()
        } else {
            crate::input::truncate(&found.join(", "))
        },
    }
    .into()
}

fn check_units(doc: &Value, options: &CheckOptions) -> Result<Checked, Error> {
    let format = format_of(doc, options)?;
    if format == Format::Model {
        return check_model(doc, options).map(|r| (format, vec![r], Symbols::default()));
    }
    let mut symbols = Symbols::default();
    let bundle = read_bundle(doc, format, options, &mut symbols)?;
    let docs = [Doc {
        name: None,
        doc,
        format,
    }];
    let reports = check_bundle(&bundle, &docs, &symbols, options)?
        .ok_or_else(|| no_cache(&bundle, Some(format)))?;
    Ok((format, reports, symbols))
}

/// Joins and checks every cache of a bundle read from `docs` (file `i` of the bundle is `docs[i]`); `None`
/// when it holds no cache.
pub(crate) fn check_bundle(
    bundle: &Bundle,
    docs: &[Doc],
    symbols: &Symbols,
    options: &CheckOptions,
) -> Result<Option<Vec<(ResourceReport, Config)>>, Error> {
    check_bundle_with(bundle, docs, symbols, options, false, Vec::new(), |r, c| {
        (r, c)
    })
}

/// [`check_bundle`], keeping of each cache what `keep` takes of its report and model; `resolved`: the
/// bundle's pointers are resolved (`Bundle::resolve`) and `docs` holds no document to resolve them in;
/// `models`: the caches' models, in order, taken out of the bundle (empty: each is copied from it).
fn check_bundle_with<T>(
    bundle: &Bundle,
    docs: &[Doc],
    symbols: &Symbols,
    options: &CheckOptions,
    resolved: bool,
    models: Vec<serde_json::Map<String, Value>>,
    keep: impl Fn(ResourceReport, Config) -> T,
) -> Result<Option<Vec<T>>, Error> {
    let caches: Vec<&bundle::Component> = bundle
        .components
        .iter()
        .filter(|c| c.kind == Kind::Cache)
        .collect();
    if caches.is_empty() {
        return Ok(None);
    }
    let index = index::Index::new(bundle);
    let mut reports = Vec::with_capacity(caches.len());
    let mut models = models.into_iter();
    for cache in caches {
        let mut unit = bundle::join(cache, models.next(), bundle, &index, symbols);
        let (report, config) = finish(&mut unit, docs, symbols, options, resolved)?;
        reports.push(keep(report, config));
    }
    Ok(Some(reports))
}

fn check_model(doc: &Value, options: &CheckOptions) -> Result<(ResourceReport, Config), Error> {
    let mut value = doc.clone();
    if let (Some(now), Value::Object(m)) = (&options.now, &mut value) {
        m.insert("now".into(), Value::String(now.clone()));
    }
    let config = Config::from_value(&value)?;
    let report = crate::validate(&config);
    let cache = config.cache.as_ref();
    let resource = ResourceInfo {
        resource_type: "Microsoft.Cache/redisEnterprise".into(),
        name: cache.and_then(|c| c.name.clone()).unwrap_or_default(),
        id: cache.and_then(|c| c.id.clone()),
        address: None,
        file: None,
        pointer: if cache.is_some() {
            "/cache".into()
        } else {
            String::new()
        },
    };
    Ok((ResourceReport { resource, report }, config))
}

fn relocate(e: InputError, unit: &Unit<'_>, docs: &[Doc], resolved: bool) -> InputError {
    let at = |p: &str| {
        let (d, _, f) = unit.locate_in(p);
        if resolved {
            return d;
        }
        let Some(doc) = docs.get(f) else { return d };
        let pointer = existing_pointer(doc.doc, &d);
        match doc.name {
            Some(name) if f != unit.cache.file => format!("{name}#{pointer}"),
            _ => pointer,
        }
    };
    match e {
        InputError::TooManyItems { path, len, max } => InputError::TooManyItems {
            path: at(&path),
            len,
            max,
        },
        InputError::UnknownField { path, field } => InputError::UnknownField {
            path: at(&path),
            field,
        },
        InputError::InvalidType { path, expected } => InputError::InvalidType {
            path: at(&path),
            expected,
        },
        InputError::InvalidValue {
            path,
            value,
            expected,
        } => InputError::InvalidValue {
            path: at(&path),
            value,
            expected,
        },
        other => other,
    }
}

/// Marks a pointer into another file than the cache's while the rules run: `MARK file MARK pointer` (a JSON
/// Pointer never starts with it); [`unmark`] turns it into the finding's `file`.
const MARK: char = '\u{1}';

/// Runs the rules on one joined cache and maps the report into the documents (`docs[i]` is file `i`);
/// `resolved`: the unit's pointers are already those of the document (one document, `Bundle::resolve`).
fn finish(
    unit: &mut Unit<'_>,
    docs: &[Doc],
    symbols: &Symbols,
    options: &CheckOptions,
    resolved: bool,
) -> Result<(ResourceReport, Config), Error> {
    let own = unit.cache.file;
    let Some(&Doc { doc, format, .. }) = docs.get(own) else {
        return Err(InputError::InvalidType {
            path: String::new(),
            expected: "a document".into(),
        }
        .into());
    };
    let now = options.now.as_deref();
    // The template patch builders read the joined model; other formats hand it over without a copy.
    let patches = matches!(
        format,
        Format::Arm | Format::TerraformPlan | Format::TerraformConfig
    );
    let mut cfg = if patches {
        unit.config.clone()
    } else {
        std::mem::take(&mut unit.config)
    };
    if let Some(now) = now {
        cfg.insert("now".into(), Value::String(now.to_owned()));
    }
    let locate = |model: &str| {
        let (d, a, f) = unit.locate_in(model);
        if resolved {
            return (d, a);
        }
        match docs.get(f) {
            Some(other) if f != own => (
                format!("{MARK}{f}{MARK}{}", existing_pointer(other.doc, &d)),
                a,
            ),
            _ => (existing_pointer(doc, &d), a),
        }
    };
    // A value of the wrong type or outside the API's set is left out and reported at its pointer (the rest of
    // the document is still checked); what makes the document unusable as a whole stays an error.
    let mut model = Value::Object(cfg);
    let mut invalid: Vec<Invalid> = Vec::new();
    let config = loop {
        let e = match Config::from_value(&model) {
            Ok(config) => break config,
            Err(e) => e,
        };
        let (path, expected, value) = match &e {
            InputError::InvalidType { path, expected } => (path.clone(), expected.clone(), None),
            InputError::InvalidValue {
                path,
                value,
                expected,
            } => (path.clone(), expected.clone(), Some(value.clone())),
            _ => return Err(relocate(e, unit, docs, resolved).into()),
        };
        let user_now = now.is_some() && path == "/now";
        // An item of a list: the whole list is unknown (a shorter list could pass a check it should not).
        let target = match path.rsplit_once('/') {
            Some((parent, _)) if model.pointer(parent).is_some_and(Value::is_array) => {
                parent.to_owned()
            }
            _ => path.clone(),
        };
        if user_now
            || invalid.len() >= MAX_INVALID
            || crate::patch::remove(&mut model, &target).is_err()
        {
            return Err(if user_now {
                e
            } else {
                relocate(e, unit, docs, resolved)
            }
            .into());
        }
        let (doc_ptr, address) = locate(&path);
        let expected = if target == path {
            expected
        } else {
            format!("a list whose every item is {expected}")
        };
        invalid.push(Invalid {
            model: target,
            doc: doc_ptr,
            address,
            expected,
            value,
        });
    };
    let source = match format {
        // What-if output is a template evaluated by ARM: what it leaves unevaluated reads as in a template.
        Format::Arm | Format::WhatIf => Source::Arm,
        Format::TerraformPlan | Format::TerraformConfig => Source::Terraform,
        Format::Az | Format::Sdk | Format::Model | Format::ResourceGraph => Source::Output,
    };
    let mut report = crate::rules::validate_document(
        &config,
        &Document {
            locate: &locate,
            overrides: &unit.overrides,
            unresolved: &unit.unresolved,
            invalid: &invalid,
            source,
        },
    );
    unmark(&mut report, docs);
    if patches {
        let ctx = template_fix::Ctx {
            doc,
            unit: &*unit,
            parameters: options.parameters.as_ref(),
        };
        // A finding about a resource of another file: that file is not the template to patch.
        for f in report.findings.iter_mut().filter(|f| f.file.is_none()) {
            let change = crate::rules::catalogue::spec(f.check).template_fix;
            if let Some(fix) = &mut f.fix {
                if format == Format::Arm {
                    fix.patch = template_fix::arm_patch(change, &ctx);
                } else {
                    fix.terraform = template_fix::terraform_changes(change, &ctx);
                }
            }
        }
    }
    substitute(&mut report, symbols);

    let cache = unit.cache;
    Ok((
        ResourceReport {
            resource: ResourceInfo {
                resource_type: cache.rtype.clone(),
                name: symbols.display(&cache.name),
                id: cache.id.as_deref().map(|i| symbols.display(i)),
                address: cache.address.clone(),
                file: docs.get(own).and_then(|d| d.name).map(str::to_owned),
                pointer: cache.pointer.clone(),
            },
            report,
        },
        config,
    ))
}

/// A pointer [`finish`] marked as another file's: the file's index and the pointer.
fn marked(s: &str) -> Option<(usize, &str)> {
    let rest = s.strip_prefix(MARK)?;
    let (file, pointer) = rest.split_once(MARK)?;
    Some((file.parse().ok()?, pointer))
}

/// Resolves the marks of pointers into other files: a finding's `path` stays a pointer and gets its `file`;
/// elsewhere (a check's `needs`, params) the pointer becomes `file#pointer`.
fn unmark(report: &mut Report, docs: &[Doc]) {
    let name = |f: usize| docs.get(f).and_then(|d| d.name).unwrap_or("");
    let qualify = |s: &str| match marked(s) {
        Some((f, p)) => format!("{}#{p}", name(f)),
        None => s.to_owned(),
    };
    for f in &mut report.findings {
        if let Some((file, pointer)) = marked(&f.path) {
            f.file = Some(name(file).to_owned());
            f.path = pointer.to_owned();
        }
        for v in f.params.values_mut() {
            v.map_strings(&qualify);
        }
    }
    for c in &mut report.checks {
        for n in &mut c.needs {
            *n = qualify(n);
        }
    }
}

/// Rewrites every string in `v` (display text or placeholders for stand-ins).
fn map_strings(v: &mut Value, f: &impl Fn(&str) -> String) {
    match v {
        Value::String(s) => *s = f(s),
        Value::Array(a) => a.iter_mut().for_each(|x| map_strings(x, f)),
        Value::Object(m) => m.values_mut().for_each(|x| map_strings(x, f)),
        _ => {}
    }
}

/// Replaces stand-ins in a fix's commands by placeholders, and lists them.
fn placeholder_commands(fix: &mut crate::report::Fix, symbols: &Symbols) {
    placeholders_in(&mut fix.commands, symbols);
    fix.placeholders = crate::fix::placeholders_of(&fix.commands);
}

/// Replaces stand-ins in commands' arguments by placeholders (each command re-quoted).
fn placeholders_in(commands: &mut [crate::report::Command], symbols: &Symbols) {
    for c in commands {
        let argv: Vec<String> = c.argv.iter().map(|a| symbols.placeholder(a)).collect();
        *c = crate::report::Command::new(argv);
    }
}

/// Replaces stand-ins by their display text (messages) or placeholders (fix commands).
fn substitute(report: &mut Report, symbols: &Symbols) {
    for f in &mut report.findings {
        f.message = symbols.display(&f.message);
        f.remediation = symbols.display(&f.remediation);
        for v in f.params.values_mut() {
            v.map_strings(&|s| symbols.display(s));
        }
        if let Some(fix) = &mut f.fix {
            fix.summary = symbols.display(&fix.summary);
            placeholder_commands(fix, symbols);
            for op in &mut fix.patch {
                if let Some(v) = &mut op.value {
                    map_strings(v, &|s| symbols.placeholder(s));
                    *op = crate::report::PatchOp::new(op.op, op.path.clone(), Some(v.clone()));
                }
            }
        }
    }
    for c in &mut report.checks {
        if let Some(m) = &mut c.message {
            *m = symbols.display(m);
        }
        placeholders_in(&mut c.confirm, symbols);
        if let Some(fix) = &mut c.fix {
            fix.summary = symbols.display(&fix.summary);
            placeholder_commands(fix, symbols);
        }
    }
    if let Some(k) = &mut report.key {
        // Stand-ins are letters, digits and hyphens, so they never span a `.` or `/` of the URI.
        *k = k.map_parts(|part| symbols.display(part));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every `check` vector's document and the single-document fixtures: the document a check owns
    /// (`check_json`, which frees it early) gives the same result, or the same error, as one it borrows.
    #[test]
    fn owned_and_borrowed_documents_check_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
        let mut cases: Vec<(String, Value, CheckOptions)> = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(root.join("tests/conformance"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("check-"))
            })
            .collect();
        names.sort();
        for path in names {
            let file: Value = serde_json::from_str(&read(&path)).unwrap_or_default();
            for v in file["vectors"].as_array().into_iter().flatten() {
                let input = &v["input"];
                if v["function"] != "check" || input.get("document").is_none() {
                    continue;
                }
                let options = CheckOptions {
                    format: input["format"].as_str().and_then(Format::parse),
                    parameters: input.get("parameters").cloned(),
                    now: input["now"].as_str().map(str::to_owned),
                    ..Default::default()
                };
                cases.push((
                    v["name"].as_str().unwrap_or("").to_owned(),
                    input["document"].clone(),
                    options,
                ));
            }
        }
        for fixture in [
            "az/bundle.json",
            "sdk/as-dict.json",
            "resource-graph/pages.json",
            "whatif/valid.json",
            "whatif/modify-key-source.json",
            "whatif/broken.json",
            "arm/valid.json",
        ] {
            let doc: Value =
                serde_json::from_str(&read(&root.join("tests/fixtures").join(fixture)))
                    .unwrap_or_default();
            for format in [None, Some(Format::Az), Some(Format::Sdk)] {
                let options = CheckOptions {
                    format,
                    now: Some("2026-11-27T00:00:00Z".into()),
                    ..Default::default()
                };
                cases.push((fixture.to_owned(), doc.clone(), options));
            }
        }
        assert!(cases.len() > 40, "{} documents", cases.len());
        for (name, doc, options) in cases {
            let owned = check_json(&doc.to_string(), &options);
            assert_eq!(owned, check(&doc, &options), "{name}");
        }
    }

    /// Text read item by item (`az::read_text`) or refused: as if parsed whole and checked.
    #[test]
    fn arrays_read_as_parsed_check_as_documents() {
        let cache = r#"{"type": "Microsoft.Cache/redisEnterprise", "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Cache/redisEnterprise/c", "name": "c"}"#;
        let texts = [
            "[]".to_owned(),
            " [1, 2] ".to_owned(),
            "[[]]".to_owned(),
            format!("[{cache}] x"),
            format!("[{cache}, "),
            format!("[{cache}, {{\"data\": [], \"count\": 0}}]"),
            format!("[{cache}, [{{\"principalId\": \"p\", \"roleDefinitionId\": \"r\"}}]]"),
            format!("[{{\"type\": \"t\", \"name\": \"n\", \"snake_key\": 1, \"other_key\": 2}}, {cache}]"),
            format!("\n[{cache}]\n"),
        ];
        for text in &texts {
            for format in [None, Some(Format::Az), Some(Format::Sdk)] {
                let options = CheckOptions {
                    format,
                    ..Default::default()
                };
                let whole = crate::input::parse_document(text)
                    .map_err(Error::from)
                    .and_then(|doc| check(&doc, &options));
                assert_eq!(check_json(text, &options), whole, "{text} {format:?}");
            }
        }
    }

    /// The `az` reader of a document it owns maps every field to the pointer the borrowed reader's map
    /// resolves to.
    #[test]
    fn owned_az_reads_resolved_pointers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        for fixture in ["az/bundle.json", "sdk/as-dict.json"] {
            let text = std::fs::read_to_string(root.join(fixture)).unwrap_or_default();
            let doc: Value = serde_json::from_str(&text).unwrap_or_default();
            for snake in [false, true] {
                let Ok(mut borrowed) = az::read(&doc, Some(snake), &mut Symbols::default()) else {
                    panic!("{fixture}: not read");
                };
                borrowed.resolve(&doc);
                let Ok(owned) = az::read_owned(doc.clone(), Some(snake)) else {
                    panic!("{fixture}: not read");
                };
                assert!(!owned.components.is_empty());
                assert_eq!(owned.components.len(), borrowed.components.len());
                for (a, b) in owned.components.iter().zip(&borrowed.components) {
                    assert_eq!(a.map, b.map, "{fixture}");
                    assert_eq!(a.model, b.model, "{fixture}");
                }
                assert_eq!(owned.roles_container, borrowed.roles_container);
                assert_eq!(owned.container, borrowed.container);
            }
        }
    }

    #[test]
    fn detects_formats() {
        assert_eq!(
            detect(&json!({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []})).ok(),
            Some(Format::Arm)
        );
        assert_eq!(
            detect(&json!({"format_version": "1.2", "planned_values": {}})).ok(),
            Some(Format::TerraformPlan)
        );
        assert_eq!(detect(&json!({"cache": {}})).ok(), Some(Format::Model));
        assert_eq!(
            detect(&json!([{"type": "Microsoft.Cache/redisEnterprise", "id": "/x"}])).ok(),
            Some(Format::Az)
        );
        assert_eq!(
            detect(&json!({"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "id": "/x", "principal_id": "p", "client_id": "c"})).ok(),
            Some(Format::Sdk)
        );
        assert!(detect(&json!({"hello": 1})).is_err());
        assert!(detect(&json!([])).is_err());
        assert!(detect(&json!("x")).is_err());
    }
}
