#![no_main]
//! validate_json on arbitrary text: never panics; a report always serialises and agrees with its summary.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(report) = amr_cmk::validate_json(s) {
            assert_eq!(report.valid, report.errors().next().is_none());
            let _: serde_json::Value = serde_json::from_str(&report.to_json()).expect("report JSON");
        }
    }
});
