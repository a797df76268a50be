//! Criterion benchmarks of the core: `parse_key_uri` on the shared input mix (`bench/inputs.json`), `validate`
//! on a full configuration (the conformance vector named in that file), the JSON API path the bindings use, and
//! `check` on the adapter fixtures (tests/fixtures).
//! Run with `make bench` (which also reads the figures into `bench/results.json`) or `cargo bench -p amr-cmk`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use serde_json::Value;

fn read_json(relative: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn inputs() -> (Vec<String>, String) {
    let doc = read_json("../bench/inputs.json");
    let ids = doc["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect();
    (ids, doc["validate"].as_str().unwrap().to_owned())
}

/// The `input` of the conformance vector `name` in tests/conformance/validate.json.
fn validate_input(name: &str) -> Value {
    let doc = read_json("../tests/conformance/validate.json");
    doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))["input"]
        .clone()
}

fn parse(c: &mut Criterion) {
    let (ids, _) = inputs();
    let mut g = c.benchmark_group("parse_key_uri");
    // One iteration parses the whole mix; `make bench` divides by its length for ns per ID.
    g.throughput(Throughput::Elements(ids.len() as u64));
    g.bench_function("mix", |b| {
        b.iter(|| {
            for id in &ids {
                let _ = black_box(amr_cmk::parse_key_uri(black_box(id)));
            }
        });
    });
    g.throughput(Throughput::Elements(1));
    let one = "https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef";
    g.bench_function("versioned", |b| {
        b.iter(|| amr_cmk::parse_key_uri(black_box(one)));
    });
    g.finish();
}

fn validate(c: &mut Criterion) {
    let (_, name) = inputs();
    let input = validate_input(&name);
    let text = input.to_string();
    let cfg = amr_cmk::Config::from_value(&input).unwrap();
    let mut g = c.benchmark_group("validate");
    // The rule engine alone, on an already-read configuration.
    g.bench_function("rules", |b| b.iter(|| amr_cmk::validate(black_box(&cfg))));
    // Reading the model from a JSON value, then the rules.
    g.bench_function("value", |b| {
        b.iter(|| amr_cmk::validate_value(black_box(&input)));
    });
    // What every binding does: JSON text in, JSON envelope out.
    g.bench_function("json_api", |b| {
        b.iter(|| amr_cmk::json_api::call("validate", black_box(&text)));
    });
    // Serialising a report (part of json_api).
    let report = amr_cmk::validate(&cfg);
    g.bench_function("report_to_json", |b| {
        b.iter_batched_ref(|| report.clone(), |r| r.to_json(), BatchSize::SmallInput);
    });
    g.finish();
}

fn json_parse(c: &mut Criterion) {
    let one = "\"https://contoso-kv.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef\"";
    c.bench_function("json_api/parseKeyUri", |b| {
        b.iter(|| amr_cmk::json_api::call("parseKeyUri", black_box(one)));
    });
}

/// `check` on each adapter fixture (ARM, az, SDK, Terraform plan) in tests/fixtures, except broken ones.
fn adapters(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let Ok(formats) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<_> = formats
        .flatten()
        .flat_map(|f| std::fs::read_dir(f.path()).into_iter().flatten().flatten())
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut g = c.benchmark_group("check");
    for path in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let options = amr_cmk::adapters::CheckOptions::default();
        if amr_cmk::adapters::check(&doc, &options).is_err() {
            continue;
        }
        let format = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy();
        let name = format!("{format}/{}", path.file_stem().unwrap().to_string_lossy());
        g.bench_function(name, |b| {
            b.iter(|| amr_cmk::adapters::check(black_box(&doc), black_box(&options)));
        });
    }
    g.finish();
}

