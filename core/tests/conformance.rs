//! Runs every conformance vector in `tests/conformance/*.json` against the Rust API.
//!
//! `AMR_CMK_BLESS=1 cargo test -p amr-cmk --test conformance` fills in or rewrites the `expected` value of
//! every vector that has no `error` (review the diff: the vectors are the contract every binding must meet).
// The vectors of the template functions need the full core; the lite build is covered by `json_api` tests.
#![cfg(feature = "templates")]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn vector_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/conformance")
}

fn vector_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(vector_dir())
        .expect("tests/conformance exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(".schema.json"))
        })
        .collect();
    files.sort();
    files
}

/// Calls the typed Rust API named by a vector, or the JSON API for a function without a typed arm here.
fn run(function: &str, input: &Value) -> Result<Value, amr_cmk::Error> {
    let text = || {
        input.as_str().map(str::to_owned).ok_or_else(|| {
            amr_cmk::Error::from(amr_cmk::InputError::InvalidType {
                path: String::new(),
                expected: "a string".into(),
            })
        })
    };
    let to_value = |v: serde_json::Result<Value>| v.expect("serialisable");
    Ok(match function {
        "parseKeyUri" => to_value(serde_json::to_value(amr_cmk::parse_key_uri(&text()?)?)),
        "parseIdentityId" => to_value(serde_json::to_value(amr_cmk::parse_identity_id(&text()?)?)),
        "tierForSku" => to_value(serde_json::to_value(amr_cmk::tier_for_sku(&text()?)?)),
        "coverage" => to_value(serde_json::to_value(amr_cmk::coverage(&text()?)?)),
        "coverageMatrix" => to_value(serde_json::to_value(amr_cmk::coverage_matrix())),
        "ruleCodes" => to_value(serde_json::to_value(amr_cmk::rule_codes())),
        "rules" => to_value(serde_json::to_value(amr_cmk::rules())),
        "errorCodes" => to_value(serde_json::to_value(amr_cmk::error_codes())),
        "plan" => to_value(serde_json::to_value(amr_cmk::plan_json(
            &input.to_string(),
        )?)),
        "validate" => {
            let report = amr_cmk::validate_json(&input.to_string())?;
            // The typed report and its canonical text must agree.
            let canonical: Value = serde_json::from_str(&report.to_json()).expect("canonical JSON");
            let direct = to_value(serde_json::to_value(&report));
            assert_eq!(canonical, direct, "Report::to_json differs from serde");
            direct
        }
        "check" => {
            let out = amr_cmk::json_api::call_value("check", &input.to_string())?;
            // The typed API gives the same result.
            let options = amr_cmk::adapters::CheckOptions {
                format: input["format"]
                    .as_str()
                    .and_then(amr_cmk::adapters::Format::parse),
                parameters: input.get("parameters").cloned(),
                now: input["now"].as_str().map(str::to_owned),
            };
            let typed = match input.get("files").and_then(Value::as_object) {
                Some(files) => {
                    let files: Vec<(&str, &str)> = files
                        .iter()
                        .map(|(n, t)| (n.as_str(), t.as_str().unwrap_or_default()))
                        .collect();
                    let vars = input["vars"].as_object().cloned().unwrap_or_default();
                    amr_cmk::adapters::check_files(&files, &vars, &options)?
                }
                None => amr_cmk::adapters::check(&input["document"], &options)?,
            };
            assert_eq!(
                to_value(serde_json::to_value(&typed)),
                out,
                "check: typed and JSON API differ"
            );
            out
        }
        // Every other function of the JSON API's table: through the JSON API (adding a function is a table row
        // plus vectors; a typed arm above is optional).
        _ => amr_cmk::json_api::call_value(function, &input.to_string())?,
    })
}

/// The functions a vector may name: the JSON API's table, but `version` (its answer changes with every release).
fn vector_functions() -> Vec<&'static str> {
    amr_cmk::json_api::FUNCTIONS
        .iter()
        .copied()
        .filter(|f| *f != "version")
        .collect()
}

/// `vectors.schema.json` lists the same functions (for editors), in table order.
#[test]
fn the_schema_lists_the_table_functions() {
    let path = vector_dir().join("vectors.schema.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let listed: Vec<&str> = schema["properties"]["vectors"]["items"]["properties"]["function"]
        ["enum"]
        .as_array()
        .expect("a function enum")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        vector_functions(),
        "the `function` enum of tests/conformance/vectors.schema.json is json_api::TABLE's names without version"
    );
}

