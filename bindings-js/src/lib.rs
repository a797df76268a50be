//! JavaScript bindings of [`amr_cmk`]: conversion only, no rules.
//!
//! One crate, two targets, picked by `cfg(target_arch = "wasm32")`:
//! - native: a Node-API addon (`napi`), packaged as npm `amr-cmk`;
//! - wasm32: a `wasm-bindgen` module, packaged as npm `amr-cmk-wasm`.
//!
//! The exports, wrapped by the hand-written `js/api.mjs` (the public API of both npm packages):
//! - `call(function, argsJson) -> string`: [`amr_cmk::json_api::call`], JSON text in and out;
//! - `parseKeyUriPacked(uri)` (both targets) and `parseKeyUriText()` (wasm): the parsed key identifier as
//!   one number that describes where its parts are in the canonical URI ([`pack_key`]); the wrapper builds the
//!   plain object from slices of that string. `parseKeyUriLayout()` gives the tables to read the number
//!   ([`packed_layout_json`]). The wrapper checks at load time, and the JS tests over every conformance vector
//!   and the benchmark mix, that these answer exactly as `call("parseKeyUri", ...)`.

#[cfg(not(target_arch = "wasm32"))]
pub mod node;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use amr_cmk::{Cloud, KeyId, VaultKind};

/// The clouds in the order of their index in a packed key identifier ([`pack_key`]).
const PACKED_CLOUDS: [Cloud; 3] = [Cloud::Public, Cloud::China, Cloud::Usgov];
/// The vault kinds in the order of their index in a packed key identifier ([`pack_key`]).
const PACKED_VAULT_KINDS: [VaultKind; 2] = [VaultKind::Vault, VaultKind::ManagedHsm];
/// Where the vault name starts in the canonical URI (after `https://`).
const PACKED_NAME_START: usize = "https://".len();
/// Bytes between the end of the vault URL and the start of the key name (`/keys/`).
const PACKED_KEY_GAP: usize = "/keys/".len();
/// Bits per offset in a packed key identifier: offsets up to 511 (key identifiers are at most 256 bytes).
const OFFSET_BITS: u32 = 9;
const OFFSET_MAX: usize = (1 << OFFSET_BITS) - 1;

/// A parsed key identifier as one positive number below 2^30 (a small integer for V8, no heap number), or 0
/// when it cannot be described this way (then the wrapper takes the JSON path). With `uri` the canonical URI:
///
/// | bits | value |
/// |---|---|
/// | 0..9 | `name_end`: `vaultName` is `uri[nameStart..name_end]` |
/// | 9..18 | `host_end`: `vaultUrl` is `uri[..host_end]` |
/// | 18..27 | `key_end`: `keyName` is `uri[host_end + keyGap..key_end]`; `version` is `uri[key_end + 1..]`, or null when `key_end` is the length |
/// | 27..29 | the cloud's index in `clouds` |
/// | 29 | the vault kind's index in `vaultKinds` |
///
/// `nameStart`, `keyGap`, `clouds` and `vaultKinds` are in [`packed_layout_json`]. Every slice is checked here
/// against the core's accessor, so a number is only given when the slices are exactly the core's parts.
#[must_use]
pub fn pack_key(key: &KeyId) -> i32 {
    pack_key_checked(key).unwrap_or(0)
}

fn pack_key_checked(key: &KeyId) -> Option<i32> {
    let uri = key.uri();
    let name_end = PACKED_NAME_START.checked_add(key.vault_name().len())?;
    let host_end = key.vault_url().len();
    let key_start = host_end.checked_add(PACKED_KEY_GAP)?;
    let key_end = key_start.checked_add(key.key_name().len())?;
    // JS slices count UTF-16 code units: equal to bytes for ASCII only.
    let same_parts = uri.is_ascii()
        && uri.get(PACKED_NAME_START..name_end) == Some(key.vault_name())
        && uri.get(..host_end) == Some(key.vault_url())
        && uri.get(key_start..key_end) == Some(key.key_name())
        && match key.version() {
            Some(v) => !v.is_empty() && uri.get(key_end.checked_add(1)?..) == Some(v),
            None => key_end == uri.len(),
        };
    let cloud = PACKED_CLOUDS.iter().position(|c| *c == key.cloud())?;
    let kind = PACKED_VAULT_KINDS
        .iter()
        .position(|k| *k == key.vault_kind())?;
    if !same_parts
        || name_end == 0
        || name_end > OFFSET_MAX
        || host_end > OFFSET_MAX
        || key_end > OFFSET_MAX
    {
        return None;
    }
    let packed = name_end
        | host_end << OFFSET_BITS
        | key_end << (2 * OFFSET_BITS)
        | cloud << (3 * OFFSET_BITS)
        | kind << (3 * OFFSET_BITS + 2);
    i32::try_from(packed).ok()
}

