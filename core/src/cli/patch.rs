//! `check --patch OUT` / `--write`: the template with every fix applied, and its backup.

use serde_json::Value;

use super::{CliBackup, CliInput, CliOutput, CliWrite, Invocation};
use crate::adapters::CheckOptions;

/// `check --patch OUT` / `--write`: the patched template and its backup, or why not (exit 2).
pub(super) fn write_patched(
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

fn check_json_value(doc: &Value, options: &CheckOptions) -> Option<usize> {
    crate::adapters::check(doc, options)
        .ok()
        .map(|r| r.reports.iter().map(|x| x.report.summary.errors).sum())
}
