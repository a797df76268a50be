//! The command-line interface, minus the I/O: [`parse_args`] reads the arguments and says which files to read;
//! [`run_at`] takes their contents (and the binding's current time, for a command line without `--now`) and
//! returns the exit code and the text for standard output and standard error. The core never reads a clock;
//! the Python and Node CLIs only read files and the clock, print, and exit.
//!
//! ```text
//! argv ──parse_args──▶ Invocation { action, files, ... } ──(binding reads files)──▶ run_at(plan, inputs, color, now) ──▶ { exitCode, stdout, stderr }
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::adapters::{check_json, CheckOptions, Format};
use crate::error::{Error, InputError};
use crate::render::{render_many, RenderFormat, RenderInput};

/// What the command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CliAction {
    /// Check the input files.
    Check,
    /// List the rules.
    Rules,
    /// Print the help.
    Help,
    /// Print the version.
    Version,
    /// Print the migration plan of every cache in the input files (the `plan` command).
    #[serde(rename = "plan")]
    MigrationPlan,
    /// The arguments are wrong: print `error` and the usage hint, exit 2.
    UsageError,
}

/// The parsed command line. The binding reads every file in `files` (`-` is standard input) and passes the
/// contents to [`run`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Invocation {
    /// What to do.
    pub action: CliAction,
    /// Every file to read, in order (documents, then the parameters file); `-` is standard input.
    pub files: Vec<String>,
    /// The documents to check, in order.
    pub documents: Vec<String>,
    /// The ARM parameters file, if any (also in `files`).
    #[serde(default)]
    pub parameters: Option<String>,
    /// `text`, `json` or `sarif`.
    pub format: String,
    /// `error`, `warning`, `info` or `none`: the lowest severity that makes the exit code 1; `inconclusive`:
    /// any finding or any inconclusive check.
    pub fail_on: String,
    /// Forced input format (`arm`, `az`, `terraformPlan`, `sdk`, `model`, `resourceGraph`), else detected per
    /// file.
    #[serde(default)]
    pub input: Option<String>,
    /// `--now`: the time for the key's expiry and activation checks (RFC 3339), or `none` (`--now none`: not
    /// checked). Absent: the binding's clock (`cliRun`'s `now`), if it gives one.
    #[serde(default)]
    pub now: Option<String>,
    /// `auto` (the binding decides: a terminal and no `NO_COLOR`), `always` or `never`.
    pub color: String,
    /// The usage error, for `usageError`.
    #[serde(default)]
    pub error: Option<String>,
    /// `check --fix-script`: print the fix commands as a shell script to review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fix_script: bool,
    /// `check --patch OUT`: write the patched template to OUT (also in `files`, to learn whether it exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    /// `check --write`: allow replacing an existing file (the input itself without `--patch`), keeping a backup.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub write: bool,
    /// `check --each`: check the files one by one instead of joining them into one input.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub each: bool,
    /// `--var-file FILE` (repeatable): Terraform variable files, applied after the root module's
    /// `terraform.tfvars` and `*.auto.tfvars` in the order given (also in `files`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub var_files: Vec<String>,
    /// `--var NAME=VALUE` (repeatable): Terraform variable values, applied last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vars: Vec<String>,
}

/// One file the binding read (or failed to read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CliInput {
    /// The name as in the invocation.
    pub name: String,
    /// Its contents (UTF-8).
    #[serde(default)]
    pub text: Option<String>,
    /// Why it could not be read (e.g. `No such file or directory`).
    #[serde(default)]
    pub error: Option<String>,
    /// When the path is a directory: its entry names (in any order: the core sorts), one level, subdirectories with a trailing `/`
    /// (and no `text`).
    #[serde(default)]
    pub entries: Option<Vec<String>>,
}

/// A file the binding writes (after the backups), creating or replacing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CliWrite {
    /// The path as the user gave it.
    pub path: String,
    /// The contents (UTF-8).
    pub text: String,
}

/// A copy the binding makes before any write: `from` copied to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CliBackup {
    /// The file to keep.
    pub from: String,
    /// Its copy (`<file>.bak`).
    pub to: String,
}

/// What the binding prints and writes, and the exit code. The binding makes the `backups` first, then the
/// `writes`, then prints; a failed backup or write is exit code 2 with the reason on standard error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CliOutput {
    /// 0: passed; 1: findings at or above `--fail-on`; 2: usage error or unusable input.
    pub exit_code: i32,
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
    /// Files to write (`check --patch`, `--write`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub writes: Vec<CliWrite>,
    /// Copies to make before writing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<CliBackup>,
    /// Paths the core still needs before it can answer (the files of a directory given as `FILE`). When not
    /// empty, the binding reads each (a file's text, a directory's entries, or why it could not), adds them to
    /// the inputs it has and runs again, until this is empty; only then does it print, write and exit. A path
    /// is never asked for twice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<String>,
}

