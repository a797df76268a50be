//! Access: the identity can get, wrap and unwrap with the key, through access policies or a role assignment
//! (Azure RBAC, or Managed HSM local RBAC), with the least privilege, and no access policies an RBAC vault ignores.

use super::code::RuleCode;
use super::context::Ctx;
use super::inputs::P_PRINCIPAL;
use super::out::{missing, Out};
use crate::fix::{args, or, Facts};
use crate::key_uri::VaultKind;
use crate::model::AccessPolicy;
use crate::report::params;
use crate::report::Command;
use crate::roles::{
    actions_are_least_privilege, actions_grant_key_access, find_role, HSM_LEAST_PRIVILEGE,
    VAULT_LEAST_PRIVILEGE,
};

/// Confirm: the vault's permission model and access policies, and the identity's principal.
pub(super) fn show_policies(facts: &Facts) -> Vec<Command> {
    vec![
        facts.show_vault(
            "{enableRbacAuthorization: properties.enableRbacAuthorization, accessPolicies: properties.accessPolicies}",
        ),
        facts.show_identity(),
    ]
}

/// Confirm: the vault's permission model and ID, and the role assignments that reach the identity there.
pub(super) fn show_roles(facts: &Facts) -> Vec<Command> {
    vec![
        facts.show_vault("{id: id, enableRbacAuthorization: properties.enableRbacAuthorization}"),
        facts.list_roles(),
    ]
}

pub(super) fn set_policy(facts: &Facts) -> (String, Vec<Command>) {
    let mut argv = args(&["az", "keyvault", "set-policy", "--name"]);
    argv.push(facts.vault());
    argv.push("--object-id".into());
    argv.push(facts.principal());
    argv.extend(args(&["--key-permissions", "get", "wrapKey", "unwrapKey"]));
    (
        "Give the identity get, wrapKey and unwrapKey on keys".into(),
        vec![Command::new(argv)],
    )
}

pub(super) fn assign_least_role(facts: &Facts) -> (String, Vec<Command>) {
    (
        if facts.hsm() {
            "Assign Managed HSM Crypto Service Encryption User to the identity on the key".into()
        } else {
            "Assign Key Vault Crypto Service Encryption User to the identity on the vault".into()
        },
        vec![facts.assign_least_role()],
    )
}

pub(super) fn delete_policies(facts: &Facts) -> (String, Vec<Command>) {
    (
        "Remove the access policies that an RBAC vault ignores".into(),
        facts
            .policy_object_ids
            .iter()
            .map(|id| {
                let mut argv = args(&["az", "keyvault", "delete-policy", "--name"]);
                argv.push(facts.vault());
                argv.push("--object-id".into());
                argv.push(or(Some(id), "<object-id>"));
                Command::new(argv)
            })
            .collect(),
    )
}

/// Key Vault's permission model: `Some(true)` Azure RBAC (or Managed HSM local RBAC), `Some(false)` access
/// policies, `None` unknown.
fn uses_rbac(ctx: &Ctx) -> Option<bool> {
    if ctx.vault_kind() == Some(VaultKind::ManagedHsm) {
        return Some(true);
    }
    let vault = ctx.vault()?;
    if let Some(rbac) = vault.enable_rbac_authorization {
        return Some(rbac);
    }
    // The default flipped from false to true with Key Vault API 2026-02-01.
    let api = vault.api_version.as_deref()?;
    let date = api.get(..10)?;
    let valid = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    valid.then(|| date >= "2026-02-01")
}

