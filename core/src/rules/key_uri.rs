//! Key input and key identifier: the "select vault and key" input is complete and agrees with the key URI, the
//! key URI is a well-formed, versioned Key Vault (or Managed HSM) key identifier in the cache's cloud.

use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::{P_SEL, P_URL};
use super::out::Out;
use crate::error::KeyUriError;
use crate::fix::Facts;
use crate::key_uri::VaultKind;
use crate::location::cloud_of_location;
use crate::report::params;
use crate::report::Command;
use crate::report::Outcome;

/// Confirm: the cache's key-encryption settings as Azure has them.
pub(super) fn show_encryption(facts: &Facts) -> Vec<Command> {
    vec![facts.show_cache("properties.encryption")]
}

/// Fix: name the key once, as a versioned key identifier.
pub(super) fn name_key_once(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Name the key once, as a versioned key identifier".into(),
        vec![facts.set_key_url(&facts.versioned_url_placeholder())],
    )
}

pub(super) fn valid_key_url(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Set the cache's key URL to a valid versioned key identifier".into(),
        vec![facts.set_key_url("<versioned-key-url>")],
    )
}

pub(super) fn versioned_key_url(facts: &Facts) -> (String, Vec<Command>) {
    let mut commands = Vec::new();
    if facts.key.is_some() {
        commands.push(facts.show_kid());
    }
    commands.push(facts.set_key_url(&facts.versioned_url_placeholder()));
    (
        "Look up the key's current version and set the cache's key URL to the versioned identifier"
            .into(),
        commands,
    )
}