/// The help text.
pub const USAGE: &str = "\
amr-cmk: checks customer-managed key (CMK) encryption for Azure Managed Redis before you deploy.

Usage:
  amr-cmk check [options] FILE...     check ARM/Bicep JSON, az CLI output, SDK dicts or a Terraform plan
  amr-cmk plan [options] FILE...      the migration steps for every cache, as a checklist
  amr-cmk rules [--format text|json]  list the rules
  amr-cmk help | --help | -h          this help
  amr-cmk version | --version | -V    the version

Files: JSON documents, Terraform .tf files, or a directory of either; - reads standard input. The input
type is detected from the content:
  ARM template or compiled Bicep (az bicep build), az CLI output (one `show` output or a JSON array of
  them: az redisenterprise show, az keyvault show, az keyvault key show, az identity show,
  az role assignment list), an Azure SDK .as_dict() dict, a Terraform plan (terraform show -json plan.out),
  what-if output (az deployment group what-if --no-pretty-print), Azure Resource Graph output
  (az graph query pages, or a JSON array of them), or the amr-cmk input model.
  Several files (or a directory) are checked as one input: a cache in one file is joined to its vault,
  key, identity and role assignments in the others (--each: file by file).
  Terraform configurations without a plan: a .tf file, or a directory with *.tf files (the root module
  with its terraform.tfvars, *.auto.tfvars and the local modules it calls).

Options:
  -f, --format text|json|sarif     output format (default text); sarif is SARIF 2.1.0 for code scanning
      --fail-on error|warning|info|inconclusive|none
                                   exit 1 when a finding reaches this severity (default error);
                                   inconclusive: when there is any finding or any inconclusive check
  -i, --input arm|az|terraform-plan|sdk|model|what-if|resource-graph
                                   force the input type instead of detecting it
  -p, --parameters FILE            ARM parameters file for the template's parameters
      --now RFC3339|none           the time for the key's expiry and activation checks (default: the
                                   current time, UTC); none: leave those checks inconclusive
      --color auto|always|never    colour in text output (default auto)
      --each                       check the files one by one (default: several files are one input)
      --var-file FILE              Terraform: a .tfvars or .tfvars.json file (repeatable), after the
                                   automatic ones
      --var NAME=VALUE             Terraform: a variable's value (repeatable), applied last

Fixes (check only; amr-cmk never runs a command and never changes a file unless asked):
      --fix-script                 print the fix commands as a shell script to review (it runs nothing)
      --patch OUT                  ARM/Bicep JSON: write the template with every fix applied to OUT (a new
                                   file; an existing OUT only with --write, keeping OUT.bak)
      --write                      with --patch OUT: replace OUT if it exists; alone: patch the input file
                                   itself, keeping a backup FILE.bak

Result: PASS with N checks to confirm: no error, but N checks could not be decided from the files given
(listed under Inconclusive); confirm them by hand or supply what they need before relying on it.

Exit codes: 0 passed, 1 findings at or above --fail-on (or, with --fail-on inconclusive, any finding or
inconclusive check), 2 usage error or unusable input.
";

fn usage_error(message: String) -> Invocation {
    Invocation {
        action: CliAction::UsageError,
        error: Some(message),
        ..Invocation::default()
    }
}

impl Default for Invocation {
    /// `check` with the defaults of every option and no files.
    fn default() -> Self {
        Invocation {
            action: CliAction::Check,
            files: Vec::new(),
            documents: Vec::new(),
            parameters: None,
            format: "text".into(),
            fail_on: "error".into(),
            input: None,
            now: None,
            color: "auto".into(),
            error: None,
            fix_script: false,
            patch: None,
            write: false,
            each: false,
            var_files: Vec::new(),
            vars: Vec::new(),
        }
    }
}