/// `check` on an Azure Verified Module as published (tests/fixtures/arm/real/) with its parameters file: copy
/// loops, lambdas, `existing` resources, nested deployments (goal: under 20 ms).
fn avm(c: &mut Criterion) {
    let doc = read_json("../tests/fixtures/arm/real/cache-redis-enterprise.main.json");
    let options = amr_cmk::adapters::CheckOptions {
        parameters: Some(read_json(
            "../tests/fixtures/arm/real/params/redis-enterprise.cmk.parameters.json",
        )),
        ..amr_cmk::adapters::CheckOptions::default()
    };
    c.bench_function("check/avm/redis-enterprise-cmk", |b| {
        b.iter(|| amr_cmk::adapters::check(black_box(&doc), black_box(&options)));
    });
}

/// `check_json` (parsing included) on generated tenants of 1,000 and 10,000 caches (`bench/gen_fleet.py`,
/// written by `make bench-fleet` to `target/fleet/`; skipped when absent). Each cache has its identity, vault,
/// key and role assignment.
fn fleet(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fleet");
    let mut g = c.benchmark_group("fleet");
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("fleet-{n}.json"))) else {
            eprintln!("fleet: no target/fleet/fleet-{n}.json (make bench-fleet writes it)");
            continue;
        };
        let options = amr_cmk::adapters::CheckOptions {
            now: Some("2026-11-27T00:00:00Z".into()),
            ..Default::default()
        };
        assert_eq!(
            amr_cmk::adapters::check_json(&text, &options)
                .unwrap()
                .reports
                .len(),
            n
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("check/{n}"), |b| {
            b.iter(|| amr_cmk::adapters::check_json(black_box(&text), black_box(&options)));
        });
    }
    g.finish();
}

/// A 20-file Terraform root module: the local-module fixture (4 files, with `terraform.tfvars`) and 16 files
/// of further resources, locals and variables around it (what a real root module holds besides the cache).
fn terraform_root_module() -> Vec<(String, String)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/terraform/module");
    let mut files: Vec<(String, String)> = [
        "main.tf",
        "variables.tf",
        "terraform.tfvars",
        "modules/redis-cmk/main.tf",
    ]
    .iter()
    .map(|n| {
        (
            (*n).to_owned(),
            std::fs::read_to_string(base.join(n)).unwrap(),
        )
    })
    .collect();
    for i in 0..16 {
        files.push((
            format!("extra{i:02}.tf"),
            format!(
                r#"locals {{
  tags{i} = merge({{ env = var.env, n = "{i}" }}, {{ owner = lower("Team-{i}") }})
  names{i} = [for k in range(4) : format("st%s%02d", var.env, k)]
}}

resource "azurerm_user_assigned_identity" "extra{i}" {{
  name                = "id-${{var.env}}-{i}"
  resource_group_name = azurerm_resource_group.main.name
  location            = var.location
  tags                = local.tags{i}
}}

resource "azurerm_role_assignment" "extra{i}" {{
  count                = 2
  scope                = azurerm_resource_group.main.id
  role_definition_name = count.index == 0 ? "Reader" : "Contributor"
  principal_id         = azurerm_user_assigned_identity.extra{i}.principal_id
}}

resource "azurerm_storage_account" "extra{i}" {{
  for_each                 = toset(local.names{i})
  name                     = each.value
  resource_group_name      = azurerm_resource_group.main.name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}}
"#
            ),
        ));
    }
    files
}

fn terraform_config(c: &mut Criterion) {
    let files = terraform_root_module();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let vars = serde_json::Map::new();
    let options = amr_cmk::adapters::CheckOptions::default();
    let r = amr_cmk::adapters::check_files(&refs, &vars, &options).unwrap();
    assert_eq!(r.reports.len(), 1);
    let mut g = c.benchmark_group("check");
    g.bench_function("terraform-config/root-module-20-files", |b| {
        b.iter(|| amr_cmk::adapters::check_files(black_box(&refs), &vars, &options));
    });
    g.finish();
}

criterion_group!(
    benches,
    parse,
    validate,
    json_parse,
    adapters,
    avm,
    fleet,
    terraform_config
);
criterion_main!(benches);