/// The tables to read a packed key identifier ([`pack_key`]), as JSON text:
/// `{"nameStart","keyGap","clouds":[...],"vaultKinds":[...]}` (the strings as the core writes them).
#[must_use]
pub fn packed_layout_json() -> String {
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    let clouds: Vec<&str> = PACKED_CLOUDS.iter().map(|c| c.as_str()).collect();
    let kinds: Vec<&str> = PACKED_VAULT_KINDS.iter().map(|k| k.as_str()).collect();
    format!(
        "{{\"nameStart\":{PACKED_NAME_START},\"keyGap\":{PACKED_KEY_GAP},\"clouds\":[{}],\"vaultKinds\":[{}]}}",
        quoted(&clouds),
        quoted(&kinds)
    )
}

/// The answer to `parseKeyUriPacked(uri)` (both targets; see `node.rs` and `wasm.rs` for how each returns it).
#[derive(Debug, PartialEq, Eq)]
pub enum Packed {
    /// The key as [`pack_key`] packs it, when its canonical URI is `uri` itself (the wrapper slices the string
    /// it already has); 0 when it cannot be packed (the wrapper takes the JSON path).
    Number(i32),
    /// The error ([`error_text`]: starts with a newline or `{`), or the canonical URI when it differs from
    /// `uri` (the wrapper packs that).
    Text(String),
}

/// Parses `uri` once and says what the wrapper needs ([`Packed`]).
#[must_use]
pub fn parse_packed(uri: &str) -> Packed {
    match amr_cmk::parse_key_uri(uri) {
        Ok(key) if key.uri() == uri => Packed::Number(pack_key(&key)),
        Ok(key) if pack_key(&key) != 0 => Packed::Text(key.into_uri()),
        Ok(_) => Packed::Number(0),
        Err(e) => Packed::Text(error_text(&e.into())),
    }
}

/// An error for the wrapper without building a JSON document for it: `"\n{kind}\n{code}\n{params}\n{message}"`,
/// `params` as JSON text (the JSON API's `params` object, same keys in the same order) and the message as is, to
/// the end of the string. When a kind, code or parameter name would need JSON escaping (none does), the JSON
/// API's error object as JSON text instead (it starts with `{`).
#[must_use]
pub fn error_text(e: &amr_cmk::Error) -> String {
    use std::fmt::Write;
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    let params = e.params();
    if !plain(e.kind()) || !plain(e.code()) || !params.keys().all(|k| plain(k)) {
        return e.to_json_value().to_string();
    }
    let mut out = String::with_capacity(160);
    // Writing to a String cannot fail.
    let _ = write!(out, "\n{}\n{}\n{{", e.kind(), e.code());
    for (i, (k, v)) in params.iter().enumerate() {
        let _ = write!(out, "{}\"{k}\":{v}", if i == 0 { "" } else { "," });
    }
    let _ = write!(out, "}}\n{e}");
    out
}