/// Parses the arguments after the program name. Never fails: a usage error is a plan with
/// `action: usageError`.
#[must_use]
pub fn parse_args(argv: &[String]) -> Invocation {
    let mut p = Invocation::default();
    let mut args = argv.iter().peekable();
    match args.peek().map(|s| s.as_str()) {
        None => {
            return usage_error(
                "no command given: try `amr-cmk check FILE` or `amr-cmk --help`".into(),
            )
        }
        Some("check") => {
            args.next();
        }
        Some("rules") => {
            args.next();
            p.action = CliAction::Rules;
        }
        Some("plan") => {
            args.next();
            p.action = CliAction::MigrationPlan;
        }
        Some("help" | "--help" | "-h") => {
            p.action = CliAction::Help;
            return p;
        }
        Some("version" | "--version" | "-V") => {
            p.action = CliAction::Version;
            return p;
        }
        Some(other) if other.starts_with('-') => {}
        Some(other) => {
            return usage_error(format!(
                "unknown command '{}': expected check, plan, rules, help or version",
                crate::input::truncate(other)
            ))
        }
    }
    let mut only_files = false;
    while let Some(arg) = args.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            p.documents.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |label: &str| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => args
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{label} needs a value")),
            }
        };
        let result: Result<(), String> = match name {
            "-h" | "--help" => {
                p.action = CliAction::Help;
                return p;
            }
            "-V" | "--version" => {
                p.action = CliAction::Version;
                return p;
            }
            "-f" | "--format" => value(name).and_then(|v| match RenderFormat::parse(&v) {
                Some(_) => {
                    p.format = v.to_ascii_lowercase();
                    Ok(())
                }
                None => Err(format!("--format must be text, json or sarif (got '{}')", crate::input::truncate(&v))),
            }),
            "--fail-on" => value(name).and_then(|v| {
                let l = v.to_ascii_lowercase();
                if matches!(l.as_str(), "error" | "warning" | "info" | "inconclusive" | "none") {
                    p.fail_on = l;
                    Ok(())
                } else {
                    Err(format!(
                        "--fail-on must be error, warning, info, inconclusive or none (got '{}')",
                        crate::input::truncate(&v)
                    ))
                }
            }),
            "-i" | "--input" => value(name).and_then(|v| match Format::parse(&v) {
                Some(f) => {
                    p.input = Some(f.as_str().to_owned());
                    Ok(())
                }
                None => Err(format!(
                    "--input must be arm, az, terraform-plan, sdk, model, what-if or resource-graph (got '{}')",
                    crate::input::truncate(&v)
                )),
            }),
            "-p" | "--parameters" => value(name).map(|v| p.parameters = Some(v)),
            "--now" => value(name).and_then(|v| {
                if v.eq_ignore_ascii_case(NOW_NONE) {
                    p.now = Some(NOW_NONE.into());
                    Ok(())
                } else if crate::time::parse_rfc3339(&v).is_some() {
                    p.now = Some(v);
                    Ok(())
                } else {
                    Err(format!(
                        "--now must be an RFC 3339 date-time such as 2026-11-27T00:00:00Z, or none (got '{}')",
                        crate::input::truncate(&v)
                    ))
                }
            }),
            "--color" | "--colour" => value(name).and_then(|v| {
                let l = v.to_ascii_lowercase();
                if matches!(l.as_str(), "auto" | "always" | "never") {
                    p.color = l;
                    Ok(())
                } else {
                    Err(format!("--color must be auto, always or never (got '{}')", crate::input::truncate(&v)))
                }
            }),
            "--no-color" => {
                p.color = "never".into();
                Ok(())
            }
            "--fix-script" => {
                p.fix_script = true;
                Ok(())
            }
            "--write" => {
                p.write = true;
                Ok(())
            }
            "--each" => {
                p.each = true;
                Ok(())
            }
            "--var-file" => value(name).and_then(|v| {
                let lower = v.to_ascii_lowercase();
                if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
                    p.var_files.push(v);
                    Ok(())
                } else {
                    Err(format!(
                        "--var-file takes a .tfvars or .tfvars.json file (got '{}')",
                        crate::input::truncate(&v)
                    ))
                }
            }),
            "--var" => value(name).and_then(|v| match v.split_once('=') {
                Some((n, _)) if !n.is_empty() => {
                    p.vars.push(v.clone());
                    Ok(())
                }
                _ => Err(format!(
                    "--var needs NAME=VALUE (got '{}')",
                    crate::input::truncate(&v)
                )),
            }),
            "--patch" => value(name).and_then(|v| {
                if v.is_empty() || v == "-" {
                    Err("--patch needs a file name (standard output is not supported)".into())
                } else {
                    p.patch = Some(v);
                    Ok(())
                }
            }),
            other => Err(format!("unknown option '{}'", crate::input::truncate(other))),
        };
        if let Err(e) = result {
            return usage_error(e);
        }
    }
    if matches!(p.action, CliAction::Check | CliAction::MigrationPlan) && p.documents.is_empty() {
        return usage_error(
            "no input files: give one or more JSON files, or - for standard input".into(),
        );
    }
    if p.action == CliAction::Rules && !p.documents.is_empty() {
        return usage_error("rules takes no files".into());
    }
    if p.documents.iter().filter(|d| *d == "-").count() > 1 {
        return usage_error("standard input (-) can be read only once".into());
    }
    if p.parameters.as_deref() == Some("-") && p.documents.iter().any(|d| d == "-") {
        return usage_error("standard input (-) can be read only once".into());
    }
    let fixing = p.patch.is_some() || p.write;
    if p.action != CliAction::Check && (p.fix_script || fixing) {
        return usage_error("--fix-script, --patch and --write go with check".into());
    }
    if p.action == CliAction::MigrationPlan && p.format == "sarif" {
        return usage_error("plan prints text or json".into());
    }
    if p.fix_script && fixing {
        return usage_error("--fix-script cannot be combined with --patch or --write".into());
    }
    if fixing && (p.documents.len() != 1 || p.documents.iter().any(|d| d == "-")) {
        return usage_error(
            "--patch and --write take exactly one template file (not standard input)".into(),
        );
    }
    p.files.clone_from(&p.documents);
    if let Some(out) = &p.patch {
        if !p.files.contains(out) {
            p.files.push(out.clone());
        }
    }
    if let Some(param) = &p.parameters {
        if !p.files.contains(param) {
            p.files.push(param.clone());
        }
    }
    for f in &p.var_files {
        if !p.files.contains(f) {
            p.files.push(f.clone());
        }
    }
    p
}

