#![no_main]
//! parse_identity_id on arbitrary bytes: never panics; an accepted ID's canonical form parses to the same ID.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(id) = amr_cmk::parse_identity_id(s) {
            let again = amr_cmk::parse_identity_id(&id.id).expect("canonical ID parses");
            assert_eq!(again, id);
        }
    }
});
