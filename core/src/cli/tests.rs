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

/// The fixture of an ARM template whose vault and key are `existing` references, with the `az keyvault show` and
/// `az keyvault key show` outputs of both.
fn existing_fixture() -> Vec<CliInput> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/resource-graph/existing"
    );
    ["template.json", "vault.json", "key.json"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
            input(f, Some(&text), None)
        })
        .collect()
}

#[test]
fn plan_joins_files_as_check_does() {
    let inputs = existing_fixture();
    let alone = run(
        &parse_args(&argv("plan --format json template.json")),
        &inputs,
        false,
    );
    let joined = run(
        &parse_args(&argv(
            "plan --format json template.json vault.json key.json",
        )),
        &inputs,
        false,
    );
    assert_eq!(
        (alone.exit_code, joined.exit_code),
        (0, 0),
        "{}",
        joined.stderr
    );
    let step = |o: &CliOutput, id: &str| -> String {
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        let steps = v["files"][0]["plans"][0]["plan"]["steps"]
            .as_array()
            .unwrap()
            .clone();
        let s = steps.iter().find(|s| s["id"] == id).unwrap();
        s["status"].as_str().unwrap().to_owned()
    };
    // Alone, the template says nothing about its existing vault; joined, the vault's `az keyvault show` output
    // shows purge protection off: a step to do.
    assert_eq!(step(&alone, "vault"), "confirm");
    assert_eq!(step(&joined, "vault"), "todo");
    let v: Value = serde_json::from_str(&joined.stdout).unwrap();
    let entry = &v["files"][0];
    assert_eq!(entry["name"], "template.json, vault.json, key.json");
    assert_eq!(entry["plans"][0]["resource"]["file"], "template.json");
    let names: Vec<&str> = entry["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["key.json", "template.json", "vault.json"]);
    // The text names the cache's own file; --each plans file by file (the vault alone has no cache).
    let text = run(
        &parse_args(&argv("plan template.json vault.json key.json")),
        &inputs,
        false,
    );
    assert!(text.stdout.contains("(template.json): "), "{}", text.stdout);
    assert!(text.stdout.contains("todo: Vault"), "{}", text.stdout);
    let each = run(
        &parse_args(&argv("plan --each template.json vault.json")),
        &inputs,
        false,
    );
    assert_eq!(each.exit_code, 2);
    assert!(each.stderr.contains("vault.json: ") && each.stderr.contains("[input.no_cache]"));
    assert!(each.stdout.contains("(template.json): "));
}

#[test]
fn plan_reads_a_directory() {
    let mut inputs = existing_fixture();
    for i in &mut inputs {
        i.name = format!("existing/{}", i.name);
    }
    let p = parse_args(&argv("plan existing"));
    let dir = input(
        "existing",
        None,
        Some(&["vault.json", "template.json", "key.json"]),
    );
    let o = run(&p, std::slice::from_ref(&dir), false);
    assert_eq!(
        o.read,
        [
            "existing/key.json",
            "existing/template.json",
            "existing/vault.json"
        ]
    );
    inputs.push(dir);
    let o = run(&p, &inputs, false);
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("(existing/template.json): "),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("todo: Vault"), "{}", o.stdout);
}

#[test]
fn limit_options() {
    let p = parse_args(&argv(
        "check --max-depth 8 --max-string-length 1K --max-bytes=64m --max-items 100 a.json",
    ));
    assert_eq!(p.action, CliAction::Check, "{:?}", p.error);
    let l = p.limits.limits();
    assert_eq!(
        (l.max_depth, l.max_string, l.max_bytes, l.max_items),
        (8, 1024, 64 << 20, 100)
    );
    assert_eq!(
        parse_args(&argv("check a.json")).limits.limits(),
        crate::input::Limits::default()
    );
    for (bad, says) in [
        (
            "check --max-depth 65 a",
            "--max-depth must be an integer from 1 to 64 (got '65')",
        ),
        (
            "check --max-depth 0 a",
            "--max-depth must be an integer from 1 to 64",
        ),
        (
            "check --max-items -1 a",
            "--max-items must be an integer from 1 to 268435456",
        ),
        (
            "check --max-bytes 1G a",
            "--max-bytes must be an integer from 1 to 268435456 (got '1G')",
        ),
        ("check --max-bytes 12Q a", "--max-bytes must be"),
        (
            "check --max-string-length K a",
            "--max-string-length must be",
        ),
        ("check --max-depth", "--max-depth needs a value"),
    ] {
        let p = parse_args(&argv(bad));
        assert_eq!(p.action, CliAction::UsageError, "{bad}");
        assert!(
            p.error.as_deref().unwrap_or("").starts_with(says),
            "{bad}: {:?}",
            p.error
        );
    }
    // The limits apply to every document read, the parameters file too.
    let deep = "{\"a\": {\"b\": {\"c\": [1]}}}";
    let inputs = [
        input("a.json", Some(deep), None),
        input("p.json", Some(deep), None),
    ];
    let o = run(
        &parse_args(&argv("check --max-depth 3 a.json")),
        &inputs,
        false,
    );
    assert_eq!(o.exit_code, 2);
    assert!(o.stderr.contains("[input.too_deep]"), "{}", o.stderr);
    let o = run(
        &parse_args(&argv("check --max-depth 3 -p p.json a.json")),
        &inputs,
        false,
    );
    assert_eq!(o.exit_code, 2);
    assert!(
        o.stderr
            .starts_with("amr-cmk: error: p.json: the input is nested deeper than 3"),
        "{}",
        o.stderr
    );
    let o = run(
        &parse_args(&argv("check --max-depth 4 a.json")),
        &inputs,
        false,
    );
    assert!(
        o.stderr.contains("[input.unrecognized_format]"),
        "{}",
        o.stderr
    );
    // Joined files too.
    let o = run(
        &parse_args(&argv("check --max-items 1 a.json p.json")),
        &[
            input("a.json", Some("[1, 2]"), None),
            input("p.json", Some("{}"), None),
        ],
        false,
    );
    assert!(
        o.stderr.contains("a.json: ") && o.stderr.contains("[input.list_too_long]"),
        "{}",
        o.stderr
    );
}

#[test]
fn progress_follows_the_read_loop() {
    let p = parse_args(&argv("check fleet"));
    let first = p.progress.clone().unwrap();
    assert_eq!(first.reading, "amr-cmk: reading fleet…");
    assert_eq!(first.checking, "amr-cmk: checking fleet…");
    let dir = input("fleet", None, Some(&["a.json", "b.json", "c.json"]));
    let o = run(&p, std::slice::from_ref(&dir), false);
    let more = o.progress.unwrap();
    assert_eq!(more.reading, "amr-cmk: reading 3 files…");
    assert_eq!(more.checking, "amr-cmk: checking 3 files…");
    // The final answer has none; json output never has any.
    let doc = r#"{"cache": {"name": "c", "sku": "Balanced_B0", "location": "westeurope"}}"#;
    let mut inputs = vec![dir];
    for f in ["a", "b", "c"] {
        inputs.push(input(&format!("fleet/{f}.json"), Some(doc), None));
    }
    assert_eq!(run(&p, &inputs, false).progress, None);
    let json = parse_args(&argv("check -f json fleet"));
    assert_eq!(json.progress, None);
    assert_eq!(run(&json, &inputs[..1], false).progress, None);
}