/// One check the CLI ran: its name (a file, a directory, or the files joined), the text of a single file, the
/// result or error, and the texts of a joined check's files (for SARIF regions).
type Checked<'i> = (
    String,
    Option<String>,
    Result<Value, Error>,
    Vec<(&'i str, &'i str)>,
);

/// `--var NAME=VALUE` values (a value that reads as a JSON number, bool, list or object is that; otherwise the
/// text).
fn vars_of(inv: &Invocation) -> serde_json::Map<String, Value> {
    inv.vars
        .iter()
        .filter_map(|v| v.split_once('='))
        .map(|(n, v)| {
            let value = match serde_json::from_str::<Value>(v) {
                Ok(x) if !x.is_string() => x,
                _ => Value::from(v),
            };
            (n.to_owned(), value)
        })
        .collect()
}

/// `--now none`: no time, so the key's expiry and activation checks stay inconclusive.
pub const NOW_NONE: &str = "none";

fn severity_rank(s: &str) -> u8 {
    match s {
        "error" => 3,
        "warning" => 2,
        "info" | "inconclusive" => 1,
        _ => 0,
    }
}

/// The time the checks use: `--now` when given (`none`: no time), else the binding's clock (`clock`).
fn effective_now(inv: &Invocation, clock: Option<&str>) -> Option<String> {
    match inv.now.as_deref() {
        Some(NOW_NONE) => None,
        Some(given) => Some(given.to_owned()),
        None => clock.map(str::to_owned),
    }
}

/// Runs a plan on the files the binding read, without a clock: as [`run_at`] with no current time.
#[must_use]
pub fn run(inv: &Invocation, inputs: &[CliInput], color: bool) -> CliOutput {
    run_at(inv, inputs, color, None)
}

