//! Tests of the command line's logic.

use super::run::effective_now;
use super::*;
use serde_json::Value;

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
