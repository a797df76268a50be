//! SARIF 2.1.0 for GitHub code scanning: one run, the catalogue as the rules table (with
//! `security-severity`), one result per finding with a stable `ruleId` and `partialFingerprints`.

use serde_json::{json, Map, Value};

use super::{items as items_of, reports, s, RenderInput};
use crate::report::Severity;

/// The SARIF schema URI written into the log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "7.5",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// `vault.purge_protection_disabled` → `VaultPurgeProtectionDisabled`.
fn pascal(code: &str) -> String {
    code.split(['.', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn area_text(code: &str) -> &'static str {
    match code.split('.').next().unwrap_or("") {
        "sku" => "The cache must be an Azure Managed Redis SKU for customer-managed key encryption to apply.",
        "coverage" => "What the customer-managed key covers, and what stays Microsoft-managed or is governed elsewhere.",
        "encryption" => "How the cache's disks are encrypted: Microsoft-managed keys, or a customer-managed key that wraps them.",
        "key_input" | "key_uri" => "The key is named by a versioned Azure Key Vault key identifier that Azure Managed Redis accepts.",
        "identity" => "Azure Managed Redis reaches the key with a user-assigned managed identity attached to the cache.",
        "vault" => "The Key Vault holding the key must meet the Azure Managed Redis prerequisites.",
        "key" => "The key must be an enabled, currently valid RSA key that permits wrap and unwrap.",
        "access" => "The identity needs key read, wrap and unwrap permission on the key.",
        "change" => "Changing the key source of an existing cache is disruptive.",
        "template" => "Values the checks need must be known before deployment, or the checks cannot decide.",
        _ => "Customer-managed key encryption for Azure Managed Redis.",
    }
}

fn rules_table() -> Vec<Value> {
    let mut rules = crate::rules();
    // Inconclusive checks are reported under their check's code: the key-URI grammar check has no rule of its own.
    let syntax = crate::rules::catalogue::spec(crate::RuleCode::KeyUriSyntax);
    rules.push(crate::Rule {
        code: syntax.code.as_str(),
        check: syntax.code,
        severity: syntax.severity,
        title: syntax.title,
        doc_url: syntax.doc_url,
    });
    rules
        .into_iter()
        .map(|r| {
            let tags = vec![
                "security".to_owned(),
                "azure".to_owned(),
                "azure-managed-redis".to_owned(),
                "customer-managed-key".to_owned(),
                r.code.split('.').next().unwrap_or("").to_owned(),
            ];
            json!({
                "id": r.code,
                "name": pascal(r.code),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": format!("{}. {}", r.title, area_text(r.code))},
                "help": {
                    "text": format!("{}. {} Documentation: {}", r.title, area_text(r.code), r.doc_url),
                    "markdown": format!("**{}**\n\n{}\n\n[Documentation]({})", r.title, area_text(r.code), r.doc_url),
                },
                "helpUri": r.doc_url,
                "defaultConfiguration": {"level": level(r.severity.as_str())},
                "properties": {
                    "security-severity": security_severity(r.severity),
                    "tags": tags,
                    "precision": "very-high",
                    "problem.severity": match r.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "recommendation",
                    },
                },
            })
        })
        .collect()
}

/// FNV-1a, 64 bits.
pub(crate) fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One SARIF result to be: a finding, or an inconclusive check (a note).
struct Item<'a> {
    code: &'a str,
    /// The file `path` points into, when not the cache's.
    file: Option<&'a str>,
    level: &'static str,
    path: &'a str,
    address: Option<&'a str>,
    text: String,
    properties: Value,
    fix: Option<&'a Value>,
    /// Where it is in a Terraform configuration: file (when not the cache's), line, column.
    place: Option<(Option<&'a str>, u64, u64)>,
}

pub(super) fn render(inputs: &[RenderInput]) -> Value {
    let rules = rules_table();
    let index_of = |code: &str| {
        rules
            .iter()
            .position(|r| r.get("id").and_then(Value::as_str) == Some(code))
    };
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut artifacts: Vec<Value> = Vec::new();
    for input in inputs {
        let uri = input.file_name;
        // Several files checked together: the artifacts are the files the results point into.
        if input.texts.is_empty()
            && !artifacts
                .iter()
                .any(|a| a.pointer("/location/uri").and_then(Value::as_str) == Some(uri))
        {
            artifacts.push(json!({"location": {"uri": uri}}));
        }
        let result = match input.outcome {
            Ok(r) => r,
            Err(e) => {
                notifications.push(json!({
                    "level": "error",
                    "message": {"text": format!("{uri}: {e}")},
                    "descriptor": {"id": e.code()},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }));
                continue;
            }
        };
        for (resource, report) in reports(result) {
            let resource_key = resource
                .get("address")
                .and_then(Value::as_str)
                .or_else(|| resource.get("id").and_then(Value::as_str))
                .unwrap_or_else(|| s(resource, "pointer"));
            // Findings, then each inconclusive check as a note: what is open, and how to confirm it.
            let mut items: Vec<Item> = items_of(report, "findings")
                .map(|f| Item {
                    code: s(f, "code"),
                    file: f.get("file").and_then(Value::as_str),
                    level: level(s(f, "severity")),
                    path: s(f, "path"),
                    address: f.get("address").and_then(Value::as_str),
                    text: format!("{} Remediation: {}", s(f, "message"), s(f, "remediation")),
                    properties: json!({
                        "pointer": s(f, "path"),
                        "remediation": s(f, "remediation"),
                        "params": f.get("params").cloned().unwrap_or(Value::Null),
                    }),
                    fix: f.get("fix"),
                    place: f.get("line").and_then(Value::as_u64).map(|line| {
                        let column = f.get("column").and_then(Value::as_u64).unwrap_or(1);
                        (f.get("file").and_then(Value::as_str), line, column)
                    }),
                })
                .collect();
            for c in items_of(report, "checks").filter(|c| s(c, "outcome") == "inconclusive") {
                let path = items_of(c, "needs")
                    .next()
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let confirm: Vec<&str> = items_of(c, "confirm").map(|x| s(x, "shell")).collect();
                items.push(Item {
                    code: s(c, "code"),
                    file: None,
                    level: "note",
                    path,
                    address: None,
                    text: s(c, "message").to_owned(),
                    properties: json!({
                        "pointer": path,
                        "outcome": "inconclusive",
                        "needs": c.get("needs").cloned().unwrap_or(Value::Null),
                        "confirm": confirm,
                    }),
                    fix: c.get("fix"),
                    place: None,
                });
            }
            // Several files checked together: each result names the file its pointer is in.
            let cache_file = resource.get("file").and_then(Value::as_str);
            for item in items {
                let (code, path) = (item.code, item.path);
                let file = item.file.or(cache_file).unwrap_or(uri);
                if !artifacts
                    .iter()
                    .any(|a| a.pointer("/location/uri").and_then(Value::as_str) == Some(file))
                {
                    artifacts.push(json!({"location": {"uri": file}}));
                }
                let text = if file == uri {
                    input.text
                } else {
                    input
                        .texts
                        .iter()
                        .find(|(n, _)| *n == file)
                        .map(|(_, t)| *t)
                };
                let mut physical = Map::new();
                physical.insert("artifactLocation".into(), json!({"uri": file}));
                // A configuration's findings carry their line and column in their `.tf` file.
                if let Some((_, line, column)) = item.place {
                    physical.insert(
                        "region".into(),
                        json!({"startLine": line, "startColumn": column}),
                    );
                } else if let Some((line, column)) = text.and_then(|t| super::locate(t, path)) {
                    physical.insert(
                        "region".into(),
                        json!({"startLine": line, "startColumn": column}),
                    );
                }
                let mut logical = vec![json!({
                    "name": s(resource, "name"),
                    "fullyQualifiedName": resource_key,
                    "kind": "resource",
                })];
                logical.push(json!({
                    "fullyQualifiedName": if path.is_empty() { "/" } else { path },
                    "kind": "property",
                }));
                if let Some(a) = item.address {
                    if a != resource_key {
                        logical.push(json!({"fullyQualifiedName": a, "kind": "resource"}));
                    }
                }
                let fingerprint = fnv1a(
                    format!(
                        "{code}\u{0}{resource_key}\u{0}{}{path}",
                        item.file.map_or_else(String::new, |f| format!("{f}#"))
                    )
                    .as_bytes(),
                );
                let mut result = json!({
                    "ruleId": code,
                    "level": item.level,
                    "message": {"text": item.text},
                    "locations": [{
                        "physicalLocation": Value::Object(physical),
                        "logicalLocations": logical,
                    }],
                    "partialFingerprints": {"amrCmkFinding/v1": format!("{fingerprint:016x}")},
                    "properties": item.properties,
                });
                if let (Some(i), Value::Object(m)) = (index_of(code), &mut result) {
                    m.insert("ruleIndex".into(), i.into());
                }
                if let (Some(fix), Value::Object(m)) = (item.fix, &mut result) {
                    if let Some(Value::Object(props)) = m.get_mut("properties") {
                        props.insert("fix".into(), fix.clone());
                    }
                }
                results.push(result);
            }
        }
    }
    // The fleet summary (more than one cache) as the run's properties.
    let summary = super::summary::summary(inputs);
    let mut invocation = json!({"executionSuccessful": notifications.is_empty()});
    if !notifications.is_empty() {
        if let Value::Object(m) = &mut invocation {
            m.insert(
                "toolExecutionNotifications".into(),
                Value::Array(notifications),
            );
        }
    }
    let mut sarif = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "amr-cmk",
                "informationUri": "https://github.com/amr-cmk/amr-cmk",
                "version": crate::version(),
                "semanticVersion": crate::version(),
                "rules": rules,
            }},
            "artifacts": artifacts,
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    if let (Some(m), Some(Value::Object(run))) = (summary, sarif.pointer_mut("/runs/0")) {
        run.insert("properties".into(), json!({"summary": m}));
    }
    sarif
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hash() {
        assert_eq!(
            pascal(crate::RuleCode::VaultPurgeProtectionDisabled.as_str()),
            "VaultPurgeProtectionDisabled"
        );
        // FNV-1a test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
