//! The HCL reader on real azurerm documentation examples and variations of them.

use serde_json::{json, Value};

fn fixture(path: &str) -> String {
    let p = format!("{}/../tests/fixtures/terraform/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn check(files: &[(&str, &str)]) -> Value {
    let files: serde_json::Map<String, Value> = files
        .iter()
        .map(|(n, t)| ((*n).to_owned(), Value::String((*t).to_owned())))
        .collect();
    let out = amr_cmk::json_api::call(
        "check",
        &json!({"files": files, "now": "2026-12-01T00:00:00Z"}).to_string(),
    );
    serde_json::from_str(&out).unwrap_or(Value::Null)
}

fn findings(v: &Value) -> Vec<(String, String, Value)> {
    v["result"]["reports"][0]["report"]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap_or("").to_owned(),
                        f["severity"].as_str().unwrap_or("").to_owned(),
                        f["line"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn dump() {
    let main = fixture("real/managed-redis-cmk/main.tf");
    let v = check(&[("main.tf", &main)]);
    println!("{}", serde_json::to_string_pretty(&v).unwrap());
    println!("{:?}", findings(&v));
}
