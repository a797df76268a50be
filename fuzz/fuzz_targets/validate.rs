#![no_main]
//! validate_json on arbitrary text: never panics; a report always serialises and agrees with its summary. The
//! typed reader (`Config::from_json`) agrees with `parse_document` + `Config::from_value` (result or error), and
//! the report's direct JSON with the `Value` route.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let by_value = amr_cmk::input::parse_document(s)
            .and_then(|v| amr_cmk::Config::from_value(&v));
        assert_eq!(amr_cmk::Config::from_json(s), by_value, "{s}");
        if let Ok(report) = amr_cmk::validate_json(s) {
            assert_eq!(report.valid, report.errors().next().is_none());
            let _: serde_json::Value = serde_json::from_str(&report.to_json()).expect("report JSON");
            let via_value = serde_json::to_string(&serde_json::to_value(&report).expect("value"));
            assert_eq!(report.to_json(), via_value.expect("text"));
        }
    }
});
