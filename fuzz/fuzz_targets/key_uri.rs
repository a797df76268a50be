#![no_main]
//! parse_key_uri on arbitrary bytes: never panics; an accepted key's canonical URI parses to the same key, and
//! its parts are the slices of that URI they claim to be.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(key) = amr_cmk::parse_key_uri(s) {
            let again = amr_cmk::parse_key_uri(key.uri()).expect("canonical URI parses");
            assert_eq!(again, key);
            let host = key.vault_url().strip_prefix("https://").expect("https vault URL");
            assert!(!host.contains(['@', ':', '?', '#', '%', '/']));
            assert!(host.starts_with(key.vault_name()));
            let mut canonical = format!("{}/keys/{}", key.vault_url(), key.key_name());
            if let Some(v) = key.version() {
                canonical.push('/');
                canonical.push_str(v);
            }
            assert_eq!(canonical, key.uri());
        }
    }
});