pub(super) fn check(ctx: &Ctx, out: &mut Out) {
    let family = RuleCode::span(
        RuleCode::AccessPermissionsMissing,
        RuleCode::AccessPoliciesIgnored,
    );
    let Some(rbac) = out.family_input(
        ctx.cmk,
        family,
        uses_rbac(ctx),
        "/vault/enableRbacAuthorization",
    ) else {
        return;
    };
    let vault = ctx.vault();
    let policies = vault.and_then(|v| v.access_policies.as_ref());
    if rbac {
        out.not_applicable(RuleCode::AccessPermissionsMissing);
        out.not_applicable(RuleCode::AccessCompoundIdentity);
        check_roles(ctx, out);
        match policies {
            Some(p) if !p.is_empty() => out.fail(
                RuleCode::AccessPoliciesIgnored,
                "/vault/accessPolicies",
                format!(
                    "The vault uses Azure RBAC, so its {} access polic{} ha{} no effect.",
                    p.len(),
                    if p.len() == 1 { "y" } else { "ies" },
                    if p.len() == 1 { "s" } else { "ve" }
                ),
                "Grant access with a role assignment (Key Vault Crypto Service Encryption User) and remove the \
                 access policies, or switch the vault to the access-policy model."
                    .into(),
                params([("count", p.len().into())]),
            ),
            Some(_) => out.pass(RuleCode::AccessPoliciesIgnored),
            None => out.inconclusive(RuleCode::AccessPoliciesIgnored, &["/vault/accessPolicies"]),
        }
        return;
    }
    out.not_applicable(RuleCode::AccessRoleMissing);
    out.not_applicable(RuleCode::AccessBroaderThanNeeded);
    out.not_applicable(RuleCode::AccessPoliciesIgnored);
    let policy_checks = [
        RuleCode::AccessPermissionsMissing,
        RuleCode::AccessCompoundIdentity,
    ];
    let Some(principal) = ctx.principal else {
        out.inconclusive_all(&policy_checks, &[P_PRINCIPAL]);
        return;
    };
    let Some(policies) = policies else {
        out.inconclusive_all(&policy_checks, &["/vault/accessPolicies"]);
        return;
    };
    let for_principal = |p: &&AccessPolicy| {
        p.object_id
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case(principal))
    };
    // A policy with an application is a compound identity: it applies only when that application acts for the
    // principal, so it does not give the cache's identity access on its own.
    let compound = policies.iter().enumerate().find(|(_, p)| {
        for_principal(p) && p.application_id.as_deref().is_some_and(|a| !a.is_empty())
    });
    let granted: Vec<&str> = policies
        .iter()
        .filter(for_principal)
        .filter(|p| p.application_id.as_deref().is_none_or(str::is_empty))
        .flat_map(|p| p.key_permissions.iter().map(String::as_str))
        .collect();
    let has = |perm: &str| {
        granted
            .iter()
            .any(|g| g.eq_ignore_ascii_case(perm) || g.eq_ignore_ascii_case("all"))
    };
    let missing = missing(&["get", "wrapKey", "unwrapKey"], has);
    if missing.is_empty() {
        out.pass(RuleCode::AccessPermissionsMissing);
    } else {
        let vault_name = vault
            .and_then(|v| v.name.as_deref())
            .unwrap_or("<vault-name>");
        out.fail(
            RuleCode::AccessPermissionsMissing,
            "/vault/accessPolicies",
            format!(
                "The vault's access policies do not give the identity (principal {principal}) the key permission{} {}.",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
            format!(
                "Grant them: `az keyvault set-policy --name {vault_name} --object-id {principal} --key-permissions get \
                 wrapKey unwrapKey`."
            ),
            params([
                ("principalId", principal.into()),
                ("missing", missing.into()),
            ]),
        );
    }
    match compound {
        None => out.pass(RuleCode::AccessCompoundIdentity),
        Some((index, p)) => out.fail(
            RuleCode::AccessCompoundIdentity,
            &format!("/vault/accessPolicies/{index}/applicationId"),
            format!(
                "The access policy for the identity (principal {principal}) names the application {}: a compound \
                 identity, which grants access only when that application acts on the identity's behalf, so the \
                 cache's identity gets nothing from it.",
                p.application_id.as_deref().unwrap_or_default()
            ),
            format!(
                "Give the identity a policy of its own, without an application: `az keyvault set-policy --name {} \
                 --object-id {principal} --key-permissions get wrapKey unwrapKey`, and remove the compound one.",
                vault.and_then(|v| v.name.as_deref()).unwrap_or("<vault-name>")
            ),
            params([
                ("principalId", principal.into()),
                ("applicationId", p.application_id.clone().unwrap_or_default().into()),
            ]),
        ),
    }
}