/// Runs a plan on the files the binding read. `color` is the binding's answer for `--color auto`; `clock` is
/// the binding's current time (RFC 3339), used when the command line has no `--now` (the core has no clock).
#[must_use]
pub fn run_at<'i>(
    inv: &Invocation,
    inputs: &'i [CliInput],
    color: bool,
    clock: Option<&str>,
) -> CliOutput {
    let out = |exit_code: i32, stdout: String, stderr: String| CliOutput {
        exit_code,
        stdout,
        stderr,
        writes: Vec::new(),
        backups: Vec::new(),
        read: Vec::new(),
    };
    match inv.action {
        CliAction::Help => return out(0, USAGE.into(), String::new()),
        CliAction::Version => {
            return out(0, format!("amr-cmk {}\n", crate::version()), String::new())
        }
        CliAction::UsageError => {
            return out(
                2,
                String::new(),
                format!(
                    "amr-cmk: error: {}\nRun `amr-cmk --help` for usage.\n",
                    inv.error.as_deref().unwrap_or("invalid arguments")
                ),
            )
        }
        CliAction::Rules => {
            let rules = crate::rules();
            let text = if inv.format == "json" {
                serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
            } else {
                rules
                    .iter()
                    .map(|r| format!("{:<40} {:<8} {}\n", r.code, r.severity.as_str(), r.title))
                    .collect()
            };
            return out(0, text, String::new());
        }
        CliAction::Check | CliAction::MigrationPlan => {}
    }
    let color = match inv.color.as_str() {
        "always" => true,
        "never" => false,
        _ => color,
    };
    let format = RenderFormat::parse(&inv.format).unwrap_or(RenderFormat::Text);
    let text_of = |name: &str| text_of(inputs, name);
    let mut stderr = String::new();
    let mut options = CheckOptions {
        format: inv.input.as_deref().and_then(Format::parse),
        parameters: None,
        now: effective_now(inv, clock),
        limits: crate::input::Limits::default(),
    };
    if let Some(param) = &inv.parameters {
        match text_of(param).and_then(|t| {
            crate::input::parse_document(t).map_err(|e| match e {
                InputError::InvalidJson { detail } => {
                    format!("{param} is not valid JSON: {detail}")
                }
                other => format!("{param}: {other}"),
            })
        }) {
            Ok(v) => options.parameters = Some(v),
            Err(e) => return out(2, String::new(), format!("amr-cmk: error: {e}\n")),
        }
    }
    let mut directories: Vec<(&str, Vec<String>)> = Vec::new();
    let mut wanted: Vec<String> = Vec::new();
    for name in &inv.documents {
        let Some(entries) = entries_of(inputs, name) else {
            continue;
        };
        let text = |p: &str| text_of(p).ok();
        let entries_at = |p: &str| entries_of(inputs, p);
        let (mut paths, more) =
            crate::adapters::terraform_directory_reads(name, entries, &text, &entries_at);
        if paths.is_empty() {
            paths = directory_files(name, entries);
        } else {
            // Module directories to list (the files are asked for below).
            wanted.extend(more.into_iter().filter(|m| !paths.contains(m)));
            paths.extend(inv.var_files.iter().cloned());
        }
        if paths.is_empty() {
            return out(
                2,
                String::new(),
                format!(
                    "amr-cmk: error: {name}: no Terraform (*.tf, *.tf.json) or JSON (*.json) files to check \
                     in this directory\n"
                ),
            );
        }
        wanted.extend(
            paths
                .iter()
                .filter(|p| !inputs.iter().any(|i| &i.name == *p))
                .cloned(),
        );
        directories.push((name, paths));
    }
    if !wanted.is_empty() {
        let mut o = out(0, String::new(), String::new());
        o.read = wanted;
        return o;
    }
    if inv.action == CliAction::MigrationPlan {
        return run_migration_plan(inv, &options, inputs);
    }
    let mut results: Vec<Checked> = Vec::new();
    let mut read_errors = false;
    let mut read_all = |paths: &[String], stderr: &mut String| {
        let mut files: Vec<(&str, &str)> = Vec::new();
        for path in paths {
            match file_of(inputs, path) {
                Ok(f) => files.push(f),
                Err(e) => {
                    read_errors = true;
                    stderr.push_str(&format!("amr-cmk: error: {e}\n"));
                }
            }
        }
        files
    };
    let paths_of = |name: &str| -> Vec<String> {
        match directories.iter().find(|(d, _)| *d == name) {
            Some((_, paths)) => paths.clone(),
            None => vec![name.to_owned()],
        }
    };
    let joined = |name: String, files: Vec<(&'i str, &'i str)>| -> Checked<'i> {
        let r = crate::adapters::check_files(&files, &vars_of(inv), &options)
            .map(|r| serde_json::to_value(&r).unwrap_or(Value::Null));
        (name, None, r, files)
    };
    let single = !inv.each && inv.documents.len() == 1 && directories.is_empty();
    if inv.each || single {
        // File by file (a directory's files together).
        for name in &inv.documents {
            if directories.iter().any(|(d, _)| *d == name.as_str()) {
                let files = read_all(&paths_of(name), &mut stderr);
                if !files.is_empty() {
                    results.push(joined(name.clone(), files));
                }
                continue;
            }
            // One `.tf` file: a configuration (with the `--var-file`s).
            if crate::adapters::FileKind::of(name) == crate::adapters::FileKind::TerraformConfig {
                let mut paths = vec![name.clone()];
                paths.extend(inv.var_files.iter().cloned());
                let files = read_all(&paths, &mut stderr);
                if !files.is_empty() {
                    results.push(joined(name.clone(), files));
                }
                continue;
            }
            if let Some((_, t)) = read_all(std::slice::from_ref(name), &mut stderr).first() {
                let r = check_json(t, &options)
                    .map(|r| serde_json::to_value(&r).unwrap_or(Value::Null));
                results.push((name.clone(), Some((*t).to_owned()), r, Vec::new()));
            }
        }
    } else {
        // Every file (and every directory's files) in one bundle: one check.
        let mut paths: Vec<String> = inv.documents.iter().flat_map(|d| paths_of(d)).collect();
        // Terraform files among them: the `--var-file`s too (a directory's list has them already).
        if paths
            .iter()
            .any(|p| crate::adapters::FileKind::of(p).is_terraform())
        {
            for f in &inv.var_files {
                if !paths.contains(f) {
                    paths.push(f.clone());
                }
            }
        }
        let files = read_all(&paths, &mut stderr);
        if !files.is_empty() {
            results.push(joined(inv.documents.join(", "), files));
        }
    }
    // A file of a joined check that could not be read is an error too (the others are still reported).
    for (_, _, r, _) in &results {
        let Ok(v) = r else { continue };
        for f in crate::render::items(v, "files") {
            if let Some(e) = f.get("error") {
                read_errors = true;
                stderr.push_str(&format!(
                    "amr-cmk: error: {}: {} [{}]\n",
                    crate::render::s(f, "name"),
                    crate::render::s(e, "message"),
                    crate::render::s(e, "code")
                ));
            }
        }
    }
    let mut exit = if read_errors { 2 } else { 0 };
    let threshold = severity_rank(&inv.fail_on);
    let strict = inv.fail_on == "inconclusive";
    for (name, _, r, _) in &results {
        match r {
            Err(e) => {
                exit = 2;
                stderr.push_str(&format!("amr-cmk: error: {name}: {e} [{}]\n", e.code()));
            }
            Ok(v) => {
                let worst = crate::render::reports(v)
                    .flat_map(|(_, rep)| {
                        rep.get("findings")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                    })
                    .map(|f| severity_rank(f.get("severity").and_then(Value::as_str).unwrap_or("")))
                    .max()
                    .unwrap_or(0);
                let open = v.get("toConfirm").and_then(Value::as_u64).unwrap_or(0);
                if exit == 0 && threshold > 0 && (worst >= threshold || (strict && open > 0)) {
                    exit = 1;
                }
            }
        }
    }
    if inv.fix_script {
        let files: Vec<(&str, &Value)> = results
            .iter()
            .filter_map(|(n, _, r, _)| r.as_ref().ok().map(|v| (n.as_str(), v)))
            .collect();
        let stdout = if files.is_empty() {
            String::new()
        } else {
            crate::render::fix_script(&files)
        };
        return out(exit, stdout, stderr);
    }
    let render_inputs: Vec<RenderInput> = results
        .iter()
        .filter(|(_, _, r, _)| format != RenderFormat::Text || r.is_ok())
        .map(|(name, text, r, texts)| RenderInput {
            file_name: name,
            text: text.as_deref(),
            outcome: r.as_ref(),
            texts,
        })
        .collect();
    let stdout = if render_inputs.is_empty() && format == RenderFormat::Text {
        String::new()
    } else {
        render_many(&render_inputs, format, color)
    };
    let mut output = out(exit, stdout, stderr);
    if inv.patch.is_some() || inv.write {
        if let Some((name, Some(text), Ok(result), _)) = results.first() {
            write_patched(inv, &options, inputs, name, text, result, &mut output);
        }
    }
    output
}

