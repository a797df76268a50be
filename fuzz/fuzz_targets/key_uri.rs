#![no_main]
//! parse_key_uri on arbitrary bytes: never panics; an accepted key's canonical URI parses to the same key.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(key) = amr_cmk::parse_key_uri(s) {
            let again = amr_cmk::parse_key_uri(&key.uri).expect("canonical URI parses");
            assert_eq!(again, key);
            assert!(key.vault_url.starts_with("https://"));
            assert!(!key.vault_url.contains(['@', ':', '?', '#', '%']) || key.vault_url.starts_with("https://"));
        }
    }
});
