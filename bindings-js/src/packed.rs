//! The packed fast path of `parseKeyUri` (both targets; `node.rs` and `wasm.rs` export it).
//!
//! A parsed key identifier crosses to JS as one number that says where its parts are in the canonical URI: the
//! core's [`KeyId::spans`], packed as [`LAYOUT`] says. The wrapper (`keyOf` in `js/api.mjs`) builds the plain
//! object from slices of the URI string it already holds. Nothing here knows the URI's grammar: a key whose
//! spans do not fit the layout packs to nothing, and the wrapper takes the JSON path.

use amr_cmk::{Cloud, KeyId, VaultKind};

/// The fields of a packed key, from bit 0 up: name and width in bits. `PACKED_LAYOUT` in `js/api.mjs` is the
/// same constant (`test/api.test.mjs` checks it, and the wrapper takes the fast path only when
/// `parseKeyUriLayout()` gives its own layout). With `uri` the canonical URI:
///
/// | field | meaning |
/// |---|---|
/// | `vaultUrlEnd` | `vaultUrl` is `uri[0..vaultUrlEnd]` |
/// | `vaultNameStart`, `vaultNameEnd` | `vaultName` is `uri[vaultNameStart..vaultNameEnd]` |
/// | `keyNameStart`, `keyNameEnd` | `keyName` is `uri[keyNameStart..keyNameEnd]` |
/// | `versionStart` | `version` is `uri[versionStart..]`, or null when that is empty |
/// | `cloud`, `vaultKind` | indices in `clouds` and `vaultKinds` ([`Cloud::ALL`], [`VaultKind::ALL`]) |
pub const LAYOUT: [(&str, u32); 8] = [
    ("vaultUrlEnd", 8),
    ("vaultNameStart", 8),
    ("vaultNameEnd", 8),
    ("keyNameStart", 8),
    ("keyNameEnd", 8),
    ("versionStart", 8),
    ("cloud", 2),
    ("vaultKind", 1),
];

/// A packed key is below 2^53, so JS numbers (and `f64`) hold it exactly.
const _: () = {
    let mut bits = 0;
    let mut i = 0;
    while i < LAYOUT.len() {
        bits += LAYOUT[i].1;
        i += 1;
    }
    assert!(bits <= 53);
};

/// The key as one positive number ([`LAYOUT`]), or `None` when its spans do not fit the layout (a field too
/// wide, a vault URL that is not a prefix or a version that is not a suffix of the URI, or a non-ASCII URI: JS
/// slices count UTF-16 code units).
#[must_use]
pub fn pack(key: &KeyId) -> Option<f64> {
    let uri = key.uri();
    let spans = key.spans();
    if !uri.is_ascii() || spans.vault_url.start != 0 {
        return None;
    }
    let version_start = match spans.version {
        None => uri.len(),
        Some(v) if v.end == uri.len() && !v.is_empty() => v.start,
        Some(_) => return None,
    };
    let cloud = Cloud::ALL.iter().position(|c| *c == key.cloud())?;
    let vault_kind = VaultKind::ALL.iter().position(|k| *k == key.vault_kind())?;
    // In LAYOUT order.
    let values = [
        spans.vault_url.end,
        spans.vault_name.start,
        spans.vault_name.end,
        spans.key_name.start,
        spans.key_name.end,
        version_start,
        cloud,
        vault_kind,
    ];
    let mut packed = 0u64;
    let mut bit = 0;
    for ((_, width), value) in LAYOUT.iter().zip(values) {
        let value = u64::try_from(value).ok()?;
        if value >> width != 0 {
            return None;
        }
        packed |= value << bit;
        bit += width;
    }
    // Exact: below 2^53 (checked above at compile time).
    (packed > 0).then_some(packed as f64)
}

/// [`LAYOUT`] and the tables its indices point into, as JSON text:
/// `{"fields":[["vaultUrlEnd",8],...],"clouds":["public",...],"vaultKinds":["vault",...]}` (the strings as the
/// core writes them).
#[must_use]
pub fn layout_json() -> String {
    let quoted = |names: &mut dyn Iterator<Item = String>| names.collect::<Vec<_>>().join(",");
    format!(
        "{{\"fields\":[{}],\"clouds\":[{}],\"vaultKinds\":[{}]}}",
        quoted(&mut LAYOUT.iter().map(|(n, w)| format!("[\"{n}\",{w}]"))),
        quoted(&mut Cloud::ALL.iter().map(|c| format!("\"{}\"", c.as_str()))),
        quoted(&mut VaultKind::ALL.iter().map(|k| format!("\"{}\"", k.as_str()))),
    )
}

