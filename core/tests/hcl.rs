//! The HCL reader on real azurerm documentation examples and variations of them.
#![cfg(feature = "templates")]

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
    let attach = v["ok"]["reports"][0]["report"]["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["code"] == "identity.not_attached"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        attach["fix"]["terraform"][1]["expression"], "[azurerm_user_assigned_identity.example.id]",
        "{attach}"
    );
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

/// Runs the CLI's read protocol as a binding does: read what the core asks for (a directory's entries, a
/// file's text), run again, until it asks for nothing; returns the output and every path asked for.
fn cli(args: &str) -> (amr_cmk::cli::CliOutput, Vec<String>) {
    use amr_cmk::cli::{parse_args, run, CliInput};
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let argv: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
    let inv = parse_args(&argv);
    let read = |path: &str| -> CliInput {
        let full = format!("{root}/{path}");
        let mut input = CliInput {
            name: path.to_owned(),
            text: None,
            error: None,
            entries: None,
        };
        match std::fs::read_dir(&full) {
            Ok(dir) => {
                let mut e: Vec<String> = dir
                    .flatten()
                    .map(|d| {
                        let n = d.file_name().to_string_lossy().into_owned();
                        if d.path().is_dir() {
                            format!("{n}/")
                        } else {
                            n
                        }
                    })
                    .collect();
                e.sort();
                input.entries = Some(e);
            }
            Err(_) => match std::fs::read_to_string(&full) {
                Ok(t) => input.text = Some(t),
                Err(e) => input.error = Some(e.to_string()),
            },
        }
        input
    };
    let mut inputs: Vec<CliInput> = inv.files.iter().map(|f| read(f)).collect();
    let mut asked = Vec::new();
    for _ in 0..10 {
        let out = run(&inv, &inputs, false);
        if out.read.is_empty() {
            return (out, asked);
        }
        for p in &out.read {
            assert!(!asked.contains(p), "{p} asked twice");
            asked.push(p.clone());
            inputs.push(read(p));
        }
    }
    panic!("the read loop did not end");
}

#[test]
fn cli_reads_a_root_module_and_its_local_modules() {
    let (out, asked) =
        cli("check --format json --now 2026-12-01T00:00:00Z tests/fixtures/terraform/module");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert_eq!(
        asked,
        [
            "tests/fixtures/terraform/module/main.tf",
            "tests/fixtures/terraform/module/terraform.tfvars",
            "tests/fixtures/terraform/module/variables.tf",
            "tests/fixtures/terraform/module/modules/redis-cmk",
            "tests/fixtures/terraform/module/modules/redis-cmk/main.tf",
        ]
    );
    let v: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    let r = &v["files"][0]["result"]["reports"][0];
    assert_eq!(
        r["resource"]["file"],
        "tests/fixtures/terraform/module/modules/redis-cmk/main.tf"
    );
    assert_eq!(r["report"]["sku"]["sku"], "Balanced_B5");
    // `--var` wins over terraform.tfvars; `--var-file` files are read and applied before it.
    let (out, _) = cli("check --var vault_location=eastus --now 2026-12-01T00:00:00Z tests/fixtures/terraform/module");
    assert_eq!(out.exit_code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("vault.region_mismatch"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("modules/redis-cmk/main.tf:24:3"),
        "{}",
        out.stdout
    );
    let (out, _) = cli("check --var-file tests/fixtures/terraform/other-region.tfvars tests/fixtures/terraform/module");
    assert_eq!(out.exit_code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("vault.region_mismatch"),
        "{}",
        out.stdout
    );
    let (out, _) = cli("check --var-file tests/fixtures/terraform/other-region.tfvars --var vault_location=westeurope tests/fixtures/terraform/module");
    assert_eq!(out.exit_code, 0, "{}", out.stdout);
    let (out, _) = cli("check --var-file README.md tests/fixtures/terraform/module");
    assert_eq!(out.exit_code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--var-file takes"), "{}", out.stderr);
    // One .tf file.
    let (out, _) = cli(
        "check --now 2026-12-01T00:00:00Z tests/fixtures/terraform/real/managed-redis-cmk/main.tf",
    );
    assert_eq!(out.exit_code, 0, "{}{}", out.stdout, out.stderr);
    // A directory without Terraform or JSON files is a usage error.
    let (out, _) = cli("check docs");
    assert_eq!(out.exit_code, 2);
}

/// A configuration that would take forever or all memory if evaluated literally ends fast, with a result or a
/// clear error.
#[test]
fn hostile_configurations_stay_bounded() {
    let cache = "resource \"azurerm_managed_redis\" \"m\" {\n  name = \"r\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku_name = \"Balanced_B0\"\n}\n";
    let started = std::time::Instant::now();
    let bombs = [
        // A module calling itself, many instances each.
        format!("module \"again\" {{\n  source = \"./\"\n  count  = 256\n}}\n{cache}"),
        // Loops within loops.
        format!("locals {{\n  x = [for i in range(10000) : [for j in range(10000) : \"${{i}}-${{j}}\"]]\n}}\n{cache}"),
        // Strings that double.
        format!("locals {{\n  a = join(\"\", [for i in range(10000) : \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"])\n  b = replace(local.a, \"a\", local.a)\n}}\n{cache}"),
        // Deep nesting the parser would recurse into.
        format!("locals {{\n  x = {}1{}\n}}\n{cache}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("locals {{\n  x = {}true\n}}\n{cache}", "!".repeat(100_000)),
        format!("locals {{\n  x = {}1\n}}\n{cache}", "true ? 1 : ".repeat(50_000)),
        format!("locals {{\n  x = \"{}\"\n}}\n{cache}", "${".repeat(50_000)),
    ];
    for (i, b) in bombs.iter().enumerate() {
        let t = std::time::Instant::now();
        let v = check(&[("main.tf", b)]);
        assert!(
            v.get("ok").is_some() || v.get("error").is_some(),
            "{i}: {v}"
        );
        assert!(
            t.elapsed().as_secs() < 10,
            "bomb {i} took {:?}",
            t.elapsed()
        );
    }
    assert!(started.elapsed().as_secs() < 30);
}