/// The structural rules of `vectors.schema.json`, checked here too so a malformed file fails `cargo test`.
fn check_shape(file: &str, doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let functions = vector_functions();
    let Some(obj) = doc.as_object() else {
        return vec![format!("{file}: not an object")];
    };
    for k in obj.keys() {
        if !["$schema", "description", "vectors"].contains(&k.as_str()) {
            problems.push(format!("{file}: unknown top-level field {k}"));
        }
    }
    if !obj.get("description").is_some_and(Value::is_string) {
        problems.push(format!("{file}: description must be a string"));
    }
    let Some(vectors) = obj.get("vectors").and_then(Value::as_array) else {
        problems.push(format!("{file}: vectors must be an array"));
        return problems;
    };
    for (i, v) in vectors.iter().enumerate() {
        let Some(v) = v.as_object() else {
            problems.push(format!("{file}#{i}: not an object"));
            continue;
        };
        for k in v.keys() {
            if ![
                "name",
                "function",
                "input",
                "expected",
                "error",
                "expectCodes",
                "note",
            ]
            .contains(&k.as_str())
            {
                problems.push(format!("{file}#{i}: unknown field {k}"));
            }
        }
        let name_ok = v.get("name").and_then(Value::as_str).is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
        if !name_ok {
            problems.push(format!("{file}#{i}: name must be kebab-case"));
        }
        if !v
            .get("function")
            .and_then(Value::as_str)
            .is_some_and(|f| functions.contains(&f))
        {
            problems.push(format!("{file}#{i}: unknown function"));
        }
        if !v.contains_key("input") {
            problems.push(format!("{file}#{i}: input is required"));
        }
        if v.contains_key("expected") == v.contains_key("error") && !bless() {
            problems.push(format!("{file}#{i}: exactly one of expected / error"));
        }
    }
    problems
}

fn bless() -> bool {
    std::env::var_os("AMR_CMK_BLESS").is_some()
}

/// The finding codes of a report, or of every report of a `check` result, in order.
fn finding_codes(report: &Value) -> Vec<Value> {
    if let Some(reports) = report["reports"].as_array() {
        return reports
            .iter()
            .flat_map(|r| finding_codes(&r["report"]))
            .collect();
    }
    report["findings"]
        .as_array()
        .map(|f| f.iter().map(|f| f["code"].clone()).collect())
        .unwrap_or_default()
}

