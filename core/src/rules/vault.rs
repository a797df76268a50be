//! The vault: the one the key is in, in the cache's region, with soft delete and purge protection, and a
//! firewall that lets trusted services through.

use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::P_URL;
use super::out::Out;
use crate::fix::{args, or, Facts};
use crate::location::normalize_location;
use crate::model::Vault;
use crate::report::params;
use crate::report::Command;

pub(super) fn soft_delete(facts: &Facts) -> (String, Vec<Command>) {
    let update = facts.vault_update(&["--enable-soft-delete", "true"]);
    ("Enable soft delete on the vault".into(), vec![update])
}

pub(super) fn purge_protection(facts: &Facts) -> (String, Vec<Command>) {
    let update = facts.vault_update(&["--enable-purge-protection", "true"]);
    (
        "Enable purge protection on the vault (irreversible)".into(),
        vec![update],
    )
}

pub(super) fn trusted_services(facts: &Facts) -> (String, Vec<Command>) {
    let update = facts.vault_update(&["--bypass", "AzureServices"]);
    (
        "Let trusted Azure services bypass the vault firewall".into(),
        vec![update],
    )
}

pub(super) fn vault_in_region(facts: &Facts) -> (String, Vec<Command>) {
    let mut argv = args(&[
        "az",
        "keyvault",
        "create",
        "--name",
        "<new-vault-name>",
        "--resource-group",
    ]);
    argv.extend(["<resource-group>".into(), "--location".into()]);
    argv.push(or(facts.cache_location.as_deref(), "<cache-region>"));
    argv.extend(args(&[
        "--enable-purge-protection",
        "true",
        "--enable-rbac-authorization",
        "true",
    ]));
    (
        "Create a vault in the cache's region (then create the key there and point the cache to it)".into(),
        vec![Command::new(argv)],
    )
}

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let family = RuleCode::span(
        RuleCode::VaultNameMismatch,
        RuleCode::VaultTrustedServicesBlocked,
    );
    let Some(vault) = out.family_input(ctx.cmk, family, ctx.vault(), "/vault") else {
        return;
    };
    let vault_label = vault
        .name
        .clone()
        .or_else(|| ctx.key().map(|k| k.vault_name().to_owned()))
        .unwrap_or_else(|| "the vault".into());

    match (vault.name.as_deref(), ctx.key()) {
        (Some(name), Some(key)) => {
            out.fail_unless(RuleCode::VaultNameMismatch, name.eq_ignore_ascii_case(key.vault_name()), "/vault/name", || {
                (
                    format!(
                        "The vault described is '{name}', but the key is in the vault '{}': the vault checks would \
                         be about the wrong vault.",
                        key.vault_name()
                    ),
                    format!("Describe the vault '{}' that holds the key, or fix the key URL.", key.vault_name()),
                    params([("vaultName", name.into()), ("keyVaultName", key.vault_name().to_owned().into())]),
                )
            });
        }
        (None, _) => out.inconclusive(RuleCode::VaultNameMismatch, &["/vault/name"]),
        (Some(_), None) => out.inconclusive(RuleCode::VaultNameMismatch, &[P_URL]),
    }

    match (vault.location.as_deref(), ctx.cache_location) {
        (Some(v), Some(c)) => {
            out.fail_unless(RuleCode::VaultRegionMismatch, normalize_location(v) == normalize_location(c), "/vault/location", || {
                (
                    format!(
                        "The vault '{vault_label}' is in '{v}' but the cache is in '{c}': the Key Vault holding the \
                         customer-managed key must be in the same region as the cache."
                    ),
                    format!(
                        "Use a key from a vault in {c}: create one there (with soft delete and purge protection) or \
                         move the cache's region."
                    ),
                    params([
                        ("vaultLocation", normalize_location(v).into()),
                        ("cacheLocation", normalize_location(c).into()),
                    ]),
                )
            });
        }
        (None, _) => out.inconclusive(RuleCode::VaultRegionMismatch, &["/vault/location"]),
        (Some(_), None) => out.inconclusive(RuleCode::VaultRegionMismatch, &["/cache/location"]),
    }

    match vault.enable_soft_delete {
        Some(true) => out.pass(RuleCode::VaultSoftDeleteDisabled),
        Some(false) => out.fail(
            RuleCode::VaultSoftDeleteDisabled,
            "/vault/enableSoftDelete",
            format!("Soft delete is disabled on the vault '{vault_label}'; the CMK setup requires it."),
            format!(
                "Enable soft delete: `az keyvault update --name {vault_label} --enable-soft-delete true` (once on, \
                 it cannot be turned off)."
            ),
            params([("vaultName", vault_label.clone().into())]),
        ),
        None => out.inconclusive(RuleCode::VaultSoftDeleteDisabled, &["/vault/enableSoftDelete"]),
    }

    match vault.enable_purge_protection {
        Some(true) => out.pass(RuleCode::VaultPurgeProtectionDisabled),
        Some(false) => out.fail(
            RuleCode::VaultPurgeProtectionDisabled,
            "/vault/enablePurgeProtection",
            format!(
                "Purge protection is not enabled on the vault '{vault_label}' (it is off by default); Azure Managed \
                 Redis requires it, so a deleted key cannot be purged while the cache depends on it."
            ),
            format!(
                "Enable purge protection: `az keyvault update --name {vault_label} --enable-purge-protection true` \
                 (irreversible; it needs soft delete)."
            ),
            params([("vaultName", vault_label.clone().into())]),
        ),
        None => out.inconclusive(RuleCode::VaultPurgeProtectionDisabled, &["/vault/enablePurgeProtection"]),
    }

    check_trusted_services(vault, &vault_label, out);
}

