//! Validates a full, correct CMK setup for Azure Managed Redis, then a broken one, finding by finding.
//!
//! Run: `cargo run -p amr-cmk --example validate`
#![allow(clippy::print_stdout)]

use amr_cmk::{validate_json, Outcome, Report};

const GOOD: &str = r#"{
  "now": "2026-11-27T00:00:00Z",
  "cache": {
    "name": "orders-cache", "location": "westeurope", "sku": "MemoryOptimized_M20", "existing": false,
    "exportInUse": false,
    "identity": {
      "type": "UserAssigned",
      "userAssignedIdentities": {
        "/subscriptions/6f1c0a9e-3a54-4c1b-9d2e-0c1f5b7a9e11/resourceGroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-cmk": {}
      }
    }
  },
  "encryption": {
    "customerManagedKeyEncryption": {
      "keyEncryptionKeyUrl": "https://orders-kv.vault.azure.net/keys/orders-kek/4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99",
      "keyEncryptionKeyIdentity": {
        "identityType": "userAssignedIdentity",
        "userAssignedIdentityResourceId": "/subscriptions/6f1c0a9e-3a54-4c1b-9d2e-0c1f5b7a9e11/resourceGroups/rg-orders/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders-cmk"
      }
    }
  },
  "identity": { "principalId": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d" },
  "vault": {
    "name": "orders-kv", "location": "West Europe", "enableSoftDelete": true, "enablePurgeProtection": true,
    "enableRbacAuthorization": true, "publicNetworkAccess": "Enabled",
    "networkAcls": { "defaultAction": "Deny", "bypass": "AzureServices" }, "accessPolicies": []
  },
  "key": { "kty": "RSA", "keySize": 3072, "keyOps": ["wrapKey", "unwrapKey"], "enabled": true, "nbf": null, "exp": null },
  "roleAssignments": [{
    "principalId": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
    "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "scope": "/subscriptions/6f1c0a9e-3a54-4c1b-9d2e-0c1f5b7a9e11/resourceGroups/rg-orders/providers/Microsoft.KeyVault/vaults/orders-kv"
  }]
}"#;

fn print_report(title: &str, report: &Report) {
    println!(
        "== {title}: {}",
        if report.valid { "valid" } else { "INVALID" }
    );
    for f in &report.findings {
        println!("  [{}] {} at {}", f.severity.as_str(), f.code, f.path);
        println!("      {}", f.message);
        println!("      fix: {}", f.remediation);
    }
    let open: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Inconclusive)
        .map(|c| c.code.as_str())
        .collect();
    if !open.is_empty() {
        println!("  still to confirm by hand: {}", open.join(", "));
    }
}

fn main() -> Result<(), amr_cmk::Error> {
    let good = validate_json(GOOD)?;
    print_report("correct setup", &good);

    // The same setup with the mistakes people make: a versionless key URL (copied for auto-rotation),
    // purge protection left at its default, and an EC key.
    let broken = GOOD
        .replace(
            "/orders-kek/4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a99",
            "/orders-kek",
        )
        .replace(
            "\"enablePurgeProtection\": true",
            "\"enablePurgeProtection\": false",
        )
        .replace("\"kty\": \"RSA\"", "\"kty\": \"EC\"");
    let report = validate_json(&broken)?;
    print_report("broken setup", &report);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        [
            "key_uri.version_missing",
            "vault.purge_protection_disabled",
            "key.not_rsa"
        ]
    );
    Ok(())
}