fn key_uri_remediation(e: &KeyUriError) -> String {
    match e {
        KeyUriError::VersionInvalid { .. } => "Copy the key identifier of a specific version from the key's \
            Versions list in the portal, or from `az keyvault key show --query key.kid`; versions are 32 hexadecimal \
            characters."
            .into(),
        KeyUriError::HostNotKeyVault { .. } | KeyUriError::Userinfo => "Use the key identifier exactly as Key \
            Vault shows it: https://{vault}.vault.azure.net/keys/{name}/{version} (or .vault.azure.cn, \
            .vault.usgovcloudapi.net, .managedhsm.azure.net); anything else may point somewhere other than your vault."
            .into(),
        KeyUriError::CollectionNotKeys { .. } => "Use a key's identifier (…/keys/{name}/{version}), not a secret's \
            or a certificate's."
            .into(),
        _ => "Copy the key identifier from the key version's page in the portal or from \
            `az keyvault key show --query key.kid`: https://{vault}.vault.azure.net/keys/{name}/{version}."
            .into(),
    }
}

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let family = RuleCode::span(RuleCode::KeyInputIncomplete, RuleCode::KeyUriCloudMismatch);
    if !ctx.cmk || !ctx.key_given() {
        for &code in family {
            if ctx.cmk {
                out.inconclusive(code, &[P_URL]);
            } else {
                out.not_applicable(code);
            }
        }
        return;
    }

    // key_input.incomplete
    if ctx.sel_missing.is_empty() {
        if ctx.sel_key.is_some() || ctx.url_key.is_none() {
            out.pass(RuleCode::KeyInputIncomplete);
        } else {
            out.not_applicable(RuleCode::KeyInputIncomplete);
        }
    } else {
        let first = ctx.sel_missing.first().copied().unwrap_or("vaultName");
        out.fail(
            RuleCode::KeyInputIncomplete,
            &format!("{P_SEL}/{first}"),
            format!(
                "The \"select vault and key\" input names no {}.",
                ctx.sel_missing.join(", no ")
            ),
            "Pick the Key Vault, the key (RSA) and the key version; Azure Managed Redis needs a specific version."
                .into(),
            params([("missing", ctx.sel_missing.clone().into())]),
        );
    }

    // key_input.conflict
    match (&ctx.url_key, &ctx.sel_key) {
        (Some(Ok(a)), Some(Ok(b))) => {
            if a.vault_url() == b.vault_url()
                && a.key_name().eq_ignore_ascii_case(b.key_name())
                && a.version() == b.version()
            {
                out.pass(RuleCode::KeyInputConflict);
            } else {
                out.fail(
                    RuleCode::KeyInputConflict,
                    P_SEL,
                    format!(
                        "The key URI names {} but the vault/key selection names {}.",
                        a.uri(), b.uri()
                    ),
                    "Give the key one way only: either the key identifier URI or the vault, key and version.".into(),
                    params([("uri", a.uri().to_owned().into()), ("selection", b.uri().to_owned().into())]),
                );
            }
        }
        (Some(_), Some(_)) => out.inconclusive(RuleCode::KeyInputConflict, &[P_URL, P_SEL]),
        _ => out.not_applicable(RuleCode::KeyInputConflict),
    }

    // key_uri.syntax: both forms, each error at its own path.
    let mut syntax_failed = false;
    if let Some(Err(e)) = &ctx.url_key {
        syntax_failed = true;
        out.finding(
            RuleCode::KeyUriSyntax,
            e.code(),
            P_URL,
            e.to_string(),
            key_uri_remediation(e),
            e.params(),
        );
    }
    if let Some(Err(e)) = &ctx.sel_key {
        syntax_failed = true;
        let part = match e {
            KeyUriError::VaultNameInvalid { .. } => "/vaultName",
            KeyUriError::KeyNameInvalid { .. } => "/keyName",
            KeyUriError::VersionInvalid { .. } => "/version",
            _ => "",
        };
        out.finding(
            RuleCode::KeyUriSyntax,
            e.code(),
            &format!("{P_SEL}{part}"),
            e.to_string(),
            key_uri_remediation(e),
            e.params(),
        );
    }
    let key = ctx.key();
    match (syntax_failed, key) {
        (true, _) => out.set(RuleCode::KeyUriSyntax, Outcome::Fail, Vec::new()),
        (false, Some(_)) => out.pass(RuleCode::KeyUriSyntax),
        (false, None) => out.inconclusive(RuleCode::KeyUriSyntax, &[P_URL]),
    }

    let Some(key) = key else {
        for code in [
            RuleCode::KeyUriVersionMissing,
            RuleCode::KeyUriManagedHsm,
            RuleCode::KeyUriCloudMismatch,
        ] {
            out.inconclusive(code, &[ctx.key_path()]);
        }
        return;
    };

    out.fail_unless(RuleCode::KeyUriVersionMissing, key.version().is_some(), ctx.key_path(), || {
        (
            format!(
                "The key URL {} has no version: Azure Managed Redis accepts versioned key URLs only, so a \
                 versionless URL (the usual way to follow automatic rotation) is refused.",
                key.uri()
            ),
            format!(
                "Use the full identifier with the version, {}/{{version}} (from `az keyvault key show --vault-name {} \
                 --name {} --query key.kid`). After each key rotation, update the cache to the new version's URL.",
                key.uri(), key.vault_name(), key.key_name()
            ),
            params([
                ("uri", key.uri().to_owned().into()),
                ("vaultName", key.vault_name().to_owned().into()),
                ("keyName", key.key_name().to_owned().into()),
            ]),
        )
    });

    if key.vault_kind() == VaultKind::ManagedHsm {
        out.fail(
            RuleCode::KeyUriManagedHsm,
            ctx.key_path(),
            format!(
                "The key is in the Managed HSM '{}': Managed HSM keys are supported for Azure Managed Redis; access \
                 to them goes through the Managed HSM's local RBAC, not vault access policies or Azure RBAC on a vault.",
                key.vault_name()
            ),
            format!(
                "Grant the identity the Managed HSM Crypto Service Encryption User local role at the key's scope: \
                 `az keyvault role assignment create --hsm-name {} --role \"Managed HSM Crypto Service Encryption \
                 User\" --assignee-object-id {} --assignee-principal-type ServicePrincipal --scope /keys/{}`.",
                key.vault_name(),
                ctx.principal.unwrap_or("<identity-principal-id>"),
                key.key_name()
            ),
            params([
                ("vaultName", key.vault_name().to_owned().into()),
                ("keyName", key.key_name().to_owned().into()),
            ]),
        );
    } else {
        out.pass(RuleCode::KeyUriManagedHsm);
    }

    match ctx.cache_location {
        None => out.inconclusive(RuleCode::KeyUriCloudMismatch, &["/cache/location"]),
        Some(location) => {
            let cache_cloud = cloud_of_location(location);
            out.fail_unless(RuleCode::KeyUriCloudMismatch, cache_cloud == key.cloud(), ctx.key_path(), || {
                (
                    format!(
                        "The key is in the {} cloud ({}) but the cache's region '{}' is in the {} cloud.",
                        key.cloud().as_str(),
                        key.vault_url(),
                        location,
                        cache_cloud.as_str()
                    ),
                    format!(
                        "Use a key from a vault in the cache's cloud (host suffix .{}).",
                        cache_cloud.suffix(key.vault_kind())
                    ),
                    params([
                        ("keyCloud", key.cloud().as_str().into()),
                        ("cacheCloud", cache_cloud.as_str().into()),
                        ("location", location.into()),
                    ]),
                )
            });
        }
    }
}
