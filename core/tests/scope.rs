//! A template's role assignment scoped in the deploying subscription (unknown to the template: a stand-in for
//! `subscription()`) joined to the real vault from `az keyvault show` in another file: the scope matches when
//! the rest of it does (`tests/fixtures/resource-graph/placeholder-subscription`).
#![cfg(feature = "templates")]

use std::fs;
use std::path::{Path, PathBuf};

use amr_cmk::adapters::{check_files, CheckOptions};
use serde_json::{Map, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/resource-graph/placeholder-subscription")
}

/// The outcome of `code` for the one cache of the files (the template's text as given).
fn outcome(template: &str, code: &str) -> String {
    let vault = fs::read_to_string(dir().join("vault.json")).unwrap();
    let key = fs::read_to_string(dir().join("key.json")).unwrap();
    let files = [
        ("template.json", template),
        ("vault.json", vault.as_str()),
        ("key.json", key.as_str()),
    ];
    let options = CheckOptions {
        now: Some("2026-11-27T00:00:00Z".into()),
        ..CheckOptions::default()
    };
    let result = check_files(&files, &Map::new(), &options).unwrap();
    let v: Value = serde_json::to_value(&result).unwrap();
    let [report] = v["reports"].as_array().unwrap().as_slice() else {
        panic!("one cache expected: {v}");
    };
    let check = report["report"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap();
    check["outcome"].as_str().unwrap().to_owned()
}

fn template() -> String {
    fs::read_to_string(dir().join("template.json")).unwrap()
}

#[test]
fn a_placeholder_subscription_matches_the_real_vault() {
    let t = template();
    assert!(t.contains(
        "[format('/subscriptions/{0}/resourceGroups/rg-shared', subscription().subscriptionId)]"
    ));
    // The role is at the vault's resource group, in the deploying subscription: it gives the identity the key.
    assert_eq!(outcome(&t, "access.role_missing"), "pass");
}

#[test]
fn the_rest_of_the_scope_must_match() {
    let t = template();
    for other in ["rg-other", "rg-shared-2"] {
        let moved = t.replace(
            "/resourceGroups/rg-shared'",
            &format!("/resourceGroups/{other}'"),
        );
        assert_ne!(moved, t);
        assert_eq!(outcome(&moved, "access.role_missing"), "fail", "{other}");
    }
    // A real subscription other than the vault's does not match either.
    let elsewhere = t.replace(
        "subscription().subscriptionId",
        "'00000000-0000-4000-8000-000000000001'",
    );
    assert_eq!(outcome(&elsewhere, "access.role_missing"), "fail");
    // The deploying subscription itself (a subscription-wide role) is an ancestor of the vault too.
    let whole = t.replace("/resourceGroups/rg-shared'", "'");
    assert_eq!(outcome(&whole, "access.role_missing"), "pass");
}

#[test]
fn a_role_of_another_principal_near_the_vault_is_found_by_its_scope() {
    // The identity's principal is known only at deployment; a role of a literal principal at the vault's resource
    // group (in the deploying subscription) may be the identity's: not a proven miss.
    let t = template().replace(
        "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'shop-redis-cmk'), '2023-01-31').principalId]",
        "11111111-2222-4333-8444-555555555555",
    );
    assert!(t.contains("11111111-2222"));
    assert_eq!(outcome(&t, "access.role_missing"), "inconclusive");
    let elsewhere = t.replace("/resourceGroups/rg-shared'", "/resourceGroups/rg-other'");
    assert_eq!(outcome(&elsewhere, "access.role_missing"), "fail");
}