/// How a role assignment's scope relates to the key.
#[derive(PartialEq, Eq)]
enum ScopeMatch {
    Covers,
    DoesNot,
    Unknown,
}

fn scope_covers(ctx: &Ctx, scope: Option<&str>) -> ScopeMatch {
    let Some(scope) = scope.map(|s| s.trim_end_matches('/').to_ascii_lowercase()) else {
        return ScopeMatch::Unknown;
    };
    let key = ctx.key();
    let key_name = key.map(|k| k.key_name().to_ascii_lowercase());
    if ctx.vault_kind() == Some(VaultKind::ManagedHsm) {
        // Managed HSM local RBAC scopes: "/", "/keys", "/keys/{name}".
        return match scope.as_str() {
            "" | "/keys" => ScopeMatch::Covers,
            s => match (s.strip_prefix("/keys/"), key_name.as_deref()) {
                (Some(k), Some(name)) if k == name => ScopeMatch::Covers,
                (Some(_), None) => ScopeMatch::Unknown,
                _ => ScopeMatch::DoesNot,
            },
        };
    }
    let vault_name = key.map(|k| k.vault_name().to_owned()).or_else(|| {
        ctx.vault()
            .and_then(|v| v.name.as_ref())
            .map(|n| n.to_ascii_lowercase())
    });
    let vault_id = ctx
        .vault()
        .and_then(|v| v.id.as_deref())
        .map(|i| i.trim_end_matches('/').to_ascii_lowercase());
    if let Some(vault_id) = &vault_id {
        if scope == *vault_id || vault_id.starts_with(&format!("{scope}/")) {
            return ScopeMatch::Covers;
        }
        if let Some(rest) = scope.strip_prefix(&format!("{vault_id}/keys/")) {
            return match key_name.as_deref() {
                Some(name) if rest == name => ScopeMatch::Covers,
                Some(_) => ScopeMatch::DoesNot,
                None => ScopeMatch::Unknown,
            };
        }
        return ScopeMatch::DoesNot;
    }
    let Some(vault_name) = vault_name else {
        return ScopeMatch::Unknown;
    };
    let marker = "/providers/microsoft.keyvault/vaults/";
    match scope
        .find(marker)
        .and_then(|i| scope.get(i + marker.len()..))
    {
        Some(rest) => {
            let mut parts = rest.split('/');
            let vault_ok = parts.next() == Some(vault_name.as_str());
            match (vault_ok, parts.next(), parts.next(), parts.next()) {
                (false, ..) => ScopeMatch::DoesNot,
                (true, None, ..) => ScopeMatch::Covers,
                (true, Some("keys"), Some(k), None) => match key_name.as_deref() {
                    Some(name) if k == name => ScopeMatch::Covers,
                    Some(_) => ScopeMatch::DoesNot,
                    None => ScopeMatch::Unknown,
                },
                _ => ScopeMatch::DoesNot,
            }
        }
        // A subscription or resource-group scope may contain the vault; without the vault's ID we cannot tell.
        None if scope.starts_with("/subscriptions/") && !scope.contains("/providers/") => {
            ScopeMatch::Unknown
        }
        None => ScopeMatch::DoesNot,
    }
}

