//! The command-line interface, minus the I/O: [`parse_args`] reads the arguments and says which files to read;
//! [`run_at`] takes their contents (and the binding's current time, for a command line without `--now`) and
//! returns the exit code and the text for standard output and standard error. The core never reads a clock;
//! the Python and Node CLIs only read files and the clock, print, and exit.
//!
//! ```text
//! argv ──parse_args──▶ Invocation { action, files, ... } ──(binding reads files)──▶ run_at(plan, inputs, color, now) ──▶ { exitCode, stdout, stderr }
//! ```

use serde::{Deserialize, Serialize};

use crate::adapters::Format;
use crate::input::LimitOptions;
use crate::render::RenderFormat;

mod patch;
mod progress;
mod run;

pub use progress::{Progress, PROGRESS_AFTER_MS};
pub use run::{run, run_at, NOW_NONE};

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
    /// `--max-bytes`, `--max-depth`, `--max-string-length`, `--max-items`: the input limits set (the others keep
    /// their defaults).
    #[serde(default, skip_serializing_if = "LimitOptions::is_empty")]
    pub limits: LimitOptions,
    /// What to show on a terminal while the binding reads the files and the core checks them (`check` and
    /// `plan` with text output; absent otherwise, and in pipes the binding shows nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
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
    /// With `read`: what to show on a terminal while reading those paths and running again (as the plan's
    /// `progress` for the first round).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
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

Input limits (a document over one is a one-line error; K, M, G: KiB, MiB, GiB):
      --max-bytes SIZE             largest document (default and most 256M)
      --max-depth N                deepest nesting of arrays and objects (default and most 64)
      --max-string-length SIZE     longest string (default 16M, most 256M)
      --max-items N                most items in one array or object (default 1048576)

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
            limits: LimitOptions::default(),
            progress: None,
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
            "--max-bytes" | "--max-depth" | "--max-string-length" | "--max-items" => {
                value(name).and_then(|v| set_limit(&mut p.limits, name, &v))
            }
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
    p.progress = progress::first(&p);
    p
}

/// `--max-bytes 64M` & co.: sets the limit, or says what the value must be.
fn set_limit(limits: &mut LimitOptions, option: &str, value: &str) -> Result<(), String> {
    let name = match option {
        "--max-bytes" => "maxBytes",
        "--max-depth" => "maxDepth",
        "--max-string-length" => "maxStringLength",
        _ => "maxItems",
    };
    let n = count(value).unwrap_or(0);
    limits.set(name, n).map_err(|expected| {
        format!(
            "{option} must be {} (got '{}')",
            expected.unwrap_or_default(),
            crate::input::truncate(value)
        )
    })
}

/// A count with an optional binary suffix: `1000`, `64K`, `16M`, `1G` (KiB, MiB, GiB; any case).
fn count(value: &str) -> Option<u64> {
    let (digits, shift) = match value.as_bytes().last().map(u8::to_ascii_uppercase) {
        Some(b'K') => (value.get(..value.len() - 1)?, 10),
        Some(b'M') => (value.get(..value.len() - 1)?, 20),
        Some(b'G') => (value.get(..value.len() - 1)?, 30),
        _ => (value, 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests;