#[test]
fn conformance_vectors() {
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    let mut total = 0;
    for path in vector_files() {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        failures.extend(check_shape(&file, &doc));
        let mut changed = false;
        for v in doc["vectors"].as_array_mut().into_iter().flatten() {
            total += 1;
            let name = v["name"].as_str().unwrap_or("").to_owned();
            if !names.insert(name.clone()) {
                failures.push(format!("{file}: duplicate vector name {name}"));
            }
            let function = v["function"].as_str().unwrap_or("").to_owned();
            let result = run(&function, &v["input"]);
            match (result, v.get("error").and_then(Value::as_str)) {
                (Err(e), Some(code)) if e.code() == code => eprintln!("ok   {name}"),
                (Err(e), Some(code)) => {
                    failures.push(format!("{name}: expected error {code}, got {}", e.code()))
                }
                (Ok(out), Some(code)) => {
                    failures.push(format!("{name}: expected error {code}, got {out}"))
                }
                (Err(e), None) => {
                    failures.push(format!("{name}: unexpected error {}: {e}", e.code()))
                }
                (Ok(out), None) => {
                    if bless() {
                        if v.get("expected") != Some(&out) {
                            v["expected"] = out.clone();
                            changed = true;
                        }
                    } else if v.get("expected") != Some(&out) {
                        failures.push(format!(
                            "{name}: output differs\n  expected {}\n  got      {out}",
                            v["expected"]
                        ));
                        continue;
                    }
                    if let Some(codes) = v.get("expectCodes") {
                        let got = Value::Array(finding_codes(&out));
                        if *codes != got {
                            failures.push(format!(
                                "{name}: expectCodes {codes} but findings are {got}"
                            ));
                            continue;
                        }
                    }
                    eprintln!("ok   {name}");
                }
            }
        }
        if changed {
            fs::write(&path, to_pretty(&doc) + "\n").unwrap();
            eprintln!("blessed {file}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total >= 250, "only {total} vectors");
}

/// Codes a JSON vector cannot carry, with the test that covers each instead.
const NOT_EXPRESSIBLE: &[(&str, &str)] = &[
    (
        "input.invalid_json",
        "a vector's input is JSON already; see tests/limits.rs and the bindings' garbage tests",
    ),
    (
        "input.too_large",
        "a 1 MiB vector file would bury the rest; see tests/limits.rs",
    ),
    (
        "input.unknown_function",
        "vectors name real functions; see tests/limits.rs (JSON API)",
    ),
];

/// Every rule code and every error code appears in at least one failing vector.
#[test]
fn every_code_has_a_failing_vector() {
    let mut seen = BTreeSet::new();
    for path in vector_files() {
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for v in doc["vectors"].as_array().into_iter().flatten() {
            if let Some(code) = v.get("error").and_then(Value::as_str) {
                seen.insert(code.to_owned());
            }
            if let Some(expected) = v.get("expected") {
                for code in finding_codes(expected) {
                    seen.insert(code.as_str().unwrap_or("").to_owned());
                }
            }
        }
    }
    let missing: Vec<&str> = amr_cmk::rule_codes()
        .into_iter()
        .chain(amr_cmk::error_codes())
        .filter(|c| !seen.contains(*c) && !NOT_EXPRESSIBLE.iter().any(|(n, _)| n == c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a failing vector: {missing:?}"
    );
}

const FIELD_ORDER: &[&str] = &[
    "$schema",
    "description",
    "vectors",
    "name",
    "function",
    "note",
    "input",
    "error",
    "expectCodes",
    "expected",
];

/// Two-space indentation with short arrays of scalars on one line keeps the vector files readable.
fn to_pretty(v: &Value) -> String {
    fn go(v: &Value, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent + 1);
        match v {
            Value::Array(a) if a.is_empty() => out.push_str("[]"),
            Value::Object(o) if o.is_empty() => out.push_str("{}"),
            Value::Array(a)
                if a.iter().all(|x| !x.is_array() && !x.is_object()) && a.len() <= 8 =>
            {
                out.push_str(&serde_json::to_string(v).unwrap());
            }
            Value::Array(a) => {
                out.push_str("[\n");
                for (i, x) in a.iter().enumerate() {
                    out.push_str(&pad);
                    go(x, indent + 1, out);
                    out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
                }
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            Value::Object(o) => {
                out.push_str("{\n");
                // The file and its vectors keep a fixed field order; everything inside `input`/`expected`
                // stays in the core's (lexicographic) order.
                let mut keys: Vec<(&String, &Value)> = o.iter().collect();
                if indent <= 2 {
                    let rank = |k: &str| {
                        FIELD_ORDER
                            .iter()
                            .position(|f| *f == k)
                            .unwrap_or(FIELD_ORDER.len())
                    };
                    keys.sort_by_key(|(k, _)| rank(k));
                }
                for (i, (k, x)) in keys.into_iter().enumerate() {
                    out.push_str(&pad);
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push_str(": ");
                    go(x, indent + 1, out);
                    out.push_str(if i + 1 < o.len() { ",\n" } else { "\n" });
                }
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
            _ => out.push_str(&serde_json::to_string(v).unwrap()),
        }
    }
    let mut out = String::new();
    go(v, 0, &mut out);
    out
}

/// Error codes that no configuration change fixes: each needs a different resource or is an input mistake.
const NO_FIX: &[(&str, &str)] = &[
    (
        "sku.unknown",
        "the SKU name is a typo or not Azure Managed Redis: nothing to run",
    ),
    (
        "sku.retired",
        "a retired Enterprise cache cannot be converted: create an Azure Managed Redis cache",
    ),
    (
        "vault.name_mismatch",
        "the input describes another vault than the key's: an input mistake",
    ),
    (
        "document.value_invalid",
        "a value in the document is of the wrong type: the finding names what the API accepts",
    ),
];

/// Every error code that a configuration change can fix shows its fix in at least one vector.
#[test]
fn every_fixable_error_has_a_vector_with_its_fix() {
    let mut fixed = BTreeSet::new();
    for path in vector_files() {
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for v in doc["vectors"].as_array().into_iter().flatten() {
            for f in v
                .get("expected")
                .and_then(|e| e["findings"].as_array())
                .into_iter()
                .flatten()
            {
                let has_commands = f["fix"]["commands"]
                    .as_array()
                    .is_some_and(|c| !c.is_empty());
                if has_commands {
                    fixed.insert(f["code"].as_str().unwrap_or("").to_owned());
                }
            }
        }
    }
    let missing: Vec<String> = amr_cmk::rules()
        .into_iter()
        .filter(|r| r.severity == amr_cmk::Severity::Error)
        .map(|r| r.code.to_owned())
        .filter(|c| !fixed.contains(c) && !NO_FIX.iter().any(|(n, _)| n == c))
        .collect();
    assert!(
        missing.is_empty(),
        "error codes without a vector showing their fix: {missing:?}"
    );
}
