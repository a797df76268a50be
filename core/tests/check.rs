//! `check`, `render` and the CLI beyond the conformance vectors: the vectors use the fixture files as they are,
//! the SARIF output has the structure SARIF 2.1.0 requires, and no mutation of a fixture makes anything panic.
#![cfg(feature = "templates")]

use std::fs;
use std::path::{Path, PathBuf};

use amr_cmk::adapters::{check, check_json, CheckOptions, Format};
use amr_cmk::render::{render, RenderFormat};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn vectors(file: &str) -> Vec<Value> {
    let text = fs::read_to_string(root().join("tests/conformance").join(file)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["arm", "az", "sdk", "terraform"] {
        for e in fs::read_dir(root().join("tests/fixtures").join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

const CHECK_FILES: &[&str] = &["check-arm.json", "check-az.json", "check-terraform.json"];

/// A vector whose note names a fixture checks exactly that file, so the fixtures and the vectors cannot drift.
#[test]
fn check_vectors_use_the_fixture_files() {
    let mut seen = 0;
    for file in CHECK_FILES {
        for v in vectors(file) {
            let Some(note) = v["note"].as_str() else {
                continue;
            };
            let Some(rest) = note.strip_prefix("fixture: ") else {
                continue;
            };
            let path = rest.split(';').next().unwrap().trim();
            let fixture: Value =
                serde_json::from_str(&fs::read_to_string(root().join(path)).unwrap()).unwrap();
            assert_eq!(
                v["input"]["document"], fixture,
                "{}: differs from {path}",
                v["name"]
            );
            seen += 1;
        }
    }
    assert!(seen >= 7, "only {seen} vectors name a fixture");
    // Every fixture is used by some vector.
    let all: String = CHECK_FILES
        .iter()
        .map(|f| fs::read_to_string(root().join("tests/conformance").join(f)).unwrap())
        .collect();
    for f in fixtures() {
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            all.contains(&format!("fixture: {rel}")),
            "{rel} is used by no vector"
        );
    }
}

/// Detection picks the format the file is.
#[test]
fn fixtures_are_detected() {
    for f in fixtures() {
        let doc: Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
        let expected = match f.parent().unwrap().file_name().unwrap().to_str().unwrap() {
            "arm" => Format::Arm,
            "az" => Format::Az,
            "sdk" => Format::Sdk,
            _ => Format::TerraformPlan,
        };
        assert_eq!(
            amr_cmk::adapters::detect(&doc).ok(),
            Some(expected),
            "{}",
            f.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// SARIF 2.1.0 structure (OASIS SARIF v2.1.0, errata 01). The schema cannot be fetched here, so the required
// properties and value constraints of every object we emit are checked by hand, section by section.

fn obj<'a>(v: &'a Value, at: &str) -> &'a serde_json::Map<String, Value> {
    v.as_object()
        .unwrap_or_else(|| panic!("{at}: must be an object"))
}

fn string(v: &Value, key: &str, at: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{at}.{key}: required string"))
        .to_owned()
}

/// §3.12 multiformatMessageString: `text` is required.
fn multiformat(v: &Value, at: &str) {
    obj(v, at);
    assert!(v["text"].is_string(), "{at}.text is required (§3.12.3)");
    if let Some(m) = v.get("markdown") {
        assert!(m.is_string(), "{at}.markdown must be a string (§3.12.4)");
    }
}

fn level(v: &Value, at: &str) {
    if let Some(l) = v.get("level") {
        assert!(
            matches!(l.as_str(), Some("none" | "note" | "warning" | "error")),
            "{at}.level must be none, note, warning or error (§3.27.10, §3.50.3)"
        );
    }
}

fn validate_sarif(log: &Value) {
    // §3.13 sarifLog: version (required, "2.1.0"), runs (required).
    obj(log, "sarifLog");
    assert_eq!(log["version"], "2.1.0", "sarifLog.version (§3.13.2)");
    if let Some(s) = log.get("$schema") {
        assert!(
            s.as_str().is_some_and(|s| s.starts_with("https://")),
            "$schema is a URI (§3.13.3)"
        );
    }
    let runs = log["runs"]
        .as_array()
        .expect("sarifLog.runs is required (§3.13.4)");
    assert_eq!(runs.len(), 1, "one run for all files");
    for (ri, run) in runs.iter().enumerate() {
        let at = format!("runs[{ri}]");
        // §3.14 run: tool (required).
        let driver = &run["tool"]["driver"];
        obj(&run["tool"], &format!("{at}.tool (§3.14.6)"));
        // §3.19 toolComponent: name (required).
        string(driver, "name", &format!("{at}.tool.driver (§3.19.8)"));
        if let Some(u) = driver.get("informationUri") {
            assert!(
                u.as_str().is_some_and(|u| u.starts_with("https://")),
                "informationUri (§3.19.17)"
            );
        }
        let rules = driver["rules"].as_array().expect("rules (§3.19.23)");
        let mut ids = std::collections::BTreeSet::new();
        for (i, rule) in rules.iter().enumerate() {
            let at = format!("{at}.tool.driver.rules[{i}]");
            // §3.49 reportingDescriptor: id (required), unique within the component.
            let id = string(rule, "id", &format!("{at} (§3.49.3)"));
            assert!(ids.insert(id.clone()), "{at}: duplicate rule id {id}");
            multiformat(&rule["shortDescription"], &format!("{at}.shortDescription"));
            multiformat(&rule["fullDescription"], &format!("{at}.fullDescription"));
            multiformat(&rule["help"], &format!("{at}.help"));
            assert!(
                rule["helpUri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("https://")),
                "{at}.helpUri (§3.49.12)"
            );
            level(
                &rule["defaultConfiguration"],
                &format!("{at}.defaultConfiguration"),
            );
            // §3.8 property bag: tags are unique strings (§3.8.2). GitHub: security-severity is a number 0-10.
            let props = &rule["properties"];
            let tags: Vec<&str> = props["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let mut unique = tags.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(
                unique.len(),
                tags.len(),
                "{at}: tags must be unique (§3.8.2)"
            );
            let sev: f64 = props["security-severity"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                (0.0..=10.0).contains(&sev),
                "{at}: security-severity in 0-10"
            );
        }
        // §3.14.15 artifacts.
        for (i, a) in run["artifacts"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            string(
                &a["location"],
                "uri",
                &format!("{at}.artifacts[{i}].location (§3.4.3)"),
            );
        }
        // §3.20 invocation: executionSuccessful is required.
        for (i, inv) in run["invocations"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert!(
                inv["executionSuccessful"].is_boolean(),
                "{at}.invocations[{i}].executionSuccessful (§3.20.14)"
            );
            for n in inv["toolExecutionNotifications"]
                .as_array()
                .into_iter()
                .flatten()
            {
                // §3.58 notification: message (required).
                assert!(
                    n["message"]["text"].is_string(),
                    "notification.message (§3.58.2)"
                );
                level(n, "notification");
            }
        }
        if let Some(k) = run.get("columnKind") {
            assert!(
                matches!(k.as_str(), Some("utf16CodeUnits" | "unicodeCodePoints")),
                "columnKind (§3.14.27)"
            );
        }
        let mut fingerprints = std::collections::BTreeSet::new();
        for (i, result) in run["results"]
            .as_array()
            .expect("results")
            .iter()
            .enumerate()
        {
            let at = format!("{at}.results[{i}]");
            // §3.27 result: message (required); §3.11 message: text or id.
            assert!(
                result["message"]["text"].is_string(),
                "{at}.message.text (§3.27.11, §3.11.8)"
            );
            let rule_id = string(result, "ruleId", &format!("{at} (§3.27.5)"));
            if let Some(idx) = result.get("ruleIndex") {
                // §3.27.6: ruleIndex, when present, refers to the rule with the same id.
                let idx =
                    usize::try_from(idx.as_u64().expect("ruleIndex is a non-negative integer"))
                        .unwrap();
                assert_eq!(
                    rules[idx]["id"].as_str(),
                    Some(rule_id.as_str()),
                    "{at}: ruleIndex points to another rule"
                );
            }
            assert!(
                ids.contains(&rule_id),
                "{at}: ruleId {rule_id} is not in the rules table"
            );
            level(result, &at);
            assert!(
                result.get("level").is_some(),
                "{at}: level (GitHub needs it)"
            );
            for (li, loc) in result["locations"].as_array().unwrap().iter().enumerate() {
                let at = format!("{at}.locations[{li}]");
                // §3.29 physicalLocation: artifactLocation or address.
                let phys = &loc["physicalLocation"];
                assert!(
                    phys.get("artifactLocation").is_some() || phys.get("address").is_some(),
                    "{at} (§3.29.2)"
                );
                string(
                    &phys["artifactLocation"],
                    "uri",
                    &format!("{at}.physicalLocation.artifactLocation"),
                );
                if let Some(region) = phys.get("region") {
                    // §3.30 region: startLine and startColumn are 1-based.
                    assert!(
                        region["startLine"].as_u64().is_some_and(|l| l >= 1),
                        "{at}: startLine >= 1 (§3.30.5)"
                    );
                    assert!(
                        region["startColumn"].as_u64().is_some_and(|c| c >= 1),
                        "{at}: startColumn >= 1 (§3.30.6)"
                    );
                }
                for l in loc["logicalLocations"].as_array().into_iter().flatten() {
                    // §3.33 logicalLocation.
                    assert!(
                        l["fullyQualifiedName"].is_string(),
                        "{at}: logicalLocation.fullyQualifiedName (§3.33.5)"
                    );
                    assert!(
                        matches!(l["kind"].as_str(), Some("resource" | "property")),
                        "{at}: kind (§3.33.7)"
                    );
                }
            }
            // §3.27.17 partialFingerprints: an object with string values; ours are unique per finding.
            let fp = obj(&result["partialFingerprints"], &at);
            for v in fp.values() {
                assert!(v.is_string(), "{at}: fingerprints are strings");
                assert!(
                    fingerprints.insert(v.as_str().unwrap().to_owned()),
                    "{at}: duplicate fingerprint"
                );
            }
        }
    }
}

#[test]
fn sarif_output_has_the_required_structure() {
    let mut checked = 0;
    for v in vectors("check-render.json") {
        if v["input"]["format"] == "sarif" {
            if let Some(text) = v["expected"].as_str() {
                validate_sarif(&serde_json::from_str(text).unwrap());
                checked += 1;
            }
        }
    }
    for v in vectors("check-cli.json") {
        if v["function"] == "cliRun" && v["input"]["plan"]["format"] == "sarif" {
            validate_sarif(
                &serde_json::from_str(v["expected"]["stdout"].as_str().unwrap()).unwrap(),
            );
            checked += 1;
        }
    }
    // Every check vector's result, rendered with its document text (regions) and without.
    for file in CHECK_FILES {
        for v in vectors(file) {
            let Some(result) = v.get("expected") else {
                continue;
            };
            let text = serde_json::to_string_pretty(&v["input"]["document"]).unwrap();
            for t in [Some(text.as_str()), None] {
                let out =
                    render(result, RenderFormat::Sarif, false, Some("input.json"), t).unwrap();
                let log: Value = serde_json::from_str(&out).unwrap();
                validate_sarif(&log);
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} SARIF logs checked");
}

#[test]
fn sarif_regions_point_at_the_finding() {
    let path = root().join("tests/fixtures/arm/broken.json");
    let text = fs::read_to_string(&path).unwrap();
    let result =
        serde_json::to_value(check_json(&text, &CheckOptions::default()).unwrap()).unwrap();
    let log: Value = serde_json::from_str(
        &render(
            &result,
            RenderFormat::Sarif,
            false,
            Some("broken.json"),
            Some(&text),
        )
        .unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut n = 0;
    for r in log["runs"][0]["results"].as_array().unwrap() {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let line = lines[usize::try_from(region["startLine"].as_u64().unwrap()).unwrap() - 1];
        if r["level"] == "note" {
            // An inconclusive check: at the first input it needs, which may be a whole object or list.
            assert!(r["properties"]["outcome"] == "inconclusive", "{r}");
            continue;
        }
        let pointer = r["properties"]["pointer"].as_str().unwrap();
        let last = pointer.rsplit('/').next().unwrap();
        // The line holds the member the pointer ends in (or the array the resource would be added to).
        let key = if last.parse::<usize>().is_ok() {
            ""
        } else {
            last
        };
        assert!(
            line.contains(&format!("\"{key}")),
            "{pointer}: line {line:?}"
        );
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn fingerprints_are_stable_across_runs_and_files() {
    let text =
        fs::read_to_string(root().join("tests/fixtures/terraform/gov-ec-key-plan.json")).unwrap();
    let result =
        serde_json::to_value(check_json(&text, &CheckOptions::default()).unwrap()).unwrap();
    let a = render(&result, RenderFormat::Sarif, false, Some("a.json"), None).unwrap();
    let b = render(
        &result,
        RenderFormat::Sarif,
        false,
        Some("a.json"),
        Some(&text),
    )
    .unwrap();
    let fp = |s: &str| -> Vec<Value> {
        let v: Value = serde_json::from_str(s).unwrap();
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fp(&a), fp(&b));
}

// ---------------------------------------------------------------------------------------------------------
// Robustness: mutations of every fixture never panic (the core must not panic on any input).

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap() % n.max(1)
    }
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

fn mutate(v: &mut Value, target: &mut usize, rng: &mut Lcg) {
    if *target == 0 {
        const REPLACEMENTS: &[&str] = &[
            "null",
            "true",
            "0",
            "-1",
            "\"\"",
            "[]",
            "{}",
            "\"[\"",
            "\"[]\"",
            "\"[parameters('nope')]\"",
            "\"[concat(\"",
            "\"[reference('x').y.z]\"",
            "\"[resourceId()]\"",
            "\"[format('{0}{1}', 'a')]\"",
            "\"[variables(variables('a'))]\"",
            "\"https://v.vault.azure.net/keys/k\"",
            "\"/subscriptions/x\"",
            "\"[[x]\"",
            "\"[if(true(), 'a')]\"",
            "\"[split('a', '')]\"",
            "\"[substring('abc', 5, 9)]\"",
            "\"[first(createArray())]\"",
            "\"[json('{')]\"",
            "\"[int('x')]\"",
            "\"[guid()]\"",
            "12345678901234567890",
        ];
        *v = serde_json::from_str(REPLACEMENTS[rng.below(REPLACEMENTS.len())]).unwrap();
        *target = usize::MAX;
        return;
    }
    *target -= 1;
    match v {
        Value::Array(a) => {
            for x in a {
                if *target == usize::MAX {
                    return;
                }
                mutate(x, target, rng);
            }
        }
        Value::Object(m) => {
            for x in m.values_mut() {
                if *target == usize::MAX {
                    return;
                }
                mutate(x, target, rng);
            }
        }
        _ => {}
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut rng = Lcg(0x5eed);
    let mut runs = 0;
    for f in fixtures() {
        let doc: Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
        let n = count(&doc);
        for _ in 0..120 {
            let mut m = doc.clone();
            for _ in 0..=rng.below(3) {
                let mut target = rng.below(n);
                mutate(&mut m, &mut target, &mut rng);
            }
            for format in [
                None,
                Some(Format::Arm),
                Some(Format::Az),
                Some(Format::TerraformPlan),
                Some(Format::Sdk),
            ] {
                let options = CheckOptions {
                    format,
                    parameters: None,
                    now: Some("2026-11-27T00:00:00Z".into()),
                    ..Default::default()
                };
                if let Ok(r) = check(&m, &options) {
                    let v = serde_json::to_value(&r).unwrap();
                    for rf in [RenderFormat::Text, RenderFormat::Sarif] {
                        render(&v, rf, true, None, None).unwrap();
                    }
                }
                runs += 1;
            }
        }
    }
    assert!(runs > 1000);
}

#[test]
fn cli_round_trip_through_the_json_api() {
    let plan = amr_cmk::json_api::call("cliPlan", r#"["check", "--format", "json", "a.json"]"#);
    let plan: Value = serde_json::from_str(&plan).unwrap();
    let plan = &plan["ok"];
    assert_eq!(plan["files"], serde_json::json!(["a.json"]));
    let text = fs::read_to_string(root().join("tests/fixtures/az/bundle.json")).unwrap();
    let args = serde_json::json!({"plan": plan, "inputs": [{"name": "a.json", "text": text}], "color": false});
    let out: Value =
        serde_json::from_str(&amr_cmk::json_api::call("cliRun", &args.to_string())).unwrap();
    let out = &out["ok"];
    assert_eq!(out["exitCode"], 0);
    let printed: Value = serde_json::from_str(out["stdout"].as_str().unwrap()).unwrap();
    assert_eq!(printed["files"][0]["name"], "a.json");
    assert_eq!(printed["files"][0]["result"]["format"], "az");
    assert_eq!(printed["valid"], true);
}

#[test]
fn too_many_resources_is_an_input_error() {
    let one =
        serde_json::json!({"type": "Microsoft.Storage/storageAccounts", "id": "/s", "name": "s"});
    // az output: a tenant's worth is fine; past the resource limit it is an input error.
    let az = Value::Array(vec![one.clone(); amr_cmk::input::MAX_ITEMS + 1]);
    let e = check(&az, &CheckOptions::default()).unwrap_err();
    assert_eq!(e.code(), "input.no_cache");
    let az = Value::Array(vec![one.clone(); amr_cmk::input::MAX_RESOURCES + 1]);
    let e = check(&az, &CheckOptions::default()).unwrap_err();
    assert_eq!(e.code(), "input.too_many_items");
    // An ARM template holds at most 800 resources (an ARM limit): past 1,024 it is an input error.
    let arm = serde_json::json!({"contentVersion": "1.0.0.0", "resources": vec![one; amr_cmk::input::MAX_ITEMS + 1]});
    let e = check(&arm, &CheckOptions::default()).unwrap_err();
    assert_eq!(e.code(), "input.too_many_items");
}

/// An update of an existing cache from Microsoft-managed keys to a key in an existing vault (a data source).
#[test]
fn terraform_update_with_a_data_source_vault() {
    let vault_id = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/shared-kv";
    let uai = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
    let plan = serde_json::json!({
        "format_version": "1.2",
        "prior_state": {"values": {"root_module": {"resources": [{
            "address": "data.azurerm_key_vault.shared", "mode": "data", "type": "azurerm_key_vault", "name": "shared",
            "values": {"id": vault_id, "name": "shared-kv", "location": "eastus", "purge_protection_enabled": false,
                       "enable_rbac_authorization": true, "public_network_access_enabled": true, "network_acls": [],
                       "access_policy": []}}]}}},
        "resource_changes": [
            {"address": "azurerm_managed_redis.main", "mode": "managed", "type": "azurerm_managed_redis", "name": "main",
             "change": {"actions": ["update"],
                "before": {"customer_managed_key": [], "name": "c1"},
                "after": {"name": "c1", "location": "eastus", "sku_name": "Balanced_B10", "resource_group_name": "rg",
                          "id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/c1",
                          "identity": [{"type": "UserAssigned", "identity_ids": [uai]}],
                          "customer_managed_key": [{"key_vault_key_id": "https://shared-kv.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef",
                                                    "user_assigned_identity_id": uai}]},
                "after_unknown": {}}}
        ]
    });
    let result = check(&plan, &CheckOptions::default()).unwrap();
    assert_eq!(result.format, Format::TerraformPlan);
    let report = &result.reports[0].report;
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        [
            "vault.purge_protection_disabled",
            "change.key_source_switch"
        ]
    );
    let purge = &report.findings[0];
    assert_eq!(
        purge.address.as_deref(),
        Some("data.azurerm_key_vault.shared")
    );
    assert_eq!(
        purge.path,
        "/prior_state/values/root_module/resources/0/values/purge_protection_enabled"
    );
}

/// Templates whose expressions multiply (each variable doubles the last) or build huge strings end with
/// `template.expression_unresolved`, quickly and without exhausting memory.
#[test]
fn hostile_templates_are_bounded() {
    let mut vars = serde_json::Map::new();
    let mut params = serde_json::Map::new();
    for i in 0..30 {
        vars.insert(
            format!("v{i}"),
            format!("[concat(variables('v{}'), variables('v{}'))]", i + 1, i + 1).into(),
        );
        params.insert(
            format!("p{i}"),
            serde_json::json!({"type": "string", "defaultValue": format!("[concat(parameters('p{}'), parameters('p{}'))]", i + 1, i + 1)}),
        );
    }
    vars.insert("v30".into(), "xy".into());
    params.insert(
        "p30".into(),
        serde_json::json!({"type": "string", "defaultValue": "xy"}),
    );
    vars.insert(
        "big".into(),
        "[replace(variables('v14'), 'x', variables('v14'))]".into(),
    );
    let doc = serde_json::json!({
        "contentVersion": "1.0.0.0",
        "parameters": params,
        "variables": vars,
        "resources": [{"type": "Microsoft.Cache/redisEnterprise", "name": "c", "location": "[variables('v0')]",
                       "sku": {"name": "[parameters('p0')]"},
                       "properties": {"encryption": {"customerManagedKeyEncryption": {"keyEncryptionKeyUrl": "[variables('big')]"}}}}]
    });
    let t = std::time::Instant::now();
    let r = check(&doc, &CheckOptions::default()).unwrap();
    assert!(t.elapsed() < std::time::Duration::from_secs(30));
    let codes: Vec<&str> = r.reports[0]
        .report
        .findings
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "template.expression_unresolved")
            .count(),
        3,
        "{codes:?}"
    );
}
