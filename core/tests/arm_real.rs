//! The real templates of `tests/fixtures/arm/real/` (Azure Verified Modules as published, see its `SOURCE.md`)
//! with parameter files for a correct and several broken CMK setups: what `check` must say about each.
#![cfg(feature = "templates")]

use std::path::Path;

use amr_cmk::adapters::{check, CheckOptions};
use serde_json::Value;

fn fixture(rel: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/arm/real")
        .join(rel);
    serde_json::from_str(&std::fs::read_to_string(&p).expect("fixture")).expect("JSON")
}

/// The first report of the redis-enterprise module with a parameters file, as JSON.
fn redis(params: &str) -> Value {
    let options = CheckOptions {
        format: None,
        parameters: Some(fixture(&format!(
            "params/redis-enterprise.{params}.parameters.json"
        ))),
        now: Some("2026-11-27T00:00:00Z".into()),
        ..CheckOptions::default()
    };
    let r = check(&fixture("cache-redis-enterprise.main.json"), &options).expect("checks");
    let v = serde_json::to_value(&r).expect("JSON");
    assert_eq!(v["reports"].as_array().map(Vec::len), Some(1));
    v["reports"][0]["report"].clone()
}

fn codes(report: &Value, severity: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == severity)
        .map(|f| {
            format!(
                "{} at {}",
                f["code"].as_str().unwrap_or(""),
                f["path"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn outcome(report: &Value, code: &str) -> String {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["code"] == code)
        .map(|c| c["outcome"].as_str().unwrap_or("").to_owned())
        .unwrap_or_default()
}

#[test]
fn avm_redis_enterprise_with_correct_cmk_parameters() {
    for params in ["cmk", "cmk-version", "role-assignments"] {
        let r = redis(params);
        assert_eq!(codes(&r, "error"), Vec::<String>::new(), "{params}");
        assert_eq!(codes(&r, "warning"), Vec::<String>::new(), "{params}");
        assert_eq!(outcome(&r, "identity.not_attached"), "pass", "{params}");
        assert_eq!(outcome(&r, "identity.missing"), "pass", "{params}");
        assert_eq!(
            outcome(&r, "template.expression_unresolved"),
            "pass",
            "{params}"
        );
        // The vault and the key are `existing`: what they hold is not in the template.
        for code in ["vault.purge_protection_disabled", "key.operations_missing"] {
            assert_eq!(outcome(&r, code), "inconclusive", "{params} {code}");
            let check = r["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["code"] == code)
                .cloned()
                .unwrap_or_default();
            let message = check["message"].as_str().unwrap_or("");
            assert!(message.contains("\"existing\": true"), "{message}");
        }
    }
    // The key URL is versioned: without keyVersion the module takes keyUriWithVersion.
    let r = redis("cmk");
    assert_eq!(outcome(&r, "key_uri.version_missing"), "pass");
}

#[test]
fn avm_redis_enterprise_with_broken_cmk_parameters() {
    let r = redis("identity-missing");
    assert_eq!(
        codes(&r, "error"),
        ["identity.not_attached at /resources/redisCluster/identity"]
    );
    let r = redis("no-identities");
    assert_eq!(
        codes(&r, "error"),
        ["identity.not_attached at /resources/redisCluster/identity"]
    );
    let r = redis("no-cmk-identity");
    assert_eq!(
        codes(&r, "error"),
        ["identity.missing at /resources/redisCluster/properties/encryption"]
    );
    let r = redis("enterprise-sku");
    assert_eq!(
        codes(&r, "error"),
        ["sku.retired at /resources/redisCluster/sku/name"]
    );
}

#[test]
fn other_avm_modules_read_without_a_cache() {
    for module in [
        "key-vault-vault.main.json",
        "key-vault-vault-key.main.json",
        "managed-identity-user-assigned-identity.main.json",
        "cache-redis.main.json",
    ] {
        let e = check(&fixture(module), &CheckOptions::default()).expect_err(module);
        assert_eq!(e.code(), "input.no_cache", "{module}");
    }
}

/// `check` of a what-if document of `tests/fixtures/whatif/`: its format and first report.
fn what_if(name: &str) -> (Value, Value) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/whatif")
        .join(name);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&p).expect("fixture")).expect("JSON");
    let options = CheckOptions {
        now: Some("2026-11-27T00:00:00Z".into()),
        ..CheckOptions::default()
    };
    let v = serde_json::to_value(check(&doc, &options).expect("checks")).expect("JSON");
    (v["format"].clone(), v["reports"][0]["report"].clone())
}

#[test]
fn what_if_output() {
    let (format, r) = what_if("valid.json");
    assert_eq!(format, "whatIf");
    assert_eq!(codes(&r, "error"), Vec::<String>::new());
    assert_eq!(outcome(&r, "access.role_missing"), "pass");
    assert_eq!(outcome(&r, "change.key_source_switch"), "not_applicable");
    let (_, r) = what_if("broken.json");
    assert_eq!(
        codes(&r, "error"),
        [
            "key_uri.version_missing at /changes/4/after/properties/encryption/customerManagedKeyEncryption/keyEncryptionKeyUrl",
            "vault.purge_protection_disabled at /changes/1/after/properties/enablePurgeProtection",
            "key.operations_missing at /changes/2/after/properties/keyOps",
        ]
    );
    let (_, r) = what_if("modify-key-source.json");
    assert_eq!(codes(&r, "error"), Vec::<String>::new());
    assert_eq!(outcome(&r, "change.key_source_switch"), "fail");
}
