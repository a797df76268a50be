#![no_main]
//! The JSON API (what every binding calls) on arbitrary function index + text: always answers JSON.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let functions = amr_cmk::json_api::FUNCTIONS;
    let function = functions[usize::from(selector) % functions.len()];
    if let Ok(args) = std::str::from_utf8(rest) {
        let answer = amr_cmk::json_api::call(function, args);
        let v: serde_json::Value = serde_json::from_str(&answer).expect("always JSON");
        assert!(v.get("ok").is_some() || v.get("error").is_some());
    }
});
