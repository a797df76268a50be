//! Hostile names in the input cannot inject into generated commands: a POSIX shell given each command line
//! must see exactly the argument vector, and nothing may run.

use std::process::Command as Process;

use amr_cmk::validate_json;
use serde_json::json;

const HOSTILE: &[&str] = &[
    "x'; touch /tmp/amr-cmk-pwned; echo '",
    "$(touch /tmp/amr-cmk-pwned)",
    "`touch /tmp/amr-cmk-pwned`",
    "a\" ; touch /tmp/amr-cmk-pwned ; \"",
    "a b\tc",
    "--help",
    "*",
    "~root",
    "a\\'b",
];

/// Evaluates `line` with `sh`, after replacing the program name with a printer of its arguments.
fn shell_words(line: &str) -> Vec<String> {
    let rest = line.strip_prefix("az ").expect("commands start with az");
    let script = format!("printf '%s\\0' {rest}");
    let out = Process::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "sh failed on {line}");
    let text = String::from_utf8(out.stdout).expect("utf8");
    text.split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn hostile_values_stay_single_arguments() {
    let _ = std::fs::remove_file("/tmp/amr-cmk-pwned");
    let mut commands = 0;
    for hostile in HOSTILE {
        let config = json!({
            "cache": {"id": format!("/subscriptions/{hostile}"), "name": hostile, "location": "eastus", "sku": "Balanced_B10",
                      "existing": false, "identity": {"type": hostile, "userAssignedIdentities": {}}},
            "encryption": {"customerManagedKeyEncryption": {
                "keyEncryptionKeyUrl": "https://contoso-kv.vault.azure.net/keys/cmk",
                "keyEncryptionKeyIdentity": {"userAssignedIdentityResourceId": hostile}}},
            "identity": {"principalId": hostile},
            "vault": {"name": hostile, "location": "westus", "enableSoftDelete": false, "enablePurgeProtection": false,
                      "enableRbacAuthorization": false, "networkAcls": {"defaultAction": "Deny", "bypass": "None"},
                      "accessPolicies": [{"objectId": hostile, "permissions": {"keys": []}}]},
            "key": {"name": hostile, "kty": "EC", "keyOps": [], "enabled": false, "exp": 1, "nbf": 4_000_000_000_i64},
            "now": 2,
        });
        let report = validate_json(&config.to_string()).expect("valid model");
        for f in &report.findings {
            let Some(fix) = &f.fix else { continue };
            for c in &fix.commands {
                commands += 1;
                let words = shell_words(&c.shell);
                assert_eq!(words, c.argv[1..], "{}: {}", f.code, c.shell);
            }
        }
    }
    assert!(commands > 50, "only {commands} commands checked");
    assert!(
        !std::path::Path::new("/tmp/amr-cmk-pwned").exists(),
        "a command ran"
    );
}
