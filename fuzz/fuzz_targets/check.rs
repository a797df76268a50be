#![no_main]
//! The input adapters (`check`: ARM templates, az output, SDK dicts, Terraform plans, the model) on arbitrary
//! text, with each format forced and detected: never panics; a result always serialises.
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Option<&str>] = &[None, Some("arm"), Some("az"), Some("terraformPlan"), Some("sdk"), Some("model")];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let Ok(document) = serde_json::from_str::<serde_json::Value>(text) else { return };
    let mut args = serde_json::Map::new();
    args.insert("document".into(), document);
    if let Some(format) = FORMATS[usize::from(selector) % FORMATS.len()] {
        args.insert("format".into(), format.into());
    }
    let answer = amr_cmk::json_api::call("check", &serde_json::Value::Object(args).to_string());
    let v: serde_json::Value = serde_json::from_str(&answer).expect("always JSON");
    assert!(v.get("ok").is_some() || v.get("error").is_some());
});