fn check_trusted_services(vault: &Vault, vault_label: &str, out: &mut Out) {
    const CODE: RuleCode = RuleCode::VaultTrustedServicesBlocked;
    let public = vault.public_network_access.as_deref();
    let acls = vault.network_acls.as_ref();
    let note = "Azure Managed Redis is not on Key Vault's published trusted-services list, although the Azure \
                Managed Redis page requires this setting; if access still fails, allow the cache's network path or \
                test without the firewall.";
    if public.is_some_and(|p| p.eq_ignore_ascii_case("SecuredByPerimeter")) {
        out.fail(
            CODE,
            "/vault/publicNetworkAccess",
            format!(
                "The vault '{vault_label}' is secured by a network security perimeter, which overrides the \
                 trusted-services bypass."
            ),
            format!("Add an access rule for the cache to the perimeter, or set publicNetworkAccess to Enabled with a firewall that lets trusted services through. {note}"),
            params([("publicNetworkAccess", public.unwrap_or_default().into())]),
        );
        return;
    }
    let deny = acls
        .and_then(|a| a.default_action.as_deref())
        .map(|d| d.eq_ignore_ascii_case("Deny"));
    let disabled = public.map(|p| p.eq_ignore_ascii_case("Disabled"));
    let firewall_on = match (deny, disabled) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) => Some(false),
        (None, Some(false)) => Some(false),
        (None, None) => None,
    };
    match firewall_on {
        None => out.inconclusive(
            CODE,
            &[
                "/vault/networkAcls/defaultAction",
                "/vault/publicNetworkAccess",
            ],
        ),
        Some(false) => out.pass(CODE),
        Some(true) => {
            // `bypass` defaults to AzureServices when absent.
            let bypass = acls
                .and_then(|a| a.bypass.as_deref())
                .unwrap_or("AzureServices");
            let allows = bypass
                .split(',')
                .any(|b| b.trim().eq_ignore_ascii_case("AzureServices"));
            if allows {
                out.pass(CODE);
            } else {
                let why = if disabled == Some(true) {
                    "public network access is disabled"
                } else {
                    "the firewall denies by default"
                };
                out.fail(
                    CODE,
                    "/vault/networkAcls/bypass",
                    format!(
                        "The vault '{vault_label}' blocks the cache: {why} and trusted Azure services may not bypass \
                         it (bypass is '{bypass}'). Azure then reports a key access failure that looks like a \
                         permission problem."
                    ),
                    format!(
                        "Allow trusted services: `az keyvault update --name {vault_label} --bypass AzureServices`. {note}"
                    ),
                    params([("bypass", bypass.into())]),
                );
            }
        }
    }
}
