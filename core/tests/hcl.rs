//! The HCL reader on real azurerm documentation examples and variations of them.

use serde_json::{json, Value};

fn fixture(path: &str) -> String {
    let p = format!(
        "{}/../tests/fixtures/terraform/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn check(files: &[(&str, &str)]) -> Value {
    let files: serde_json::Map<String, Value> = files
        .iter()
        .map(|(n, t)| ((*n).to_owned(), Value::String((*t).to_owned())))
        .collect();
    let out = amr_cmk::json_api::call(
        "check",
        &json!({"files": files, "now": "2026-12-01T00:00:00Z"}).to_string(),
    );
    serde_json::from_str(&out).unwrap_or(Value::Null)
}

fn findings(v: &Value) -> Vec<(String, String, Value)> {
    v["ok"]["reports"][0]["report"]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap_or("").to_owned(),
                        f["severity"].as_str().unwrap_or("").to_owned(),
                        f["line"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

#[test]
fn published_cmk_example_has_no_errors() {
    let main = fixture("real/managed-redis-cmk/main.tf");
    let v = check(&[("main.tf", &main)]);
    let r = &v["ok"]["reports"][0];
    assert_eq!(
        r["resource"]["address"], "azurerm_managed_redis.example",
        "{v}"
    );
    assert_eq!(r["report"]["summary"]["errors"], 0, "{v}");
    assert_eq!(v["ok"]["files"][0]["format"], "terraformConfig");
    // The key's URL is followed through `azurerm_key_vault_key.example.id` symbolically.
    assert_eq!(r["report"]["key"]["vaultName"], "example");
    assert_eq!(r["report"]["key"]["keyName"], "managedrediscmk");
}

#[test]
fn broken_cmk_example_reports_at_the_attributes() {
    let main = fixture("real/managed-redis-cmk/main.tf");
    let broken = main
        .replace("  purge_protection_enabled = true\n", "")
        .replace("key_type     = \"RSA\"", "key_type     = \"EC\"")
        .replace(
            "identity_ids = [azurerm_user_assigned_identity.example.id]",
            "identity_ids = [azurerm_user_assigned_identity.other.id]",
        )
        + "\nresource \"azurerm_user_assigned_identity\" \"other\" {\n  name                = \"other\"\n  resource_group_name = azurerm_resource_group.example.name\n  location            = azurerm_resource_group.example.location\n}\n";
    assert_ne!(broken, main);
    let v = check(&[("main.tf", &broken)]);
    let f = findings(&v);
    let at = |code: &str| {
        f.iter()
            .find(|(c, _, _)| c == code)
            .map(|(_, s, l)| (s.clone(), l.as_u64().unwrap_or(0) as usize))
            .unwrap_or_else(|| panic!("{code} not in {f:?}"))
    };
    // No purge_protection_enabled: the vault's block.
    assert_eq!(
        at("vault.purge_protection_disabled"),
        (
            "error".into(),
            line_of(&broken, "resource \"azurerm_key_vault\" \"example\"")
        )
    );
    assert_eq!(
        at("key.not_rsa"),
        ("error".into(), line_of(&broken, "key_type     = \"EC\""))
    );
    let (sev, line) = at("identity.not_attached");
    assert_eq!(sev, "error");
    assert_eq!(
        line,
        line_of(
            &broken,
            "identity_ids = [azurerm_user_assigned_identity.other.id]"
        )
    );
    let key = v["ok"]["reports"][0]["report"]["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["code"] == "key.not_rsa"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        key["path"],
        "/resource/azurerm_key_vault_key/example/key_type"
    );
    assert_eq!(key["address"], "azurerm_key_vault_key.example");
    assert_eq!(key["fix"]["terraform"][0]["attribute"], "key_type", "{key}");
    assert_eq!(key["fix"]["terraform"][0]["value"], "RSA");
}

fn module_files(tfvars: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = ["main.tf", "variables.tf", "modules/redis-cmk/main.tf"]
        .iter()
        .map(|n| ((*n).to_owned(), fixture(&format!("module/{n}"))))
        .collect();
    files.push(("terraform.tfvars".into(), tfvars.to_owned()));
    files
}

fn check_owned(files: &[(String, String)]) -> Value {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    check(&refs)
}

#[test]
fn module_with_variables_from_tfvars() {
    let tfvars = fixture("module/terraform.tfvars");
    let v = check_owned(&module_files(&tfvars));
    let r = &v["ok"]["reports"][0];
    assert_eq!(
        r["resource"]["address"], "module.cache.azurerm_managed_redis.main",
        "{v}"
    );
    assert_eq!(r["resource"]["name"], "redis-prod");
    assert_eq!(r["resource"]["file"], "modules/redis-cmk/main.tf");
    assert_eq!(r["report"]["sku"]["sku"], "Balanced_B5", "{v}");
    assert_eq!(r["report"]["summary"]["errors"], 0, "{:?}", findings(&v));
    // The vault in another region, through the root's variable.
    let v = check_owned(&module_files(&format!(
        "{tfvars}vault_location = \"northeurope\"\n"
    )));
    let f = findings(&v);
    assert!(
        f.iter()
            .any(|(c, s, _)| c == "vault.region_mismatch" && s == "error"),
        "{f:?}"
    );
}

#[test]
fn a_vault_with_count_zero_is_not_passed() {
    let tfvars = fixture("module/terraform.tfvars") + "create_vault = false\n";
    let v = check_owned(&module_files(&tfvars));
    let checks = v["ok"]["reports"][0]["report"]["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let outcome = |code: &str| {
        checks
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["outcome"].as_str().unwrap_or("").to_owned())
            .unwrap_or_default()
    };
    for code in [
        "vault.purge_protection_disabled",
        "vault.soft_delete_disabled",
        "vault.region_mismatch",
    ] {
        assert_eq!(outcome(code), "inconclusive", "{code}: {v}");
    }
}

/// Prints each vector's finding codes (`cargo test --test hcl print_codes -- --ignored --nocapture`), to write
/// `expectCodes` by hand after reading them.
#[test]
#[ignore = "a helper for writing vectors"]
fn print_codes() {
    let p = format!(
        "{}/../tests/conformance/check-terraform-config.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    for v in doc["vectors"].as_array().unwrap() {
        let out: Value =
            serde_json::from_str(&amr_cmk::json_api::call("check", &v["input"].to_string()))
                .unwrap();
        let codes: Vec<(String, Value, Value, Value)> = out["ok"]["reports"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| {
                r["report"]["findings"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["line"].clone(),
                    f["path"].clone(),
                    f["file"].clone(),
                )
            })
            .collect();
        println!(
            "{} {:?} err={} files={}",
            v["name"], codes, out["error"]["code"], out["ok"]["files"]
        );
        for r in out["ok"]["reports"].as_array().into_iter().flatten() {
            println!("   resource {}", r["resource"]);
        }
    }
}