fn check_roles(ctx: &Ctx, out: &mut Out) {
    let Some(principal) = ctx.principal else {
        out.inconclusive(RuleCode::AccessRoleMissing, &[P_PRINCIPAL]);
        out.inconclusive(RuleCode::AccessBroaderThanNeeded, &[P_PRINCIPAL]);
        return;
    };
    let Some(assignments) = ctx.cfg.role_assignments.as_ref() else {
        out.inconclusive(RuleCode::AccessRoleMissing, &["/roleAssignments"]);
        out.inconclusive(RuleCode::AccessBroaderThanNeeded, &["/roleAssignments"]);
        return;
    };
    let hsm = ctx.vault_kind() == Some(VaultKind::ManagedHsm);
    let least = if hsm {
        HSM_LEAST_PRIVILEGE
    } else {
        VAULT_LEAST_PRIVILEGE
    };
    let mut granting: Vec<(usize, String, bool)> = Vec::new(); // (index, role name, least privilege)
    let mut uncertain = false;
    for (i, a) in assignments.iter().enumerate() {
        if !a
            .principal_id
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(principal))
        {
            continue;
        }
        let role = find_role(
            a.role_definition_id.as_deref(),
            a.role_definition_name.as_deref(),
        );
        let grants = match (role, &a.data_actions) {
            (Some(r), _) if r.managed_hsm => Some(hsm && r.grants_hsm),
            (Some(r), _) => Some(!hsm && actions_grant_key_access(r.data_actions)),
            (None, Some(actions)) => Some(actions_grant_key_access(actions)),
            (None, None) => None,
        };
        let covers = scope_covers(ctx, a.scope.as_deref());
        match (grants, covers) {
            (Some(true), ScopeMatch::Covers) => granting.push((
                i,
                role.map_or_else(|| "a custom role".to_owned(), |r| r.name.to_owned()),
                match (role, &a.data_actions) {
                    (Some(r), _) => r.id == least,
                    (None, Some(actions)) => actions_are_least_privilege(actions),
                    (None, None) => false,
                },
            )),
            (Some(false), _) | (_, ScopeMatch::DoesNot) => {}
            _ => uncertain = true,
        }
    }
    if granting.is_empty() {
        if uncertain {
            out.inconclusive(RuleCode::AccessRoleMissing, &["/roleAssignments"]);
            out.inconclusive(RuleCode::AccessBroaderThanNeeded, &["/roleAssignments"]);
            return;
        }
        let (role_name, scope_hint) = if hsm {
            (
                "Managed HSM Crypto Service Encryption User",
                "the key or /keys scope of the Managed HSM",
            )
        } else {
            (
                "Key Vault Crypto Service Encryption User",
                "the vault or the key",
            )
        };
        let vault_name = ctx.vault_name().unwrap_or_else(|| "<vault-name>".into());
        let command = if hsm {
            format!(
                "az keyvault role assignment create --hsm-name {vault_name} --role \"{role_name}\" --assignee-object-id \
                 {principal} --assignee-principal-type ServicePrincipal --scope /keys"
            )
        } else {
            format!(
                "az role assignment create --role \"{role_name}\" --assignee-object-id {principal} \
                 --assignee-principal-type ServicePrincipal --scope $(az keyvault show --name {vault_name} --query id -o tsv)"
            )
        };
        out.fail(
            RuleCode::AccessRoleMissing,
            "/roleAssignments",
            format!(
                "No role assignment gives the identity (principal {principal}) key read, wrap and unwrap on {scope_hint}: \
                 the vault uses {} and access policies do not apply.",
                if hsm { "Managed HSM local RBAC" } else { "Azure RBAC" }
            ),
            format!("Assign {role_name} to the identity: `{command}`."),
            params([("principalId", principal.into()), ("role", role_name.into())]),
        );
        out.not_applicable(RuleCode::AccessBroaderThanNeeded);
        return;
    }
    out.pass(RuleCode::AccessRoleMissing);
    if granting.iter().any(|(_, _, least)| *least) {
        out.pass(RuleCode::AccessBroaderThanNeeded);
    } else {
        let Some((index, name, _)) = granting.first() else {
            return;
        };
        let least_name = if hsm {
            "Managed HSM Crypto Service Encryption User"
        } else {
            "Key Vault Crypto Service Encryption User"
        };
        out.fail(
            RuleCode::AccessBroaderThanNeeded,
            &format!("/roleAssignments/{index}"),
            format!("The identity reaches the key through '{name}', which grants more than Azure Managed Redis needs."),
            format!("Assign {least_name} (key read, wrap and unwrap only) instead, then remove the broader role."),
            params([("role", name.clone().into()), ("leastPrivilegeRole", least_name.into())]),
        );
    }
}