/// `check --patch OUT` / `--write`: the patched template and its backup, or why not (exit 2).
fn write_patched(
    inv: &Invocation,
    options: &CheckOptions,
    inputs: &[CliInput],
    name: &str,
    text: &str,
    result: &Value,
    output: &mut CliOutput,
) {
    let mut fail = |why: String| {
        output.exit_code = 2;
        output.stderr.push_str(&format!("amr-cmk: error: {why}\n"));
    };
    if result.get("format").and_then(Value::as_str) != Some("arm") {
        return fail(format!(
            "{name}: --patch needs an ARM template or compiled Bicep; for other inputs the fixes say what to \
             change (--format json: fix.commands, and fix.terraform for a Terraform plan)"
        ));
    }
    let target = inv.patch.clone().unwrap_or_else(|| name.to_owned());
    let in_place = target == name;
    let exists = inputs.iter().any(|i| i.name == target && i.text.is_some());
    if in_place && !inv.write {
        return fail(format!(
            "{target} is the input: give --write to patch it in place (a backup {target}.bak is kept)"
        ));
    }
    if !in_place && exists && !inv.write {
        return fail(format!(
            "{target} exists: give another file name, or --write to replace it (a backup {target}.bak is kept)"
        ));
    }
    let mut ops: Vec<Value> = Vec::new();
    let mut fixed = 0usize;
    let mut placeholders: Vec<String> = Vec::new();
    for (_, report) in crate::render::reports(result) {
        for f in report
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let patch = f
                .get("fix")
                .and_then(|x| x.get("patch"))
                .and_then(Value::as_array);
            if let Some(list) = patch.filter(|l| !l.is_empty()) {
                fixed += 1;
                for op in list {
                    for p in op
                        .get("placeholders")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(p) = p.as_str().filter(|p| !placeholders.iter().any(|x| x == p))
                        {
                            placeholders.push(p.to_owned());
                        }
                    }
                    ops.push(op.clone());
                }
            }
        }
    }
    if ops.is_empty() {
        output.stderr.push_str(&format!(
            "amr-cmk: nothing to patch in {name}: no finding has a template change\n"
        ));
        return;
    }
    let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
        return fail(format!("{name} is not valid JSON"));
    };
    if let Err(e) = crate::patch::apply(&mut doc, &ops) {
        return fail(format!("{name}: the patch does not apply: {e}"));
    }
    let errors = check_json_value(&doc, options);
    let mut patched = serde_json::to_string_pretty(&doc).unwrap_or_default();
    patched.push('\n');
    let backup = (exists || in_place).then(|| format!("{target}.bak"));
    if let Some(b) = &backup {
        output.backups.push(CliBackup {
            from: target.clone(),
            to: b.clone(),
        });
    }
    output.writes.push(CliWrite {
        path: target.clone(),
        text: patched,
    });
    let mut note = format!(
        "amr-cmk: wrote {target}: {} change{} for {fixed} finding{}",
        ops.len(),
        if ops.len() == 1 { "" } else { "s" },
        if fixed == 1 { "" } else { "s" }
    );
    if let Some(b) = &backup {
        note.push_str(&format!(" (backup {b})"));
    }
    match errors {
        Some(0) => note.push_str("; it checks with no errors"),
        Some(n) => note.push_str(&format!(
            "; it still has {n} error{}",
            if n == 1 { "" } else { "s" }
        )),
        None => {}
    }
    note.push_str(". Review it before deploying.\n");
    if !placeholders.is_empty() {
        note.push_str(&format!(
            "amr-cmk: replace the placeholders in {target} first: {}\n",
            placeholders.join(", ")
        ));
    }
    output.stderr.push_str(&note);
}

