//! Prints the JSON API's function table (`amr_cmk::json_api::TABLE`) as JSON:
//! `[{"name": "parseKeyUri", "arg": "string", "templates": false}, ...]`, every row whatever the features.
//!
//! The JS build writes its entry files from it (`make` runs this into `bindings-js/js/functions.json`, then
//! `scripts/gen-js-entries.mjs`). Run: `cargo run -q -p amr-cmk --example function_table`
#![allow(clippy::print_stdout)]

fn main() -> Result<(), serde_json::Error> {
    println!(
        "{}",
        serde_json::to_string_pretty(amr_cmk::json_api::TABLE)?
    );
    Ok(())
}
