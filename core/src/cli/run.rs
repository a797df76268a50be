//! Running an invocation on the files the binding read: the read protocol (directories' files asked for),
//! checking (file by file or joined), exit codes, rendering, and `plan`.

use serde_json::Value;

use super::patch::write_patched;
use super::{CliAction, CliInput, CliOutput, Invocation, USAGE};
use crate::adapters::{check_json, CheckOptions, Format};
use crate::error::{Error, InputError};
use crate::render::{render_many, RenderFormat, RenderInput};

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
pub(super) fn effective_now(inv: &Invocation, clock: Option<&str>) -> Option<String> {
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
        progress: None,
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
        limits: inv.limits.limits(),
    };
    if let Some(param) = &inv.parameters {
        match text_of(param).and_then(|t| {
            crate::input::parse_document_with(t, &options.limits).map_err(|e| match e {
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
        // Every file checked once the directories are read: theirs and the other documents.
        let documents = inv
            .documents
            .iter()
            .map(|d| {
                directories
                    .iter()
                    .find(|(n, _)| *n == d.as_str())
                    .map_or(1, |(_, paths)| paths.len())
            })
            .sum();
        o.progress = super::progress::more(inv, &wanted, documents);
        o.read = wanted;
        return o;
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
    let planning = inv.action == CliAction::MigrationPlan;
    let joined = |name: String, files: Vec<(&'i str, &'i str)>| -> Checked<'i> {
        let vars = vars_of(inv);
        let r = if planning {
            crate::adapters::plans_files(&files, &vars, &options).map(|(result, plans)| {
                let list = result
                    .reports
                    .into_iter()
                    .zip(plans)
                    .map(|(r, p)| (r.resource, p));
                plans_value(list, Some(&result.files))
            })
        } else {
            crate::adapters::check_files(&files, &vars, &options)
                .map(|r| serde_json::to_value(&r).unwrap_or(Value::Null))
        };
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
                let r = if planning {
                    crate::input::parse_document_with(t, &options.limits)
                        .map_err(Error::from)
                        .and_then(|doc| crate::adapters::plans(&doc, &options))
                        .map(|list| plans_value(list.into_iter(), None))
                } else {
                    check_json(t, &options).map(|r| serde_json::to_value(&r).unwrap_or(Value::Null))
                };
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
    if planning {
        return migration_plans(inv, &results, exit, stderr);
    }
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

/// The value of a `plan` over one input: `{"plans": [{"resource", "plan"}], "files"?: [each file read]}`.
fn plans_value(
    list: impl Iterator<Item = (crate::adapters::ResourceInfo, crate::plan::Plan)>,
    files: Option<&[crate::adapters::FileInfo]>,
) -> Value {
    let plans: Vec<Value> = list
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
    let mut m = serde_json::Map::new();
    m.insert("plans".into(), Value::Array(plans));
    if let Some(files) = files {
        m.insert(
            "files".into(),
            serde_json::to_value(files).unwrap_or(Value::Null),
        );
    }
    Value::Object(m)
}

/// `plan FILE...`: the migration plan of every cache, as text or JSON `{"files": [{"name", "plans", "files"?}
/// | {"name", "error"}]}` (one entry per input: a file, a directory, or the files joined).
fn migration_plans(
    inv: &Invocation,
    results: &[Checked],
    mut exit: i32,
    mut stderr: String,
) -> CliOutput {
    let mut files: Vec<(&str, Result<&Value, String>)> = Vec::new();
    for (name, _, r, _) in results {
        let r = r
            .as_ref()
            .map_err(|e| format!("{name}: {e} [{}]", e.code()));
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
                    Ok(Value::Object(v)) => m.extend(v.clone()),
                    Ok(_) => {}
                    Err(e) => {
                        m.insert("error".into(), Value::from(e.clone()));
                    }
                }
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
            .map(|(n, r)| {
                (
                    *n,
                    r.clone().map(|v| v.get("plans").unwrap_or(&Value::Null)),
                )
            })
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
        progress: None,
    }
}
