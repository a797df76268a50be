//! The JSON Patch of every finding of a broken ARM fixture, applied together, gives a template that checks with
//! no errors; patch values hold placeholders only where marked.
#![cfg(feature = "templates")]

use std::path::{Path, PathBuf};

use amr_cmk::adapters::{check, CheckOptions};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const NOW: &str = "2026-11-27T00:00:00Z";

fn options() -> CheckOptions {
    CheckOptions {
        now: Some(NOW.into()),
        ..CheckOptions::default()
    }
}

/// Every patch operation of every fix, in report order.
fn all_ops(result: &Value) -> Vec<Value> {
    let mut ops = Vec::new();
    for r in result["reports"].as_array().into_iter().flatten() {
        for f in r["report"]["findings"].as_array().into_iter().flatten() {
            for op in f["fix"]["patch"].as_array().into_iter().flatten() {
                ops.push(op.clone());
            }
        }
    }
    ops
}

fn broken_arm_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/fixtures/arm")).unwrap() {
        let path = entry.unwrap().path();
        // `real/` holds published modules with parameter files (tests/arm_real.rs).
        if path.is_dir() {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let result = check(&doc, &options()).unwrap();
        if !result.valid {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn patched_broken_templates_check_clean() {
    let fixtures = broken_arm_fixtures();
    assert!(!fixtures.is_empty());
    for path in fixtures {
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let result = serde_json::to_value(check(&doc, &options()).unwrap()).unwrap();
        // Every error with a fix carries a patch.
        for r in result["reports"].as_array().unwrap() {
            for f in r["report"]["findings"].as_array().unwrap() {
                if f["severity"] == "error" {
                    let patch = f["fix"]["patch"].as_array();
                    assert!(
                        patch.is_some_and(|p| !p.is_empty()),
                        "{}: {} has no patch",
                        path.display(),
                        f["code"]
                    );
                }
            }
        }
        let ops = all_ops(&result);
        for op in &ops {
            assert!(
                op.get("placeholders").is_none() && !op.to_string().contains("<"),
                "{}: a placeholder in {op}",
                path.display()
            );
        }
        amr_cmk::patch::apply(&mut doc, &ops).unwrap();
        let after = check(&doc, &options()).unwrap();
        let left: Vec<String> = after
            .reports
            .iter()
            .flat_map(|r| {
                r.report
                    .errors()
                    .map(|f| format!("{} at {}", f.code, f.path))
            })
            .collect();
        assert!(
            left.is_empty(),
            "{}: still {left:?}\n{}",
            path.display(),
            serde_json::to_string_pretty(&ops).unwrap()
        );
        assert!(after.valid);
    }
}
