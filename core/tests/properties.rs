//! Property tests: never a panic; canonical round trips; no host spoofing by prefix or suffix; case never
//! changes a verdict.

use amr_cmk::{json_api, parse_identity_id, parse_key_uri, validate_value};
use proptest::prelude::*;
use serde_json::Value;

const SUFFIXES: &[&str] = &[
    "vault.azure.net",
    "managedhsm.azure.net",
    "vault.azure.cn",
    "managedhsm.azure.cn",
    "vault.usgovcloudapi.net",
    "managedhsm.usgovcloudapi.net",
];

fn vault_name() -> impl Strategy<Value = String> {
    "[a-zA-Z]([a-zA-Z0-9]|-[a-zA-Z0-9]){1,11}".prop_filter("3-24", |s| (3..=24).contains(&s.len()))
}

fn key_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9-]{1,40}"
}

fn version() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[0-9a-fA-F]{32}")
}

fn valid_uri() -> impl Strategy<Value = String> {
    (
        vault_name(),
        prop::sample::select(SUFFIXES),
        key_name(),
        version(),
    )
        .prop_map(|(v, s, k, ver)| match ver {
            Some(ver) => format!("https://{v}.{s}/keys/{k}/{ver}"),
            None => format!("https://{v}.{s}/keys/{k}"),
        })
}

fn flip_case(s: &str, mask: &[bool]) -> String {
    s.chars()
        .zip(mask.iter().cycle())
        .map(|(c, up)| {
            if *up {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
        prop::sample::select(vec![
            "https://contoso.vault.azure.net/keys/k",
            "Balanced_B10",
            "eastus",
            "userAssignedIdentity",
            "systemAssignedIdentity",
            "customerManaged",
            "2026-11-27T00:00:00Z",
            "Deny",
            "RSA",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop::sample::select(vec![
        "cache",
        "encryption",
        "customerManagedKeyEncryption",
        "keyEncryptionKeyUrl",
        "keySelection",
        "vault",
        "key",
        "identity",
        "roleAssignments",
        "sku",
        "location",
        "now",
        "kty",
        "keyOps",
        "exp",
        "nbf",
        "keyEncryptionKeyIdentity",
        "identityType",
        "userAssignedIdentityResourceId",
        "networkAcls",
        "x",
    ]);
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parse_key_uri_never_panics(s in ".{0,300}") {
        let _ = parse_key_uri(&s);
    }

    #[test]
    fn parse_key_uri_never_panics_on_uri_like_input(s in "(https?|HTTPS|ftp)?:?/{0,3}[a-z.@:%?#/\\\\-]{0,60}(vault\\.azure\\.net)?[/a-zA-Z0-9.%?#@:-]{0,80}") {
        let _ = parse_key_uri(&s);
    }

    #[test]
    fn parse_identity_id_never_panics(s in ".{0,300}") {
        let _ = parse_identity_id(&s);
    }

    #[test]
    fn canonical_round_trip(uri in valid_uri()) {
        let key = parse_key_uri(&uri).expect("generated URI is valid");
        let again = parse_key_uri(key.uri()).expect("canonical URI parses");
        prop_assert_eq!(&again, &key);
        prop_assert_eq!(again.uri(), key.uri());
    }

    #[test]
    fn appended_host_text_is_rejected(v in vault_name(), s in prop::sample::select(SUFFIXES), tail in "[a-z0-9.:-]{1,12}") {
        let uri = format!("https://{v}.{s}{tail}/keys/cmk");
        prop_assert!(parse_key_uri(&uri).is_err(), "{} accepted", uri);
    }

    #[test]
    fn prepended_labels_are_rejected(label in "[a-z0-9-]{1,12}", v in vault_name(), s in prop::sample::select(SUFFIXES)) {
        let uri = format!("https://{label}.{v}.{s}/keys/cmk");
        prop_assert!(parse_key_uri(&uri).is_err(), "{} accepted", uri);
    }

    #[test]
    fn host_case_never_changes_the_verdict(uri in valid_uri(), mask in prop::collection::vec(any::<bool>(), 1..16)) {
        let host_end = uri[8..].find('/').map_or(uri.len(), |i| i + 8);
        let flipped = format!("{}{}", flip_case(&uri[..host_end], &mask), &uri[host_end..]);
        prop_assert_eq!(parse_key_uri(&flipped), parse_key_uri(&uri));
    }

    #[test]
    fn identity_segment_case_never_changes_the_verdict(
        name in "[a-zA-Z0-9][a-zA-Z0-9_-]{2,30}",
        rg in "[a-zA-Z0-9_().-]{0,20}[a-zA-Z0-9]",
        mask in prop::collection::vec(any::<bool>(), 1..16),
    ) {
        let sub = "6f1c0a9e-3a54-4c1b-9d2e-0c1f5b7a9e11";
        let id = format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}");
        let flipped = format!(
            "/{}/{}/{}/{rg}/{}/{}/{}/{name}",
            flip_case("subscriptions", &mask),
            flip_case(sub, &mask),
            flip_case("resourceGroups", &mask),
            flip_case("providers", &mask),
            flip_case("Microsoft.ManagedIdentity", &mask),
            flip_case("userAssignedIdentities", &mask),
        );
        let a = parse_identity_id(&id).expect("generated ID is valid");
        let b = parse_identity_id(&flipped).expect("case-flipped ID is valid");
        prop_assert_eq!(a.comparison_key(), b.comparison_key());
    }

    #[test]
    fn validate_never_panics(v in json_value()) {
        let _ = validate_value(&v);
        let _ = json_api::call("validate", &v.to_string());
    }

    #[test]
    fn json_api_never_panics(f in prop::sample::select(json_api::FUNCTIONS), args in ".{0,64}") {
        let answer = json_api::call(f, &args);
        let parsed: Value = serde_json::from_str(&answer).expect("always JSON");
        prop_assert!(parsed.get("ok").is_some() || parsed.get("error").is_some());
    }
}