/// The answer to `parseKeyUriPacked(uri)` (see `node.rs` and `wasm.rs` for how each target returns it).
#[derive(Debug, PartialEq)]
pub enum Packed {
    /// The key as [`pack`] packs it, when its canonical URI is `uri` itself (the wrapper slices the string it
    /// already has); 0 when it cannot be packed (the wrapper takes the JSON path).
    Number(f64),
    /// The error ([`error_text`]: starts with a newline or `{`), or the canonical URI when it differs from
    /// `uri` (the wrapper packs that).
    Text(String),
}

/// Parses `uri` once and says what the wrapper needs ([`Packed`]).
#[must_use]
pub fn parse_packed(uri: &str) -> Packed {
    match amr_cmk::parse_key_uri(uri) {
        Ok(key) if key.uri() == uri => Packed::Number(pack(&key).unwrap_or(0.0)),
        Ok(key) if pack(&key).is_some() => Packed::Text(key.into_uri()),
        Ok(_) => Packed::Number(0.0),
        Err(e) => Packed::Text(error_text(&e.into())),
    }
}

/// An error for the wrapper without building a JSON document for it, nor asking it to parse one:
/// `"\n{kind}\n{code}\n{message}"` and, for each parameter in the JSON API's order (its `params` object, same
/// keys in the same order), `"\n{name}\n"` and its value: `s` and the string as is, or `n` and the number as
/// JSON writes it. When that would not split back into the same parts (a newline in the message or a value, a
/// kind, code or parameter name that is not a plain word or is `__proto__`, a value neither string nor number:
/// none is), the JSON API's error object as JSON text instead (it starts with `{`).
#[must_use]
pub fn error_text(e: &amr_cmk::Error) -> String {
    use std::fmt::Write;
    let plain = |s: &str| {
        !s.is_empty()
            && s != "__proto__"
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    let params = e.params();
    let (kind, code) = (e.kind(), e.code());
    let mut out = String::with_capacity(200);
    for part in ["\n", kind, "\n", code, "\n"] {
        out.push_str(part);
    }
    let message_start = out.len();
    // Writing to a String cannot fail.
    let _ = write!(out, "{e}");
    if !plain(kind)
        || !plain(code)
        || out.get(message_start..).is_none_or(|m| m.contains('\n'))
        || !params.iter().all(|(k, v)| {
            plain(k)
                && match v {
                    amr_cmk::Param::Str(s) => !s.contains('\n'),
                    amr_cmk::Param::Int(_) => true,
                    amr_cmk::Param::Null | amr_cmk::Param::List(_) => false,
                }
        })
    {
        return e.to_json_value().to_string();
    }
    for (k, v) in params.iter() {
        for part in ["\n", k, "\n"] {
            out.push_str(part);
        }
        match v {
            amr_cmk::Param::Str(s) => {
                out.push('s');
                out.push_str(s);
            }
            amr_cmk::Param::Int(n) => {
                let _ = write!(out, "n{n}");
            }
            // Refused above: only strings and integers come here.
            amr_cmk::Param::Null | amr_cmk::Param::List(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the JS wrapper (`keyOf`) does with a packed number, by the layout: the fields by name.
    fn fields(p: f64) -> std::collections::HashMap<&'static str, usize> {
        let mut p = p as u64;
        let mut out = std::collections::HashMap::new();
        for (name, width) in LAYOUT {
            out.insert(name, usize::try_from(p & ((1 << width) - 1)).unwrap());
            p >>= width;
        }
        assert_eq!(p, 0);
        out
    }

    /// `keyOf` in js/api.mjs, in Rust: the parts as slices of `uri`.
    fn unpack(uri: &str, p: f64) -> [Option<String>; 6] {
        let f = fields(p);
        let version_start = f["versionStart"];
        [
            Some(Cloud::ALL[f["cloud"]].as_str().to_owned()),
            Some(VaultKind::ALL[f["vaultKind"]].as_str().to_owned()),
            Some(uri[f["vaultNameStart"]..f["vaultNameEnd"]].to_owned()),
            Some(uri[..f["vaultUrlEnd"]].to_owned()),
            Some(uri[f["keyNameStart"]..f["keyNameEnd"]].to_owned()),
            (version_start < uri.len()).then(|| uri[version_start..].to_owned()),
        ]
    }

    #[test]
    fn packed_keys_slice_into_the_core_parts() {
        for (suffix, _, _) in amr_cmk::key_uri::HOST_SUFFIXES {
            for (name, tail) in [
                ("my-key", ""),
                ("my-key", "/0123456789abcdef0123456789abcdef"),
                (&*"k".repeat(127), "/0123456789abcdef0123456789abcdef"),
            ] {
                let uri = format!("https://kv-1.{suffix}/keys/{name}{tail}");
                let key = amr_cmk::parse_key_uri(&uri).unwrap();
                let p = pack(&key).unwrap();
                assert!(
                    p > 0.0 && p < 2f64.powi(53) && p.fract() == 0.0,
                    "{uri}: {p}"
                );
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

    /// `errorFromText` in js/api.mjs, in Rust: the JSON API's error object.
    fn error_of(text: &str) -> serde_json::Value {
        if !text.starts_with('\n') {
            return serde_json::from_str(text).unwrap();
        }
        let parts: Vec<&str> = text.split('\n').collect();
        assert_eq!(parts.len() % 2, 0, "{text}");
        let mut params = serde_json::Map::new();
        for pair in parts[4..].chunks(2) {
            let value = match pair[1].split_at(1) {
                ("s", s) => serde_json::Value::String(s.to_owned()),
                ("n", n) => serde_json::from_str(n).unwrap(),
                _ => panic!("{text}"),
            };
            params.insert(pair[0].to_owned(), value);
        }
        serde_json::json!({"code": parts[2], "kind": parts[1], "message": parts[3], "params": params})
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
            "https://kv-1.vault.azure.net/keys/k/\n".to_owned(),
            "ht\ntp://kv-1.vault.azure.net/keys/k".to_owned(),
            "https://kv-1.vault.azure.net/keys/k_1\n/0123456789abcdef0123456789abcdef".to_owned(),
            "https://kv-1.vault.azure.net/keys/k/é".to_owned(),
        ];
        let mut compact = 0;
        for input in inputs {
            let e = amr_cmk::Error::from(amr_cmk::parse_key_uri(&input).unwrap_err());
            let text = error_text(&e);
            compact += usize::from(text.starts_with('\n'));
            // The same object, keys in the same order (serde_json's Map is ordered like the core's params).
            assert_eq!(
                error_of(&text).to_string(),
                e.to_json_value().to_string(),
                "{text}"
            );
        }
        assert!(compact >= 7, "{compact}");
        // A newline in a value (no parse error has one): the JSON text.
        let e = amr_cmk::Error::from(amr_cmk::KeyUriError::NotHttps {
            scheme: "a\nb".to_owned(),
        });
        let text = error_text(&e);
        assert!(text.starts_with('{'), "{text}");
        assert_eq!(error_of(&text), e.to_json_value());
    }

    #[test]
    fn parse_packed_gives_numbers_canonical_uris_or_errors() {
        let canonical = "https://kv-1.vault.azure.net/keys/k";
        let key = amr_cmk::parse_key_uri(canonical).unwrap();
        assert_eq!(parse_packed(canonical), Packed::Number(pack(&key).unwrap()));
        assert_eq!(
            parse_packed("https://KV-1.vault.azure.net/keys/k"),
            Packed::Text(canonical.to_owned())
        );
        assert_eq!(
            parse_packed("http://kv-1.vault.azure.net/keys/k"),
            Packed::Text(
                "\nkeyUri\nkey_uri.not_https\n\
                 the key identifier uses the scheme 'http'; Key Vault key URIs use https\nscheme\nshttp"
                    .to_owned()
            )
        );
        assert_eq!(
            layout_json(),
            r#"{"fields":[["vaultUrlEnd",8],["vaultNameStart",8],["vaultNameEnd",8],["keyNameStart",8],["keyNameEnd",8],["versionStart",8],["cloud",2],["vaultKind",1]],"clouds":["public","china","usgov"],"vaultKinds":["vault","managedHsm"]}"#
        );
    }
}