/// The text of an input file the binding read, or why there is none.
fn text_of<'a>(inputs: &'a [CliInput], name: &str) -> Result<&'a str, String> {
    match inputs.iter().find(|i| i.name == name) {
        Some(CliInput { text: Some(t), .. }) => Ok(t.as_str()),
        Some(CliInput { error: Some(e), .. }) => Err(format!("cannot read {name}: {e}")),
        Some(CliInput {
            entries: Some(_), ..
        }) => Err(format!(
            "cannot read {name}: it is a directory (give its files)"
        )),
        _ => Err(format!("cannot read {name}: the file was not given")),
    }
}

/// The name and text of a file the binding read.
fn file_of<'i>(inputs: &'i [CliInput], name: &str) -> Result<(&'i str, &'i str), String> {
    let text = text_of(inputs, name)?;
    let input = inputs.iter().find(|i| i.name == name);
    Ok((input.map_or("", |i| i.name.as_str()), text))
}

/// The entries of a path the binding found to be a directory.
fn entries_of<'a>(inputs: &'a [CliInput], name: &str) -> Option<&'a [String]> {
    inputs
        .iter()
        .find(|i| i.name == name)
        .and_then(|i| i.entries.as_deref())
}

/// The files of a directory to check, as paths: its Terraform files when it has any (a root module), else its
/// `*.json` documents.
fn directory_files(dir: &str, entries: &[String]) -> Vec<String> {
    let files = || entries.iter().filter(|e| !e.ends_with('/'));
    let terraform: Vec<&String> = files()
        .filter(|e| crate::adapters::FileKind::of(e).is_terraform())
        .collect();
    let chosen: Vec<&String> = if terraform.is_empty() {
        files()
            .filter(|e| e.to_ascii_lowercase().ends_with(".json"))
            .collect()
    } else {
        terraform
    };
    let sep = if dir.ends_with('/') { "" } else { "/" };
    let mut paths: Vec<String> = chosen
        .into_iter()
        .map(|e| format!("{dir}{sep}{e}"))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn check_json_value(doc: &Value, options: &CheckOptions) -> Option<usize> {
    crate::adapters::check(doc, options)
        .ok()
        .map(|r| r.reports.iter().map(|x| x.report.summary.errors).sum())
}

/// `plan FILE...`: the migration plan of every cache, as text or JSON.
fn run_migration_plan(inv: &Invocation, options: &CheckOptions, inputs: &[CliInput]) -> CliOutput {
    let text_of = |name: &str| text_of(inputs, name);
    let mut stderr = String::new();
    let mut exit = 0;
    let mut files: Vec<(&str, Result<Value, String>)> = Vec::new();
    for name in &inv.documents {
        let r = text_of(name).and_then(|t| {
            let doc = crate::input::parse_document(t)
                .map_err(Error::from)
                .and_then(|doc| crate::adapters::plans(&doc, options))
                .map_err(|e| format!("{name}: {e} [{}]", e.code()))?;
            let list: Vec<Value> = doc
                .into_iter()
                .map(|(resource, p)| {
                    let mut m = serde_json::Map::new();
                    m.insert(
                        "resource".into(),
                        serde_json::to_value(resource).unwrap_or(Value::Null),
                    );
                    m.insert(
                        "plan".into(),
                        serde_json::to_value(p).unwrap_or(Value::Null),
                    );
                    Value::Object(m)
                })
                .collect();
            Ok(Value::Array(list))
        });
        if let Err(e) = &r {
            exit = 2;
            stderr.push_str(&format!("amr-cmk: error: {e}\n"));
        }
        files.push((name, r));
    }
    let stdout = if inv.format == "json" {
        let list: Vec<Value> = files
            .iter()
            .map(|(name, r)| {
                let mut m = serde_json::Map::new();
                m.insert("name".into(), Value::from(*name));
                match r {
                    Ok(v) => m.insert("plans".into(), v.clone()),
                    Err(e) => m.insert("error".into(), Value::from(e.clone())),
                };
                Value::Object(m)
            })
            .collect();
        let mut m = serde_json::Map::new();
        m.insert("files".into(), Value::Array(list));
        let mut s = serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let refs: Vec<(&str, Result<&Value, String>)> = files
            .iter()
            .map(|(n, r)| (*n, r.as_ref().map_err(Clone::clone)))
            .collect();
        crate::render::plans_text(&refs)
    };
    CliOutput {
        exit_code: exit,
        stdout,
        stderr,
        writes: Vec::new(),
        backups: Vec::new(),
        read: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_args() {
        let p = parse_args(&argv(
            "check --format sarif --fail-on warning --input terraform-plan --now 2026-11-27T00:00:00Z -p p.json a.json -",
        ));
        assert_eq!(p.action, CliAction::Check);
        assert_eq!(p.files, vec!["a.json", "-", "p.json"]);
        assert_eq!(p.documents, vec!["a.json", "-"]);
        assert_eq!(p.input.as_deref(), Some("terraformPlan"));
        assert_eq!(parse_args(&argv("check --format=json a")).format, "json");
        assert_eq!(parse_args(&argv("--help")).action, CliAction::Help);
        for bad in [
            "check",
            "check --bogus a",
            "check --format",
            "check - -",
            "frobnicate",
        ] {
            assert_eq!(
                parse_args(&argv(bad)).action,
                CliAction::UsageError,
                "{bad}"
            );
        }
        assert_eq!(
            parse_args(&argv("check -- --weird-name")).documents,
            vec!["--weird-name"]
        );
        assert_eq!(
            parse_args(&argv("check --now NONE a")).now.as_deref(),
            Some(NOW_NONE)
        );
        assert_eq!(
            parse_args(&argv("check --fail-on Inconclusive a")).fail_on,
            "inconclusive"
        );
    }

    #[test]
    fn now_is_the_flag_else_the_clock() {
        let clock = Some("2026-11-27T00:00:00Z");
        let at = |args: &str| effective_now(&parse_args(&argv(args)), clock);
        assert_eq!(at("check a").as_deref(), clock);
        assert_eq!(at("check --now none a"), None);
        assert_eq!(
            at("check --now 2025-01-01T00:00:00Z a").as_deref(),
            Some("2025-01-01T00:00:00Z")
        );
        assert_eq!(effective_now(&parse_args(&argv("check a")), None), None);
    }

    #[test]
    fn runs() {
        let p = parse_args(&argv("check a.json"));
        let o = run(
            &p,
            &[CliInput {
                name: "a.json".into(),
                text: Some("{\"x\": 1}".into()),
                error: None,
                entries: None,
            }],
            false,
        );
        assert_eq!(o.exit_code, 2);
        assert!(o.stderr.contains("input.unrecognized_format"));
        let o = run(
            &p,
            &[CliInput {
                name: "a.json".into(),
                text: None,
                error: Some("No such file".into()),
                entries: None,
            }],
            false,
        );
        assert_eq!(o.exit_code, 2);
        let o = run(&parse_args(&argv("--version")), &[], false);
        assert_eq!(o.exit_code, 0);
        let o = run(&parse_args(&argv("check")), &[], false);
        assert_eq!(o.exit_code, 2);
        assert!(o.stderr.contains("no input files"));
    }

    fn input(name: &str, text: Option<&str>, entries: Option<&[&str]>) -> CliInput {
        CliInput {
            name: name.into(),
            text: text.map(str::to_owned),
            error: None,
            entries: entries.map(|e| e.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    #[test]
    fn asks_for_the_files_of_a_directory() {
        let p = parse_args(&argv("check dir"));
        // JSON documents when there is no Terraform file; subdirectories and other files are left alone.
        let dir = input(
            "dir",
            None,
            Some(&["b.json", "sub/", "notes.txt", "a.JSON"]),
        );
        let o = run(&p, std::slice::from_ref(&dir), false);
        assert_eq!((o.exit_code, o.stdout.as_str()), (0, ""));
        assert_eq!(o.read, ["dir/a.JSON", "dir/b.json"]);
        // Terraform files win over JSON files (a root module).
        let o = run(
            &parse_args(&argv("check dir/")),
            &[input(
                "dir/",
                None,
                Some(&["main.tf", "x.json", "terraform.tfvars"]),
            )],
            false,
        );
        assert_eq!(o.read, ["dir/main.tf", "dir/terraform.tfvars"]);
        // Once read, the files are checked together under the directory's name; nothing more is asked.
        let doc = r#"{"cache": {"name": "c", "sku": "Balanced_B0", "location": "westeurope"}}"#;
        let inputs = [
            dir,
            input("dir/a.JSON", Some(doc), None),
            input("dir/b.json", Some("{"), None),
        ];
        let o = run(
            &parse_args(&argv("check --format json dir")),
            &inputs,
            false,
        );
        assert!(o.read.is_empty());
        let v: Value = serde_json::from_str(&o.stdout).unwrap_or(Value::Null);
        let files = &v["files"][0]["result"]["files"];
        assert_eq!(files[0]["name"], "dir/a.JSON");
        assert_eq!(
            files[1]["error"]["code"], "input.invalid_json",
            "{}",
            o.stdout
        );
        // A directory with nothing to check is a usage error.
        let o = run(
            &p,
            &[input("dir", None, Some(&["README.md", "sub/"]))],
            false,
        );
        assert_eq!(o.exit_code, 2);
        assert!(o.stderr.contains("no Terraform"), "{}", o.stderr);
    }
}