/// The JSON-API call shared by both targets.
#[must_use]
pub fn call_inner(function: &str, args_json: &str) -> String {
    amr_cmk::json_api::call(function, args_json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_answers_json_envelopes() {
        assert_eq!(
            call_inner("version", "null"),
            format!("{{\"ok\":\"{}\"}}", amr_cmk::version())
        );
        assert!(call_inner("nope", "null").contains("input.unknown_function"));
    }

    /// What the JS wrapper does with a packed number: the parts as slices of `uri`.
    fn unpack(uri: &str, p: i32) -> [Option<String>; 6] {
        let p = usize::try_from(p).unwrap();
        let (name_end, host_end, key_end) = (p & 511, (p >> 9) & 511, (p >> 18) & 511);
        [
            Some(PACKED_CLOUDS[(p >> 27) & 3].as_str().to_owned()),
            Some(PACKED_VAULT_KINDS[(p >> 29) & 1].as_str().to_owned()),
            Some(uri[PACKED_NAME_START..name_end].to_owned()),
            Some(uri[..host_end].to_owned()),
            Some(uri[host_end + PACKED_KEY_GAP..key_end].to_owned()),
            (key_end < uri.len()).then(|| uri[key_end + 1..].to_owned()),
        ]
    }

    #[test]
    fn packed_keys_slice_into_the_core_parts() {
        for (suffix, cloud, kind) in amr_cmk::key_uri::HOST_SUFFIXES {
            assert!(PACKED_CLOUDS.contains(cloud) && PACKED_VAULT_KINDS.contains(kind));
            for tail in ["", "/0123456789abcdef0123456789abcdef"] {
                let uri = format!("https://kv-1.{suffix}/keys/my-key{tail}");
                let key = amr_cmk::parse_key_uri(&uri).unwrap();
                let p = pack_key(&key);
                assert!(p > 0 && p < 1 << 30, "{uri}: {p}");
                assert_eq!(
                    unpack(key.uri(), p),
                    [
                        Some(key.cloud().as_str().to_owned()),
                        Some(key.vault_kind().as_str().to_owned()),
                        Some(key.vault_name().to_owned()),
                        Some(key.vault_url().to_owned()),
                        Some(key.key_name().to_owned()),
                        key.version().map(str::to_owned),
                    ],
                    "{uri}"
                );
            }
        }
    }

    #[test]
    fn error_text_has_the_json_api_error_parts() {
        let inputs = [
            String::new(),
            "x".repeat(300),
            "https://kv-1.vault.azure.net/keys/k\"\\\u{1}/v".to_owned(),
            "https://kv-1.vault.azure.net/keys/k/nothex".to_owned(),
            "https://x.example.com/keys/k".to_owned(),
            "https://a.vault.azure.net/keys/k".to_owned(),
            "https://kv-1.vault.azure.net:443/keys/k".to_owned(),
        ];
        for input in inputs {
            let e = amr_cmk::Error::from(amr_cmk::parse_key_uri(&input).unwrap_err());
            let text = error_text(&e);
            let parts: Vec<&str> = text.splitn(5, '\n').collect();
            assert_eq!(parts[..3], ["", e.kind(), e.code()], "{text}");
            let json = e.to_json_value();
            assert_eq!(parts[3], json["params"].to_string(), "{text}");
            assert_eq!(parts[4], json["message"].as_str().unwrap(), "{text}");
        }
    }

    #[test]
    fn parse_packed_gives_numbers_canonical_uris_or_errors() {
        let canonical = "https://kv-1.vault.azure.net/keys/k";
        let key = amr_cmk::parse_key_uri(canonical).unwrap();
        assert_eq!(parse_packed(canonical), Packed::Number(pack_key(&key)));
        assert!(pack_key(&key) > 0);
        assert_eq!(
            parse_packed("https://KV-1.vault.azure.net/keys/k"),
            Packed::Text(canonical.to_owned())
        );
        assert_eq!(
            parse_packed("http://kv-1.vault.azure.net/keys/k"),
            Packed::Text(
                "\nkeyUri\nkey_uri.not_https\n{\"scheme\":\"http\"}\n\
                 the key identifier uses the scheme 'http'; Key Vault key URIs use https"
                    .to_owned()
            )
        );
        assert_eq!(
            packed_layout_json(),
            r#"{"nameStart":8,"keyGap":6,"clouds":["public","china","usgov"],"vaultKinds":["vault","managedHsm"]}"#
        );
    }
}
