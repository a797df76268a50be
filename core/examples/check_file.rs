//! Checks one file with the CLI's code path and prints stage timings to standard error: for the fleet
//! benchmarks (`make bench-fleet` measures its peak memory with `/usr/bin/time -v`) and for profiling.
//!
//! Run: `cargo run --release -p amr-cmk --example check_file -- FILE [text|json|sarif|none]` (`CHECK_FILE_OUT=OUT`
//! writes the rendered output to OUT; `CHECK_FILE_STAGES=1` prints memory after parsing and after the check).
#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: check_file FILE [text|json|sarif|none]");
        std::process::exit(2);
    };
    let render = args.get(1).map_or("none", String::as_str);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let options = amr_cmk::adapters::CheckOptions {
        now: Some("2026-11-27T00:00:00Z".into()),
        ..Default::default()
    };
    let start = Instant::now();
    if std::env::var_os("CHECK_FILE_STAGES").is_some() {
        let doc = amr_cmk::input::parse_document(&text);
        eprintln!(
            "parsed in {:.3} s, {}",
            start.elapsed().as_secs_f64(),
            rss()
        );
        drop(doc);
    }
    let start = Instant::now();
    let result = match amr_cmk::adapters::check_json(&text, &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let checked = start.elapsed();
    if std::env::var_os("CHECK_FILE_STAGES").is_some() {
        eprintln!("checked, {}", rss());
    }
    let caches = result.reports.len();
    let failing = result.reports.iter().filter(|r| !r.report.valid).count();
    let mut rendered = 0;
    if let Some(format) = amr_cmk::render::RenderFormat::parse(render) {
        let value = serde_json::to_value(&result).unwrap_or_default();
        let out = amr_cmk::render::render(&value, format, false, Some(path), Some(&text));
        let out = out.unwrap_or_default();
        rendered = out.len();
        // CHECK_FILE_OUT=FILE: the rendered output too (to compare two builds).
        if let Some(file) = std::env::var_os("CHECK_FILE_OUT") {
            if let Err(e) = std::fs::write(&file, &out) {
                eprintln!("{}: {e}", file.to_string_lossy());
            }
        }
    }
    eprintln!(
        "{caches} caches, {failing} failing; check {:.3} s, total {:.3} s, {rendered} bytes rendered",
        checked.as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
}

/// The process's resident and peak memory (Linux `/proc/self/status`), for the stage timings.
fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}
