//! A plain loop over one workload, for instruction counts under callgrind (stable on a noisy machine):
//! `valgrind --tool=callgrind <bench binary> parse[:category]|validate|json_validate [iterations]`. Without arguments
//! (as `cargo bench` runs it) it does nothing.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use serde_json::Value;

fn read_json(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let Some(what) = args.next() else { return };
    let n: usize = args.next().map_or(1000, |s| s.parse().unwrap());
    let doc = read_json("../bench/inputs.json");
    // `parse:<category>` keeps one category of the mix (`versioned`, `invalid`, ...).
    let (what, category) = match what.split_once(':') {
        Some((w, c)) => (w.to_owned(), Some(c.to_owned())),
        None => (what, None),
    };
    let ids: Vec<String> = doc["ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| category.as_deref().is_none_or(|c| x["category"] == c))
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect();
    let name = doc["validate"].as_str().unwrap();
    let vectors = read_json("../tests/conformance/validate.json");
    let input = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()["input"]
        .clone();
    let text = input.to_string();
    let cfg = amr_cmk::Config::from_value(&input).unwrap();
    for _ in 0..n {
        match what.as_str() {
            "parse" => {
                for id in &ids {
                    let _ = black_box(amr_cmk::parse_key_uri(black_box(id)));
                }
            }
            "validate" => {
                black_box(amr_cmk::validate(black_box(&cfg)));
            }
            "json_validate" => {
                black_box(amr_cmk::json_api::call("validate", black_box(&text)));
            }
            other => panic!("unknown workload {other}"),
        }
    }
}
